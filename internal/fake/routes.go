package fake

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

type handlerFunc func(s *Server, rq *request) response

type route struct {
	method   string
	segments []string
	handle   handlerFunc
}

const securityPrefix = "rest/security/latest/"

// routes are matched segment by segment on the escaped path, so a "%2F"
// inside a rule name or space key stays inside its segment. Literal routes
// come before parameterised ones that could shadow them.
var routes = []route{
	newRoute(http.MethodGet, "rest/api/space", (*Server).listSpaces),
	newRoute(http.MethodPost, "rest/api/space", (*Server).postSpace),
	newRoute(http.MethodGet, "rest/api/space/{key}", (*Server).getSpace),
	newRoute(http.MethodPost, "rest/api/content", (*Server).postContent),
	newRoute(http.MethodGet, "rest/api/content/{id}", (*Server).getContent),
	newRoute(http.MethodPut, "rest/api/content/{id}", (*Server).putContent),
	newRoute(http.MethodDelete, "rest/api/content/{id}", (*Server).deleteContent),
	newRoute(http.MethodGet, "rest/api/user/current", (*Server).currentUser),

	newRoute(http.MethodPost, securityPrefix+"scan/space", (*Server).postScanSpace),
	newRoute(http.MethodGet, securityPrefix+"scan/space/{key}", (*Server).getSpaceFindings),
	newRoute(http.MethodPost, securityPrefix+"scan/content", (*Server).postScanContent),
	newRoute(http.MethodPost, securityPrefix+"scan/content/version", (*Server).postScanVersion),
	newRoute(http.MethodGet, securityPrefix+"scan/content/{id}", (*Server).getContentFindings),
	newRoute(http.MethodGet, securityPrefix+"rules", (*Server).listRules),
	newRoute(http.MethodPut, securityPrefix+"rules/built-in/{name}", (*Server).putBuiltInRule),
	newRoute(http.MethodPost, securityPrefix+"review/space/{key}/create", (*Server).createReview),
	newRoute(http.MethodPost, securityPrefix+"review/space/{key}/delete", (*Server).deleteReview),
	newRoute(http.MethodDelete, securityPrefix+"review/space/{key}", (*Server).deleteAllReviews),
	newRoute(http.MethodGet, securityPrefix+"export/findings", (*Server).exportAll),
	newRoute(http.MethodDelete, securityPrefix+"export/findings", (*Server).exportAll),
	newRoute(http.MethodGet, securityPrefix+"export/space/{key}/findings", (*Server).exportSpace),
	newRoute(http.MethodDelete, securityPrefix+"export/space/{key}/findings", (*Server).exportSpace),
}

func newRoute(method, pattern string, handle handlerFunc) route {
	return route{method: method, segments: strings.Split(pattern, "/"), handle: handle}
}

// match binds the route's parameters to the already unescaped segments.
func (rt route) match(segments []string) (map[string]string, bool) {
	if len(segments) != len(rt.segments) {
		return nil, false
	}
	params := map[string]string{}
	for i, want := range rt.segments {
		if strings.HasPrefix(want, "{") {
			if segments[i] == "" {
				return nil, false
			}
			params[strings.Trim(want, "{}")] = segments[i]
			continue
		}
		if segments[i] != want {
			return nil, false
		}
	}
	return params, true
}

func (s *Server) route(method, escapedPath string, rq *request) response {
	rest, ok := strings.CutPrefix(escapedPath, s.contextPath+"/")
	if !ok {
		return errorResponse(http.StatusNotFound, "No route for %s %s.", method, escapedPath)
	}
	segments, err := unescapeSegments(strings.TrimSuffix(rest, "/"))
	if err != nil {
		return errorResponse(http.StatusBadRequest, "The path %s is not validly escaped.", escapedPath)
	}
	var allowed []string
	for _, rt := range routes {
		params, ok := rt.match(segments)
		if !ok {
			continue
		}
		if rt.method != method {
			allowed = append(allowed, rt.method)
			continue
		}
		rq.params = params
		return rt.handle(s, rq)
	}
	if len(allowed) > 0 {
		return methodNotAllowed(method, escapedPath, allowed)
	}
	return errorResponse(http.StatusNotFound, "No route for %s %s.", method, escapedPath)
}

func unescapeSegments(path string) ([]string, error) {
	segments := strings.Split(path, "/")
	for i, raw := range segments {
		segment, err := url.PathUnescape(raw)
		if err != nil {
			return nil, err
		}
		segments[i] = segment
	}
	return segments, nil
}

func methodNotAllowed(method, escapedPath string, allowed []string) response {
	sort.Strings(allowed)
	resp := errorResponse(http.StatusMethodNotAllowed,
		"%s is not supported on %s; use %s.", method, escapedPath, strings.Join(allowed, " or "))
	resp.header.Set("Allow", strings.Join(allowed, ", "))
	return resp
}
