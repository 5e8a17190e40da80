package fake

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

const (
	defaultPageSize = 25
	maxPageSize     = 100
)

// findingsQuery is the parsed paging and filtering of a findings listing.
type findingsQuery struct {
	page     int
	size     int
	reviewed *bool
	rules    map[string]bool
}

func parseFindingsQuery(rq *request) (findingsQuery, *response) {
	q := findingsQuery{}
	var ok bool
	if q.page, ok = intParam(rq.query, "page", 0); !ok {
		resp := errorResponse(http.StatusBadRequest, "page must be a non-negative integer (0 is the first page).")
		return q, &resp
	}
	if q.size, ok = intParam(rq.query, "size", defaultPageSize); !ok {
		resp := errorResponse(http.StatusBadRequest, "size must be a positive integer of at most %d.", maxPageSize)
		return q, &resp
	}
	if q.size == 0 {
		q.size = defaultPageSize
	}
	q.size = min(q.size, maxPageSize)
	switch raw := rq.query.Get("reviewed"); raw {
	case "":
	case "true", "false":
		reviewed := raw == "true"
		q.reviewed = &reviewed
	default:
		resp := errorResponse(http.StatusBadRequest, "reviewed must be true or false, or left out to list both.")
		return q, &resp
	}
	if raw := rq.query.Get("ruleIds"); raw != "" {
		q.rules = map[string]bool{}
		for _, name := range strings.Split(raw, ",") {
			q.rules[strings.TrimSpace(name)] = true
		}
	}
	return q, nil
}

// apply filters and then cuts out the requested page.
func (q findingsQuery) apply(findings []client.Finding) []client.Finding {
	kept := []client.Finding{}
	for _, f := range findings {
		if q.reviewed != nil && f.Reviewed != *q.reviewed {
			continue
		}
		if q.rules != nil && !q.rules[f.RuleName] {
			continue
		}
		kept = append(kept, f)
	}
	// Compare pages rather than offsets so a huge page number cannot
	// overflow.
	if q.page >= (len(kept)+q.size-1)/q.size {
		return []client.Finding{}
	}
	start := q.page * q.size
	return kept[start:min(start+q.size, len(kept))]
}

// adminSpace finds a space the caller administers.
func (s *Server) adminSpace(rq *request, key string) (*space, *response) {
	if key == "" {
		resp := errorResponse(http.StatusBadRequest, "The space key is missing.")
		return nil, &resp
	}
	sp := s.spaces[key]
	if sp == nil {
		resp := spaceNotFound(key)
		return nil, &resp
	}
	if !s.isSpaceAdmin(rq.user, sp) {
		resp := errorResponse(http.StatusForbidden,
			"User %s is not an administrator of space %s; only space administrators can scan, review or export it.", rq.user.name, key)
		return nil, &resp
	}
	return sp, nil
}

// adminContent finds a content item in a space the caller administers.
func (s *Server) adminContent(rq *request, id string) (*content, *space, *response) {
	if id == "" {
		resp := errorResponse(http.StatusBadRequest, "The content id is missing.")
		return nil, nil, &resp
	}
	c := s.contentByID(id)
	if c == nil {
		resp := contentNotFound(id)
		return nil, nil, &resp
	}
	sp, resp := s.adminSpace(rq, c.spaceKey)
	return c, sp, resp
}

// contentVersion resolves the createdWhen parameter of a content call.
func contentVersion(c *content, raw string) (*version, *response) {
	when, ok := parseWhen(raw)
	if !ok {
		resp := errorResponse(http.StatusBadRequest,
			"createdWhen %q is not a timestamp like 2021-08-15T17:54:36.860-05:00.", raw)
		return nil, &resp
	}
	v := c.versionAt(when)
	if v == nil {
		resp := errorResponse(http.StatusNotFound,
			"Content %s has no version created at %s.", c.idString(), raw)
		return nil, &resp
	}
	return v, nil
}

func (s *Server) getSpaceFindings(rq *request) response {
	sp, errResp := s.adminSpace(rq, rq.params["key"])
	if errResp != nil {
		return *errResp
	}
	q, errResp := parseFindingsQuery(rq)
	if errResp != nil {
		return *errResp
	}
	state, upToDateContent, upToDateSettings := s.spaceScanState(sp)
	return jsonResponse(http.StatusOK, client.FindingsPage{
		ScanState:        state,
		UpToDateContent:  upToDateContent,
		UpToDateSettings: upToDateSettings,
		Page:             q.page,
		Size:             q.size,
		Findings:         q.apply(s.spaceFindings(sp)),
	})
}

// getContentFindings lists one version's findings when createdWhen is given,
// and the deduplicated findings of the whole history otherwise.
func (s *Server) getContentFindings(rq *request) response {
	c, sp, errResp := s.adminContent(rq, rq.params["id"])
	if errResp != nil {
		return *errResp
	}
	q, errResp := parseFindingsQuery(rq)
	if errResp != nil {
		return *errResp
	}
	var v *version
	if rq.query.Has("createdWhen") {
		if v, errResp = contentVersion(c, rq.query.Get("createdWhen")); errResp != nil {
			return *errResp
		}
	}
	state, upToDateContent, upToDateSettings := s.contentScanState(c)
	findings := []client.Finding{}
	switch {
	case c.scan == nil:
	case v != nil:
		findings = c.versionFindings(sp, v.number)
	default:
		findings = c.dedupFindings(sp)
	}
	return jsonResponse(http.StatusOK, client.FindingsPage{
		ScanState:        state,
		UpToDateContent:  upToDateContent,
		UpToDateSettings: upToDateSettings,
		Page:             q.page,
		Size:             q.size,
		Findings:         q.apply(findings),
	})
}

func (s *Server) postScanSpace(rq *request) response {
	sp, errResp := s.adminSpace(rq, rq.query.Get("key"))
	if errResp != nil {
		return *errResp
	}
	s.scanSpaceLocked(sp)
	state, upToDateContent, upToDateSettings := s.spaceScanState(sp)
	return jsonResponse(http.StatusOK, client.ScanResult{
		ScanState:        state,
		UpToDateContent:  upToDateContent,
		UpToDateSettings: upToDateSettings,
		SpaceKey:         sp.key,
		FindingsCount:    len(s.spaceFindings(sp)),
	})
}

func (s *Server) postScanContent(rq *request) response {
	c, sp, errResp := s.adminContent(rq, rq.query.Get("id"))
	if errResp != nil {
		return *errResp
	}
	s.scanContentLocked(c)
	state, upToDateContent, upToDateSettings := s.contentScanState(c)
	return jsonResponse(http.StatusOK, client.ScanResult{
		ScanState:        state,
		UpToDateContent:  upToDateContent,
		UpToDateSettings: upToDateSettings,
		SpaceKey:         sp.key,
		ContentID:        c.idString(),
		FindingsCount:    len(c.dedupFindings(sp)),
	})
}

func (s *Server) postScanVersion(rq *request) response {
	c, sp, errResp := s.adminContent(rq, rq.query.Get("id"))
	if errResp != nil {
		return *errResp
	}
	v, errResp := contentVersion(c, rq.query.Get("createdWhen"))
	if errResp != nil {
		return *errResp
	}
	s.scanVersionLocked(c, v)
	state, upToDateContent, upToDateSettings := s.contentScanState(c)
	return jsonResponse(http.StatusOK, client.ScanResult{
		ScanState:        state,
		UpToDateContent:  upToDateContent,
		UpToDateSettings: upToDateSettings,
		SpaceKey:         sp.key,
		ContentID:        c.idString(),
		CreatedWhen:      formatWhen(v.when),
		FindingsCount:    len(c.versionFindings(sp, v.number)),
	})
}

func (s *Server) requireConfluenceAdmin(rq *request) *response {
	if rq.user.confluenceAdmin {
		return nil
	}
	resp := errorResponse(http.StatusForbidden,
		"User %s is not a Confluence administrator; only Confluence administrators can view or change scanning rules.", rq.user.name)
	return &resp
}

func (s *Server) listRules(rq *request) response {
	if errResp := s.requireConfluenceAdmin(rq); errResp != nil {
		return *errResp
	}
	rules := make([]client.Rule, 0, len(s.rules))
	for _, r := range s.rules {
		rules = append(rules, r.model())
	}
	return jsonResponse(http.StatusOK, rules)
}

func (s *Server) putBuiltInRule(rq *request) response {
	if errResp := s.requireConfluenceAdmin(rq); errResp != nil {
		return *errResp
	}
	name := rq.params["name"]
	r := s.ruleByName(name)
	if r == nil || !r.builtIn {
		return errorResponse(http.StatusNotFound,
			"No built-in rule named %q. Rule names are case-sensitive; GET rules lists them.", name)
	}
	raw := rq.query.Get("enabled")
	if raw != "true" && raw != "false" {
		return errorResponse(http.StatusBadRequest, "enabled must be true or false, not %q.", raw)
	}
	s.setRuleEnabledLocked(r, raw == "true")
	return jsonResponse(http.StatusOK, r.model())
}

func (s *Server) createReview(rq *request) response {
	sp, errResp := s.adminSpace(rq, rq.params["key"])
	if errResp != nil {
		return *errResp
	}
	var in client.ReviewRequest
	if err := json.Unmarshal(rq.body, &in); err != nil {
		return errorResponse(http.StatusBadRequest, "The body must be JSON with matchText and ruleName.")
	}
	if in.MatchText == "" {
		return errorResponse(http.StatusBadRequest, "matchText must not be empty.")
	}
	if s.ruleByName(in.RuleName) == nil {
		return errorResponse(http.StatusBadRequest,
			"No rule named %q. Rule names are case-sensitive; GET rules lists them.", in.RuleName)
	}
	sp.reviewed[in.MatchText] = in.RuleName
	return jsonResponse(http.StatusOK, client.Review{SpaceKey: sp.key, RuleName: in.RuleName, MatchText: in.MatchText})
}

func (s *Server) deleteReview(rq *request) response {
	sp, errResp := s.adminSpace(rq, rq.params["key"])
	if errResp != nil {
		return *errResp
	}
	var in client.ReviewRequest
	if err := json.Unmarshal(rq.body, &in); err != nil || in.MatchText == "" {
		return errorResponse(http.StatusBadRequest, "The body must be JSON with a non-empty matchText.")
	}
	if _, ok := sp.reviewed[in.MatchText]; !ok {
		return errorResponse(http.StatusNotFound, "That text is not reviewed in space %s.", sp.key)
	}
	delete(sp.reviewed, in.MatchText)
	return noContent()
}

func (s *Server) deleteAllReviews(rq *request) response {
	sp, errResp := s.adminSpace(rq, rq.params["key"])
	if errResp != nil {
		return *errResp
	}
	if rq.query.Get("confirm") != "true" {
		return errorResponse(http.StatusBadRequest,
			"Deleting every review of space %s needs confirm=true.", sp.key)
	}
	deleted := len(sp.reviewed)
	sp.reviewed = map[string]string{}
	return jsonResponse(http.StatusOK, client.DeleteAllReviewsResult{Deleted: deleted})
}

func (s *Server) exportSpace(rq *request) response {
	sp, errResp := s.adminSpace(rq, rq.params["key"])
	if errResp != nil {
		return *errResp
	}
	return csvResponse(s.spaceFindings(sp))
}

// exportAll holds the spaces the caller administers, which for a plain user
// may be none.
func (s *Server) exportAll(rq *request) response {
	var findings []client.Finding
	for _, key := range s.sortedSpaceKeys() {
		sp := s.spaces[key]
		if s.isSpaceAdmin(rq.user, sp) {
			findings = append(findings, s.spaceFindings(sp)...)
		}
	}
	return csvResponse(findings)
}

func csvResponse(findings []client.Finding) response {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(client.ExportColumns)
	for _, f := range findings {
		_ = w.Write([]string{
			f.SpaceKey, f.ContentID, f.ContentTitle, f.ContentType, f.RuleName, f.MatchText,
			strconv.Itoa(f.FirstVersion), strconv.Itoa(f.LastVersion),
			strconv.FormatBool(f.Reviewed), strconv.FormatBool(f.Historical),
		})
	}
	w.Flush()
	return response{
		status: http.StatusOK,
		header: http.Header{
			"Content-Type":        {"text/csv; charset=utf-8"},
			"Content-Disposition": {`attachment; filename="findings.csv"`},
		},
		body: buf.Bytes(),
	}
}
