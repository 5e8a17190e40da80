package client

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"3600", time.Hour, true},
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", time.Duration(math.MaxInt64), true},
		{"99999999999999999999999", 0, false},
		{"-5", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
		{"Thu, 03 Dec 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Thursday, 03-Dec-26 12:01:00 GMT", time.Minute, true},
		{"Thu Dec  3 12:00:05 2026", 5 * time.Second, true},
		{"Wed, 02 Dec 2026 12:00:00 GMT", 0, true},
		{"Fri, 31 Dec 9999 23:59:59 GMT", time.Duration(math.MaxInt64), true},
	}

	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.value, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestBackoffIsExponentialAndClamped(t *testing.T) {
	waitMin, waitMax := 10*time.Millisecond, 100*time.Millisecond
	tests := []struct {
		name    string
		attempt int
		hint    string // no response at all when empty
		want    time.Duration
	}{
		{"first retry", 0, "", 10 * time.Millisecond},
		{"second retry", 1, "", 20 * time.Millisecond},
		{"third retry", 2, "", 40 * time.Millisecond},
		{"capped", 10, "", waitMax},
		{"far beyond any shift", 1000, "", waitMax},
		{"hint honored", 0, "0", 0},
		{"hint clamped", 0, "3600", waitMax},
		{"huge hint clamped", 0, "9223372037", waitMax},
		{"overflowing hint ignored", 1, "99999999999999999999999", 20 * time.Millisecond},
		{"garbage hint ignored", 2, "later", 40 * time.Millisecond},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			if tt.hint != "" {
				resp = &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {tt.hint}}, Body: http.NoBody}
				defer func() { _ = resp.Body.Close() }()
			}
			if got := backoff(waitMin, waitMax, tt.attempt, resp); got != tt.want {
				t.Errorf("backoff = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name         string
		failStatus   int
		retryAfter   string
		failures     int
		wantRequests int
		wantErr      error
		wantText     []string
	}{
		{name: "429 with seconds", failStatus: 429, retryAfter: "0", failures: 2, wantRequests: 3},
		{name: "429 with an HTTP date", failStatus: 429, retryAfter: future, failures: 1, wantRequests: 2},
		{name: "429 with a huge hint", failStatus: 429, retryAfter: "9223372037", failures: 1, wantRequests: 2},
		{name: "429 with an overflowing hint", failStatus: 429, retryAfter: "99999999999999999999999", failures: 1, wantRequests: 2},
		{name: "429 with a negative hint", failStatus: 429, retryAfter: "-3", failures: 1, wantRequests: 2},
		{name: "429 without a hint", failStatus: 429, failures: 1, wantRequests: 2},
		{name: "502 then success", failStatus: 502, failures: 1, wantRequests: 2},
		{name: "503 then success", failStatus: 503, failures: 3, wantRequests: 4},
		{name: "504 then success", failStatus: 504, failures: 1, wantRequests: 2},
		{
			name: "429 until the retries run out", failStatus: 429, retryAfter: "3600", failures: 99,
			wantRequests: 4, wantErr: ErrRateLimited,
			wantText: []string{"HTTP 429", "after 4 attempts", "wait 1h0m0s", "slow down", "allow more retries"},
		},
		{
			name: "503 until the retries run out", failStatus: 503, failures: 99,
			wantRequests: 4, wantErr: ErrServer,
			wantText: []string{"HTTP 503", "after 4 attempts", "slow down"},
		},
		{name: "500 is not retried", failStatus: 500, failures: 99, wantRequests: 1, wantErr: ErrServer, wantText: []string{"HTTP 500"}},
		{name: "501 is not retried", failStatus: 501, failures: 99, wantRequests: 1, wantErr: ErrServer},
		{name: "404 is not retried", failStatus: 404, failures: 99, wantRequests: 1, wantErr: ErrNotFound},
		{name: "409 is not retried", failStatus: 409, failures: 99, wantRequests: 1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, index int) {
				if index < tt.failures {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					writeJSON(w, tt.failStatus, `{"statusCode":0,"message":"slow down"}`)
					return
				}
				writeJSON(w, http.StatusOK, `{"scanState":"COMPLETED","findingsCount":1}`)
			})
			cfg := fastConfig(rec.server.URL)
			cfg.RetryWaitMax = 50 * time.Millisecond
			c := newTestClient(t, cfg)

			start := time.Now()
			result, err := c.ScanSpace(testContext(t), "DEV")
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("the call took %v; every wait should be clamped to 50ms", elapsed)
			}

			assertRetryOutcome(t, result, err, tt.wantErr, tt.wantText)
			requests := rec.all()
			if len(requests) != tt.wantRequests {
				t.Fatalf("server saw %d requests, want %d", len(requests), tt.wantRequests)
			}
			for i, req := range requests {
				if req.Header.Get("X-Atlassian-Token") != "no-check" || req.Header.Get("Authorization") == "" {
					t.Errorf("attempt %d lost a header: %v", i+1, req.Header)
				}
			}
		})
	}
}

func assertRetryOutcome(t *testing.T, result *ScanResult, err, wantErr error, wantText []string) {
	t.Helper()
	if wantErr == nil && err == nil {
		if result == nil || result.FindingsCount != 1 {
			t.Errorf("result = %#v, want the successful answer", result)
		}
		return
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if wantErr != nil && !errors.Is(err, wantErr) {
		t.Errorf("error = %v, want it to match %v", err, wantErr)
	}
	for _, text := range wantText {
		if !strings.Contains(err.Error(), text) {
			t.Errorf("error %q does not contain %q", err, text)
		}
	}
	if strings.Contains(err.Error(), "giving up") {
		t.Errorf("error %q is retryablehttp's generic message", err)
	}
}

func TestRetryReplaysTheBodyIntact(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, index int) {
		if index < 2 {
			writeJSON(w, http.StatusServiceUnavailable, `{}`)
			return
		}
		writeJSON(w, http.StatusOK, `{}`)
	})
	c := newTestClient(t, fastConfig(rec.server.URL))

	if err := c.CreateReview(testContext(t), "DEV", "AWS_CLIENT_ID", testMatchText); err != nil {
		t.Fatalf("CreateReview: %v", err)
	}

	requests := rec.all()
	if len(requests) != 3 {
		t.Fatalf("server saw %d requests, want 3", len(requests))
	}
	want := `{"matchText":"AKIA\"EXAMPLE\u003c\u0026\u003e/key","ruleName":"AWS_CLIENT_ID"}`
	for i, req := range requests {
		if req.Body != want {
			t.Errorf("attempt %d sent body %q, want %q", i+1, req.Body, want)
		}
		if req.Header.Get("Content-Type") != "application/json" || req.Header.Get("X-Atlassian-Token") != "no-check" {
			t.Errorf("attempt %d lost a header: %v", i+1, req.Header)
		}
	}
}

func TestRetryAfterIsClampedToRetryWaitMax(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, http.StatusTooManyRequests, `{}`)
	})
	cfg := fastConfig(rec.server.URL)
	cfg.MaxRetries = 2
	cfg.RetryWaitMax = 100 * time.Millisecond
	c := newTestClient(t, cfg)

	start := time.Now()
	_, err := c.ListRules(testContext(t))
	elapsed := time.Since(start)

	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("error = %v, want ErrRateLimited", err)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter != time.Hour {
		t.Errorf("RetryAfter = %v, want the server's hint of 1h", apiErr.RetryAfter)
	}
	if elapsed < 200*time.Millisecond || elapsed > 2*time.Second {
		t.Errorf("two clamped waits took %v, want about 200ms", elapsed)
	}
	if rec.count() != 3 {
		t.Errorf("server saw %d requests, want 3", rec.count())
	}
}

func TestCancellationStopsAtOnce(t *testing.T) {
	tests := []struct {
		name    string
		respond func(http.ResponseWriter, *http.Request, int)
	}{
		{"during a retry wait", func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Retry-After", "3600")
			writeJSON(w, http.StatusServiceUnavailable, `{}`)
		}},
		{"during a slow answer", func(w http.ResponseWriter, r *http.Request, _ int) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			writeJSON(w, http.StatusOK, `[]`)
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.respond)
			cfg := fastConfig(rec.server.URL)
			cfg.MaxRetries = 5
			cfg.RetryWaitMin = time.Hour
			cfg.RetryWaitMax = time.Hour
			c := newTestClient(t, cfg)

			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.ListRules(ctx)
			elapsed := time.Since(start)

			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error = %v, want it to match context.DeadlineExceeded", err)
			}
			if elapsed > time.Second {
				t.Errorf("the call returned after %v, want within a second of cancellation", elapsed)
			}
			if rec.count() != 1 {
				t.Errorf("server saw %d requests, want 1", rec.count())
			}
		})
	}
}

func TestConnectionErrorsAreRetried(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, index int) {
		if index == 0 {
			hijacker, ok := w.(http.Hijacker)
			if !ok {
				t.Error("the test server cannot drop a connection")
				return
			}
			if conn, _, err := hijacker.Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		writeJSON(w, http.StatusOK, `[]`)
	})
	c := newTestClient(t, fastConfig(rec.server.URL))

	if _, err := c.ListRules(testContext(t)); err != nil {
		t.Fatalf("ListRules: %v", err)
	}
	if rec.count() != 2 {
		t.Errorf("server saw %d requests, want 2", rec.count())
	}
}

func TestUnreachableServerSaysWhatToCheck(t *testing.T) {
	rec := newRecorder(t, answerJSON(http.StatusOK, `[]`))
	rec.server.Close()
	cfg := fastConfig(rec.server.URL)
	cfg.MaxRetries = 1
	c := newTestClient(t, cfg)

	_, err := c.ListRules(testContext(t))

	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	for _, want := range []string{"no answer from Confluence", "after 2 attempts", "HTTPS_PROXY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if apiErr.StatusCode != 0 {
		t.Errorf("StatusCode = %d, want 0", apiErr.StatusCode)
	}
}

func TestRequestTimeoutAppliesPerAttempt(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, index int) {
		if index == 0 {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `[]`)
	})
	cfg := fastConfig(rec.server.URL)
	cfg.RequestTimeout = 100 * time.Millisecond
	c := newTestClient(t, cfg)

	if _, err := c.ListRules(testContext(t)); err != nil {
		t.Fatalf("ListRules: %v", err)
	}
	if rec.count() != 2 {
		t.Errorf("server saw %d requests, want 2", rec.count())
	}
}

// A timeout is the one transport failure a setting can cure, so its error
// names the limit that was hit and the setting that raises it.
func TestTimeoutErrorNamesTheLimitAndSetting(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	cfg := fastConfig(rec.server.URL)
	cfg.RequestTimeout = 50 * time.Millisecond
	cfg.MaxRetries = 1
	c := newTestClient(t, cfg)

	_, err := c.ListRules(testContext(t))

	for _, want := range []string{"within the request timeout of 50ms", "after 2 attempts", "request_timeout_seconds", "CONFLUENCE_REQUEST_TIMEOUT_SECONDS"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not contain %q", err, want)
		}
	}
}

// dripBody sends the headers and the start of a JSON answer at once, then
// holds the rest back longer than the client's timeout allows.
func dripBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, `[{"name":"JWT",`)
	http.NewResponseController(w).Flush() //nolint:errcheck // httptest's writer always flushes
	select {
	case <-r.Context().Done():
	case <-time.After(3 * time.Second):
	}
	_, _ = io.WriteString(w, `"builtIn":true,"enabled":true}]`)
}

// TestBodyTimeoutIsRetried drips the first answer's body past the request
// timeout: the attempt must count as a timeout and be retried.
func TestBodyTimeoutIsRetried(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, index int) {
		if index == 0 {
			dripBody(w, r)
			return
		}
		writeJSON(w, http.StatusOK, `[{"name":"JWT","builtIn":true,"enabled":true}]`)
	})
	cfg := fastConfig(rec.server.URL)
	cfg.RequestTimeout = 200 * time.Millisecond
	c := newTestClient(t, cfg)

	rules, err := c.ListRules(testContext(t))
	if err != nil {
		t.Fatalf("ListRules: %v", err)
	}
	if len(rules) != 1 || rules[0].Name != "JWT" || rec.count() != 2 {
		t.Errorf("got %v from %d requests, want the JWT rule from the second of 2", rules, rec.count())
	}
}

// TestBodyTimeoutOnEveryAttempt names the timeout setting, as a timeout
// without an answer does, rather than blaming a login page.
func TestBodyTimeoutOnEveryAttempt(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, _ int) { dripBody(w, r) })
	cfg := fastConfig(rec.server.URL)
	cfg.RequestTimeout = 200 * time.Millisecond
	cfg.MaxRetries = 1
	c := newTestClient(t, cfg)

	_, err := c.ListRules(testContext(t))
	if err == nil {
		t.Fatal("ListRules succeeded on a body that never arrived")
	}
	for _, want := range []string{"did not arrive in full within the request timeout of 200ms",
		"after 2 attempts", "request_timeout_seconds", "CONFLUENCE_REQUEST_TIMEOUT_SECONDS"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "single sign-on") || errors.Is(err, ErrUnexpectedContent) {
		t.Errorf("error %q blames a login page or the content", err)
	}
	if rec.count() != 2 {
		t.Errorf("server saw %d requests, want 2", rec.count())
	}
}
