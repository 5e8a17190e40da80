package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// call is one request in a test. The demo users' passwords equal their
// names, so user alone is enough for basic auth.
type call struct {
	method string
	path   string
	user   string
	token  string
	body   string
	noXSRF bool
}

func (c call) send(t *testing.T, baseURL string) (int, http.Header, []byte) {
	t.Helper()
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	r, err := http.NewRequest(method, baseURL+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatalf("building %s %s: %v", method, c.path, err)
	}
	if c.user != "" {
		r.SetBasicAuth(c.user, c.user)
	}
	if c.token != "" {
		r.Header.Set("Authorization", "Bearer "+c.token)
	}
	if !c.noXSRF {
		r.Header.Set("X-Atlassian-Token", "no-check")
	}
	if c.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatalf("%s %s: %v", method, c.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s %s: %v", method, c.path, err)
	}
	return resp.StatusCode, resp.Header, body
}

// expect sends the call and fails unless the status matches.
func (c call) expect(t *testing.T, baseURL string, status int) []byte {
	t.Helper()
	got, _, body := c.send(t, baseURL)
	if got != status {
		t.Fatalf("%s %s as %q: status %d, want %d; body %s", c.method, c.path, c.user, got, status, body)
	}
	return body
}

func startDemo(t *testing.T) (*Server, string) {
	t.Helper()
	s := NewDemo()
	baseURL := s.Start()
	t.Cleanup(s.Close)
	return s, baseURL
}

func startEmpty(t *testing.T) (*Server, string) {
	t.Helper()
	s := New()
	baseURL := s.Start()
	t.Cleanup(s.Close)
	return s, baseURL
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decoding %T from %s: %v", v, body, err)
	}
	return v
}

func findingsPage(t *testing.T, baseURL, path string) client.FindingsPage {
	t.Helper()
	return decode[client.FindingsPage](t, call{path: path, user: "admin"}.expect(t, baseURL, http.StatusOK))
}

func findByText(findings []client.Finding, text string) *client.Finding {
	for i := range findings {
		if findings[i].MatchText == text {
			return &findings[i]
		}
	}
	return nil
}

const sec = "/rest/security/latest/"

// lockedBuffer collects log lines written by concurrent handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
