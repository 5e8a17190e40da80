package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

const maxBodyBytes = 10 << 20

// request is what a handler sees: the caller, the path parameters already
// unescaped, the query and the body read in full.
type request struct {
	baseURL string
	user    *user
	params  map[string]string
	query   url.Values
	body    []byte
}

// response is computed under the lock and written after it is released, so
// a slow client never holds up other requests.
type response struct {
	status int
	header http.Header
	body   []byte
}

// jsonResponse leaves '<' and '>' unescaped, as Confluence does in storage
// format bodies.
func jsonResponse(status int, v any) response {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return errorResponse(http.StatusInternalServerError, "The fake could not encode its answer: %v.", err)
	}
	return response{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: buf.Bytes()}
}

func errorResponse(status int, format string, args ...any) response {
	return jsonResponse(status, client.ErrorBody{StatusCode: status, Message: fmt.Sprintf(format, args...)})
}

func noContent() response {
	return response{status: http.StatusNoContent, header: http.Header{}}
}

func (resp response) write(w http.ResponseWriter) {
	for key, values := range resp.header {
		w.Header()[key] = values
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// ServeHTTP records the request, serves any queued fault, and otherwise
// answers from the fake's state.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		s.logRequest(r, 0, started)
		dropConnection(w)
		return
	}
	fault := s.recordAndTakeFault(r, body)
	if fault != nil {
		if !wait(r, fault.Delay) {
			s.logRequest(r, 0, started)
			return
		}
		if fault.DropConnection {
			s.logRequest(r, 0, started)
			dropConnection(w)
			return
		}
		if fault.Status != 0 {
			resp := response{status: fault.Status, header: fault.Header.Clone(), body: []byte(fault.Body)}
			resp.write(w)
			s.logRequest(r, resp.status, started)
			return
		}
	}
	resp := s.handle(r, body)
	if fault != nil && fault.DropAfterHandling {
		s.logRequest(r, 0, started)
		dropConnection(w)
		return
	}
	resp.write(w)
	s.logRequest(r, resp.status, started)
}

// logRequest writes the path without its query: the query of a findings
// call is harmless, but nothing that could carry a secret is logged.
func (s *Server) logRequest(r *http.Request, status int, started time.Time) {
	s.mu.Lock()
	out := s.requestLog
	s.mu.Unlock()
	if out == nil {
		return
	}
	outcome := fmt.Sprint(status)
	if status == 0 {
		outcome = "dropped"
	}
	elapsed := time.Since(started).Round(10 * time.Microsecond)
	fmt.Fprintf(out, "%s %s %s %s\n", r.Method, r.URL.EscapedPath(), outcome, elapsed)
}

func (s *Server) handle(r *http.Request, body []byte) response {
	s.mu.Lock()
	defer s.mu.Unlock()

	u, ok := s.authenticate(r)
	if !ok {
		return errorResponse(http.StatusUnauthorized,
			"Authentication failed: send a valid user name and password (basic auth) or a personal access token (Bearer).")
	}
	if isMutating(r.Method) && r.Header.Get("X-Atlassian-Token") != "no-check" {
		return errorResponse(http.StatusForbidden, "XSRF check failed")
	}
	rq := &request{
		baseURL: "http://" + r.Host + s.contextPath,
		user:    u,
		query:   r.URL.Query(),
		body:    body,
	}
	return s.route(r.Method, r.URL.EscapedPath(), rq)
}

func isMutating(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodDelete
}

func (s *Server) authenticate(r *http.Request) (*user, bool) {
	if name, password, ok := r.BasicAuth(); ok {
		u := s.users[name]
		return u, u != nil && u.password == password
	}
	auth := r.Header.Get("Authorization")
	if token, ok := strings.CutPrefix(auth, "Bearer "); ok {
		u := s.users[s.tokens[strings.TrimSpace(token)]]
		return u, u != nil
	}
	return nil, false
}
