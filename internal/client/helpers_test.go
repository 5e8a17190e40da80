package client

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

const (
	testUser     = "svc-terraform"
	testPassword = "pw-Sup3r$ecret!"
	testToken    = "NjQ1MzE3ODc1OTQ2OkJ1dHRlcnNjb3RjaA"
)

// recorded is one request as the server saw it on the wire.
type recorded struct {
	Method     string
	RequestURI string
	RawPath    string
	Header     http.Header
	Body       string
}

// recorder is an httptest server that records every request and answers
// through respond, which learns the 0-based index of the request.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
	respond  func(w http.ResponseWriter, r *http.Request, index int)
	server   *httptest.Server
}

func newRecorder(t *testing.T, respond func(w http.ResponseWriter, r *http.Request, index int)) *recorder {
	t.Helper()
	rec := &recorder{respond: respond}
	rec.server = httptest.NewServer(http.HandlerFunc(rec.serve))
	t.Cleanup(rec.server.Close)
	return rec
}

func (rec *recorder) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec.mu.Lock()
	index := len(rec.requests)
	rec.requests = append(rec.requests, recorded{
		Method:     r.Method,
		RequestURI: r.RequestURI,
		RawPath:    r.URL.RawPath,
		Header:     r.Header.Clone(),
		Body:       string(body),
	})
	rec.mu.Unlock()
	rec.respond(w, r, index)
}

func (rec *recorder) all() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.requests...)
}

func (rec *recorder) count() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.requests)
}

// fastConfig keeps retries in milliseconds so the suite stays quick.
func fastConfig(baseURL string) Config {
	return Config{
		BaseURL:      baseURL,
		Username:     testUser,
		Password:     testPassword,
		MaxRetries:   3,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 20 * time.Millisecond,
		UserAgent:    "terraform-provider-securityforconfluence/test",
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func answerJSON(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, status, body) }
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
