package fake

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Fault is a canned misbehavior served to the next matching request(s)
// instead of, or around, the real answer.
type Fault struct {
	// Method and PathContains select requests; empty matches any.
	// PathContains is matched against the escaped path as sent.
	Method       string
	PathContains string

	// Status, with Header and Body, answers instead of the real handler.
	Status int
	Header http.Header
	Body   string

	// DropConnection closes the connection before the request is handled.
	DropConnection bool

	// DropAfterHandling handles the request, so any change is stored, then
	// closes the connection without answering.
	DropAfterHandling bool

	// Delay waits before handling; a canceled request stops waiting.
	Delay time.Duration

	// Times is how many requests the fault applies to; 0 means 1.
	Times int
}

type pendingFault struct {
	Fault
	remaining int
}

func (f *Fault) matches(method, escapedPath string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	return f.PathContains == "" || strings.Contains(escapedPath, f.PathContains)
}

// RecordedRequest is a request as the fake received it.
type RecordedRequest struct {
	Method string
	// RawPath is the escaped path exactly as sent, without the query.
	RawPath string
	Query   url.Values
	Header  http.Header
	Body    []byte
}

// QueueFault queues a fault; faults are served in the order they were
// queued, each to its next Times matching requests.
func (s *Server) QueueFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	times := f.Times
	if times <= 0 {
		times = 1
	}
	s.faults = append(s.faults, &pendingFault{Fault: f, remaining: times})
}

// PendingFaults counts the fault applications not yet served.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.remaining
	}
	return n
}

// Requests returns a copy of every request received since the last reset.
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, len(s.requests))
	for i, rr := range s.requests {
		out[i] = RecordedRequest{
			Method:  rr.Method,
			RawPath: rr.RawPath,
			Query:   cloneValues(rr.Query),
			Header:  rr.Header.Clone(),
			Body:    append([]byte(nil), rr.Body...),
		}
	}
	return out
}

// RequestCount counts the requests received since the last reset, faulted
// ones included.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for key, values := range v {
		out[key] = append([]string(nil), values...)
	}
	return out
}

// recordAndTakeFault stores the request and claims the first queued fault
// that matches it, in one step so concurrent requests never share a use.
func (s *Server) recordAndTakeFault(r *http.Request, body []byte) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, RecordedRequest{
		Method:  r.Method,
		RawPath: r.URL.EscapedPath(),
		Query:   cloneValues(r.URL.Query()),
		Header:  r.Header.Clone(),
		Body:    body,
	})
	for i, f := range s.faults {
		if !f.matches(r.Method, r.URL.EscapedPath()) {
			continue
		}
		f.remaining--
		if f.remaining == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		fault := f.Fault
		return &fault
	}
	return nil
}

// dropConnection closes the client's connection without an answer. Without a
// hijackable connection, aborting the handler has the same effect.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// wait sleeps for d unless the request is canceled first.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
