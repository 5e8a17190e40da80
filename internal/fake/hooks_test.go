package fake

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	createReview := call{method: "POST", path: sec + "review/space/DEMO/create", user: "admin",
		body: `{"matchText":"AKIAIOSFODNN7EXAMPLE","ruleName":"AWS_CLIENT_ID"}`}
	tests := []struct {
		name       string
		fault      Fault
		call       call
		wantStatus int // 0 means the connection must fail
		wantHeader string
		wantStored bool
	}{
		{"rate limited with Retry-After",
			Fault{Status: 429, Header: http.Header{"Retry-After": {"7"}}, Body: `{"statusCode":429,"message":"slow down"}`},
			createReview, 429, "7", false},
		{"service unavailable for this path only",
			Fault{Method: "POST", PathContains: "/review/space/DEMO/", Status: 503},
			createReview, 503, "", false},
		{"dropped before handling", Fault{DropConnection: true}, createReview, 0, "", false},
		{"dropped after handling", Fault{DropAfterHandling: true}, createReview, 0, "", true},
		{"delay then the real answer", Fault{Delay: 50 * time.Millisecond}, createReview, 200, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, baseURL := startDemo(t)
			s.QueueFault(tt.fault)
			started := time.Now()
			status, header, err := sendRaw(context.Background(), tt.call, baseURL)
			switch {
			case tt.wantStatus == 0 && err == nil:
				t.Fatalf("the connection answered %d instead of failing", status)
			case tt.wantStatus != 0 && (err != nil || status != tt.wantStatus):
				t.Fatalf("status %d, error %v; want %d", status, err, tt.wantStatus)
			}
			if tt.wantHeader != "" && header.Get("Retry-After") != tt.wantHeader {
				t.Fatalf("Retry-After %q, want %q", header.Get("Retry-After"), tt.wantHeader)
			}
			if tt.fault.Delay > 0 && time.Since(started) < tt.fault.Delay {
				t.Fatalf("answered after %v, before the %v delay", time.Since(started), tt.fault.Delay)
			}
			if _, stored := s.ReviewedTexts("DEMO")["AKIAIOSFODNN7EXAMPLE"]; stored != tt.wantStored {
				t.Fatalf("review stored %v, want %v", stored, tt.wantStored)
			}
			if s.RequestCount() != 1 || s.PendingFaults() != 0 {
				t.Fatalf("%d requests recorded and %d faults pending, want 1 and 0", s.RequestCount(), s.PendingFaults())
			}
			createReview.expect(t, baseURL, 200)
		})
	}
}

func sendRaw(ctx context.Context, c call, baseURL string) (int, http.Header, error) {
	r, err := http.NewRequestWithContext(ctx, c.method, baseURL+c.path, strings.NewReader(c.body))
	if err != nil {
		return 0, nil, err
	}
	r.SetBasicAuth(c.user, c.user)
	r.Header.Set("X-Atlassian-Token", "no-check")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
}

func TestFaultSelectionAndTimes(t *testing.T) {
	s, baseURL := startDemo(t)
	s.QueueFault(Fault{Method: "GET", PathContains: "/rules", Status: 502, Times: 2})
	rules := call{path: sec + "rules", user: "admin"}
	call{path: sec + "scan/space/DEMO", user: "admin"}.expect(t, baseURL, 200)
	call{method: "PUT", path: sec + "rules/built-in/JWT?enabled=true", user: "admin"}.expect(t, baseURL, 200)
	rules.expect(t, baseURL, 502)
	rules.expect(t, baseURL, 502)
	rules.expect(t, baseURL, 200)
	if s.PendingFaults() != 0 {
		t.Fatalf("%d faults pending after two uses", s.PendingFaults())
	}
}

func TestDelayHonoursCancellation(t *testing.T) {
	s, baseURL := startDemo(t)
	s.QueueFault(Fault{Delay: 10 * time.Second, Status: 500})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, _, err := sendRaw(ctx, call{path: sec + "rules", user: "admin"}, baseURL)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the caller's deadline", err)
	}
	// The server side must notice the cancellation and free the request,
	// which Close would otherwise wait for.
	s.Close()
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Fatalf("the delayed request held the server for %v", elapsed)
	}
}

func TestRequestRecording(t *testing.T) {
	s, baseURL := startDemo(t)
	s.AddToken("recorded-token", "admin")
	call{method: "PUT", path: sec + "rules/built-in/Internal%20hostname?enabled=true", token: "recorded-token"}.expect(t, baseURL, 404)
	call{method: "POST", path: sec + "review/space/~jdoe/create", user: "jdoe", body: `{"matchText":"m","ruleName":"JWT"}`}.expect(t, baseURL, 200)
	requests := s.Requests()
	if len(requests) != 2 || s.RequestCount() != 2 {
		t.Fatalf("%d requests recorded", len(requests))
	}
	first, second := requests[0], requests[1]
	if first.Method != "PUT" || first.RawPath != "/rest/security/latest/rules/built-in/Internal%20hostname" ||
		first.Query.Get("enabled") != "true" || first.Header.Get("Authorization") != "Bearer recorded-token" {
		t.Fatalf("first request %+v", first)
	}
	if second.RawPath != "/rest/security/latest/review/space/~jdoe/create" || string(second.Body) != `{"matchText":"m","ruleName":"JWT"}` {
		t.Fatalf("second request %s %s", second.RawPath, second.Body)
	}
	requests[0].Header.Set("Authorization", "changed")
	if s.Requests()[0].Header.Get("Authorization") == "changed" {
		t.Fatal("Requests returns the fake's own headers instead of a copy")
	}
	s.ResetRequests()
	if s.RequestCount() != 0 || len(s.Requests()) != 0 {
		t.Fatal("ResetRequests kept requests")
	}
}

func TestRequestLogHasNoSecrets(t *testing.T) {
	s, baseURL := startDemo(t)
	var log lockedBuffer
	s.SetRequestLog(&log)
	call{method: "POST", path: sec + "review/space/DEMO/create", user: "admin",
		body: `{"matchText":"AKIAIOSFODNN7EXAMPLE","ruleName":"AWS_CLIENT_ID"}`}.expect(t, baseURL, 200)
	call{path: sec + "scan/space/DEMO?page=0", user: "admin"}.expect(t, baseURL, 200)
	got := log.String()
	if !strings.Contains(got, "POST /rest/security/latest/review/space/DEMO/create 200 ") ||
		!strings.Contains(got, "GET /rest/security/latest/scan/space/DEMO 200 ") {
		t.Fatalf("log lacks method, path and status:\n%s", got)
	}
	for _, secret := range []string{"AKIAIOSFODNN7EXAMPLE", "admin:admin", "Basic ", "page=0"} {
		if strings.Contains(got, secret) {
			t.Fatalf("log contains %q:\n%s", secret, got)
		}
	}
}
