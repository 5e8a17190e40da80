package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// The fault matrix: every way a Confluence or the network in front of it can
// misbehave, each either cured by a bounded number of retries or reported
// with the cause and what to check. The client runs with the provider's own
// settings scaled down: max_retries 4, max_retry_wait_seconds 1.

const (
	hardeningSpace = "HARD"
	hardeningRule  = "AWS_CLIENT_ID"
)

// hardeningKey is the n-th of a family of distinct AWS_CLIENT_ID matches.
func hardeningKey(n int) string {
	return fmt.Sprintf("AKIAHARDEN%010d", n)
}

// hardeningFake starts a fake whose space HARD holds one page with count
// AWS client ids, already scanned.
func hardeningFake(t *testing.T, count int) *fake.Server {
	t.Helper()
	srv := newTestFake(t)
	srv.CreateSpace(hardeningSpace, "Hardening", "admin")
	keys := make([]string, count)
	for i := range keys {
		keys[i] = hardeningKey(i + 1)
	}
	srv.CreatePage(hardeningSpace, "Keys", "<p>"+strings.Join(keys, " ")+"</p>")
	srv.ScanSpace(hardeningSpace)
	return srv
}

// hardeningClient is the client the provider builds with max_retries = 4,
// max_retry_wait_seconds = 1 and request_timeout_seconds = 2.
func hardeningClient(t *testing.T, url string, change func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{
		BaseURL:        url,
		Username:       "admin",
		Password:       "admin",
		RequestTimeout: 2 * time.Second,
		MaxRetries:     4,
		RetryWaitMax:   time.Second,
	}
	if change != nil {
		change(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c
}

// hardeningRequestCount counts the recorded requests of one method whose path
// contains part.
func hardeningRequestCount(srv *fake.Server, method, part string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method && strings.Contains(r.RawPath, part) {
			n++
		}
	}
	return n
}

type faultOperation struct {
	name   string
	method string
	path   string
	run    func(context.Context, *client.Client) error
	// converged checks the server holds the write exactly once.
	converged func(*fake.Server) error
}

var (
	listRulesOp = faultOperation{
		name: "list rules", method: http.MethodGet, path: "/rules",
		run: func(ctx context.Context, c *client.Client) error {
			rules, err := c.ListRules(ctx)
			if err == nil && len(rules) == 0 {
				return errors.New("no rules listed")
			}
			return err
		},
	}
	createReviewOp = faultOperation{
		name: "create review", method: http.MethodPost, path: "/create",
		run: func(ctx context.Context, c *client.Client) error {
			return c.CreateReview(ctx, hardeningSpace, hardeningRule, hardeningKey(1))
		},
		converged: func(srv *fake.Server) error {
			reviewed := srv.ReviewedTexts(hardeningSpace)
			if len(reviewed) != 1 || reviewed[hardeningKey(1)] != hardeningRule {
				return fmt.Errorf("the space holds %d reviews, want exactly the one created", len(reviewed))
			}
			return nil
		},
	}
	toggleRuleOp = faultOperation{
		name: "toggle rule", method: http.MethodPut, path: "/rules/built-in/",
		run: func(ctx context.Context, c *client.Client) error {
			rule, err := c.SetBuiltInRuleEnabled(ctx, "EMAIL_ADDRESS", false)
			if err == nil && rule.Enabled {
				return errors.New("the answer says the rule is still enabled")
			}
			return err
		},
		converged: func(srv *fake.Server) error {
			if srv.RuleEnabled("EMAIL_ADDRESS") {
				return errors.New("EMAIL_ADDRESS is still enabled")
			}
			return nil
		},
	}
)

type faultCase struct {
	name      string
	op        faultOperation
	fault     fake.Fault
	configure func(*client.Config)
	// wantAttempts is how many requests of the operation reach the server.
	wantAttempts int
	// minElapsed and maxElapsed bound the whole call, retries included.
	minElapsed, maxElapsed time.Duration
	wantErr                error
	wantText               []string
}

func retryAfter(value string) http.Header {
	return http.Header{"Retry-After": {value}, "Content-Type": {"application/json"}}
}

func faultCases() []faultCase {
	inAnHour := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	rateLimited := `{"statusCode":429,"message":"Rate limit exceeded"}`
	return []faultCase{
		{name: "429 with Retry-After 2 waits the 1s cap", op: listRulesOp,
			fault:        fake.Fault{Status: 429, Header: retryAfter("2"), Body: rateLimited},
			wantAttempts: 2, minElapsed: 900 * time.Millisecond, maxElapsed: 3 * time.Second},
		{name: "429 with a huge Retry-After is clamped", op: listRulesOp,
			fault:        fake.Fault{Status: 429, Header: retryAfter("9223372036"), Body: rateLimited},
			wantAttempts: 2, maxElapsed: 3 * time.Second},
		{name: "429 with a Retry-After overflowing int64 falls back to backoff", op: listRulesOp,
			fault:        fake.Fault{Status: 429, Header: retryAfter("99999999999999999999999"), Body: rateLimited},
			wantAttempts: 2, maxElapsed: 3 * time.Second},
		{name: "429 with an HTTP date is clamped", op: listRulesOp,
			fault:        fake.Fault{Status: 429, Header: retryAfter(inAnHour), Body: rateLimited},
			wantAttempts: 2, maxElapsed: 3 * time.Second},
		{name: "429 without Retry-After backs off", op: createReviewOp,
			fault:        fake.Fault{Status: 429, Body: rateLimited},
			wantAttempts: 2, maxElapsed: 3 * time.Second},
		{name: "429 on every attempt gives up after the retries", op: createReviewOp,
			fault:        fake.Fault{Status: 429, Header: retryAfter("1"), Body: rateLimited, Times: 99},
			configure:    func(cfg *client.Config) { cfg.MaxRetries = 2 },
			wantAttempts: 3, minElapsed: 1800 * time.Millisecond, maxElapsed: 5 * time.Second,
			wantErr:  client.ErrRateLimited,
			wantText: []string{"rate limited (HTTP 429 Too Many Requests) after 3 attempts", "Rate limit exceeded", "allow more retries"}},
		{name: "503 is retried", op: toggleRuleOp,
			fault:        fake.Fault{Status: 503, Body: "Service Unavailable", Times: 2},
			wantAttempts: 3, maxElapsed: 5 * time.Second},
		{name: "500 with a JSON message fails at once", op: createReviewOp,
			fault:        fake.Fault{Status: 500, Header: http.Header{"Content-Type": {"application/json"}}, Body: `{"statusCode":500,"message":"Database connection lost"}`},
			wantAttempts: 1, maxElapsed: time.Second, wantErr: client.ErrServer,
			wantText: []string{"server error (HTTP 500", "the server said: Database connection lost", "Confluence logs"}},
		{name: "connection dropped before the server acts", op: createReviewOp,
			fault:        fake.Fault{DropConnection: true},
			wantAttempts: 2, maxElapsed: 3 * time.Second},
		{name: "connection dropped after a review was stored", op: createReviewOp,
			fault:        fake.Fault{DropAfterHandling: true},
			wantAttempts: 2, maxElapsed: 3 * time.Second},
		{name: "connection dropped after a rule toggle was stored", op: toggleRuleOp,
			fault:        fake.Fault{DropAfterHandling: true},
			wantAttempts: 2, maxElapsed: 3 * time.Second},
		{name: "a server that never answers hits the request timeout", op: listRulesOp,
			fault:        fake.Fault{Delay: time.Minute, Times: 99},
			configure:    func(cfg *client.Config) { cfg.RequestTimeout = 500 * time.Millisecond; cfg.MaxRetries = 1 },
			wantAttempts: 2, minElapsed: time.Second, maxElapsed: 4 * time.Second,
			wantText: []string{"within the request timeout of 500ms", "after 2 attempts", "request_timeout_seconds"}},
		{name: "a slow server within the timeout succeeds", op: createReviewOp,
			fault:        fake.Fault{Delay: 300 * time.Millisecond},
			wantAttempts: 1, minElapsed: 300 * time.Millisecond, maxElapsed: 2 * time.Second},
		{name: "a login page with status 200", op: listRulesOp,
			fault: fake.Fault{Status: 200, Header: http.Header{"Content-Type": {"text/html;charset=UTF-8"}},
				Body: "<html><head><title>Log In - Confluence</title></head><body>form</body></html>"},
			wantAttempts: 1, maxElapsed: time.Second, wantErr: client.ErrUnexpectedContent,
			wantText: []string{"web page instead of JSON", "Log In - Confluence", "single sign-on or proxy login page"}},
		{name: "a redirect to a login page", op: createReviewOp,
			fault:        fake.Fault{Status: 302, Header: http.Header{"Location": {"/login.action?os_destination=%2Frest"}}},
			wantAttempts: 1, maxElapsed: time.Second, wantErr: client.ErrUnexpectedContent,
			wantText: []string{"redirected to a login page", "/login.action", "context path"}},
		{name: "invalid JSON", op: listRulesOp,
			fault:        fake.Fault{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: `[{"name": "AWS_CLIENT_ID",`},
			wantAttempts: 1, maxElapsed: time.Second, wantErr: client.ErrUnexpectedContent,
			wantText: []string{"not valid JSON", "Security for Confluence is installed"}},
		{name: "a truncated body", op: toggleRuleOp,
			fault: fake.Fault{Status: 200, Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"400"}},
				Body: `{"name":"EMAIL_ADDRESS","builtIn":true,`},
			wantAttempts: 1, maxElapsed: time.Second, wantErr: client.ErrUnexpectedContent,
			wantText: []string{"cut short"}},
	}
}

func TestHardeningClientFaults(t *testing.T) {
	for _, tc := range faultCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := hardeningFake(t, 1)
			c := hardeningClient(t, srv.Start(), tc.configure)
			tc.fault.Method, tc.fault.PathContains = tc.op.method, tc.op.path
			srv.QueueFault(tc.fault)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			started := time.Now()
			err := tc.op.run(ctx, c)
			elapsed := time.Since(started)

			checkFaultOutcome(t, tc, err)
			if elapsed < tc.minElapsed || elapsed > tc.maxElapsed {
				t.Errorf("the call took %s, want between %s and %s", elapsed, tc.minElapsed, tc.maxElapsed)
			}
			if got := hardeningRequestCount(srv, tc.op.method, tc.op.path); got != tc.wantAttempts {
				t.Errorf("the server saw %d %s requests, want %d", got, tc.op.method, tc.wantAttempts)
			}
			if tc.wantErr == nil && tc.op.converged != nil {
				if problem := tc.op.converged(srv); problem != nil {
					t.Error(problem)
				}
			}
		})
	}
}

func checkFaultOutcome(t *testing.T, tc faultCase, err error) {
	t.Helper()
	if tc.wantErr == nil && len(tc.wantText) == 0 {
		if err != nil {
			t.Fatalf("%s failed: %v", tc.op.name, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("%s succeeded, want an error", tc.op.name)
	}
	if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
		t.Errorf("error %q is not %v", err, tc.wantErr)
	}
	for _, want := range tc.wantText {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), hardeningKey(1)) {
		t.Errorf("error %q holds the match text", err)
	}
}

// Canceling must stop a call both while a request is in flight and while
// the client sleeps between attempts, however long the server asked it to.
func TestHardeningClientCancellation(t *testing.T) {
	cases := []struct {
		name  string
		fault fake.Fault
	}{
		{"during a request the server holds", fake.Fault{Delay: time.Minute}},
		{"during a Retry-After wait", fake.Fault{Status: 429, Header: retryAfter("30"), Times: 99}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := hardeningFake(t, 1)
			c := hardeningClient(t, srv.Start(), func(cfg *client.Config) {
				cfg.RequestTimeout, cfg.RetryWaitMax = time.Minute, time.Minute
			})
			tc.fault.Method, tc.fault.PathContains = http.MethodPost, "/create"
			srv.QueueFault(tc.fault)

			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(500*time.Millisecond, cancel)
			started := time.Now()
			err := createReviewOp.run(ctx, c)
			stopped := time.Since(started) - 500*time.Millisecond

			if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "canceled") {
				t.Errorf("error = %v, want a cancellation", err)
			}
			if stopped > time.Second {
				t.Errorf("the call went on for %s after the cancel, want under 1s", stopped)
			}
		})
	}
}

// hardeningFaultBlock is the provider block of the terraform fault steps:
// short waits and timeouts so a failing step costs seconds.
func hardeningFaultBlock(url string, maxRetries, timeoutSeconds int) string {
	return fmt.Sprintf(`
provider "securityforconfluence" {
  url                     = %q
  username                = "admin"
  password                = "admin"
  max_retries             = %d
  max_retry_wait_seconds  = 1
  request_timeout_seconds = %d
}
`, url, maxRetries, timeoutSeconds)
}

// hardeningReviews declares reviews of the first count keys.
func hardeningReviews(count int) string {
	var b strings.Builder
	for i := 1; i <= count; i++ {
		fmt.Fprintf(&b, `
resource "securityforconfluence_reviewed_finding" "k%d" {
  space_key  = %q
  rule_name  = %q
  match_text = %q
}
`, i, hardeningSpace, hardeningRule, hardeningKey(i))
	}
	return b.String()
}

// expectReviewCount checks the space holds exactly the first count keys.
func expectReviewCount(srv *fake.Server, count int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reviewed := srv.ReviewedTexts(hardeningSpace)
		if len(reviewed) != count {
			return fmt.Errorf("the space holds %d reviews, want %d", len(reviewed), count)
		}
		for i := 1; i <= count; i++ {
			if reviewed[hardeningKey(i)] != hardeningRule {
				return fmt.Errorf("review %d is missing", i)
			}
		}
		return nil
	}
}

// Each step adds one review while the fake misbehaves in one way; the write
// either lands once or the step fails naming the cause, and the next clean
// step converges.
func TestAccHardeningFaults_reviewWrites(t *testing.T) {
	srv := hardeningFake(t, 8)
	url := srv.Start()
	block := hardeningFaultBlock(url, 2, 5)
	queue := func(f fake.Fault) func() {
		return func() { srv.ResetRequests(); srv.QueueFault(f) }
	}
	createFault := func(f fake.Fault) fake.Fault {
		f.Method, f.PathContains = http.MethodPost, "/create"
		return f
	}
	createsOf := func(n, want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got := 0
			for _, r := range srv.Requests() {
				if r.Method == http.MethodPost && strings.Contains(string(r.Body), hardeningKey(n)) {
					got++
				}
			}
			if got != want {
				return fmt.Errorf("review %d was sent %d times, want %d", n, got, want)
			}
			return nil
		}
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectReviewCount(srv, 0),
		Steps: []resource.TestStep{
			{
				PreConfig: queue(createFault(fake.Fault{Status: 429, Header: retryAfter("2")})),
				Config:    block + hardeningReviews(1),
				Check:     resource.ComposeTestCheckFunc(expectReviewCount(srv, 1), createsOf(1, 2)),
			},
			{
				PreConfig: queue(createFault(fake.Fault{DropAfterHandling: true})),
				Config:    block + hardeningReviews(2),
				Check:     resource.ComposeTestCheckFunc(expectReviewCount(srv, 2), createsOf(2, 2)),
			},
			{
				PreConfig: queue(createFault(fake.Fault{DropConnection: true})),
				Config:    block + hardeningReviews(3),
				Check:     resource.ComposeTestCheckFunc(expectReviewCount(srv, 3), createsOf(3, 2)),
			},
			{
				// The plan-time space lookup meets two 503s and still passes.
				PreConfig: queue(fake.Fault{Method: http.MethodGet, PathContains: "/rest/api/space/", Status: 503, Times: 2}),
				Config:    block + hardeningReviews(4),
				Check:     expectReviewCount(srv, 4),
			},
			{
				PreConfig: queue(createFault(fake.Fault{Status: 500, Header: http.Header{"Content-Type": {"application/json"}},
					Body: `{"statusCode":500,"message":"Database connection lost"}`})),
				Config:      block + hardeningReviews(5),
				ExpectError: regexp.MustCompile(`(?s)Create Review Error.*HTTP\s+500.*Database\s+connection\s+lost.*Confluence\s+logs`),
			},
			{
				PreConfig:   queue(createFault(fake.Fault{Status: 429, Header: retryAfter("1"), Times: 3})),
				Config:      block + hardeningReviews(5),
				ExpectError: regexp.MustCompile(`(?s)Create Review Error.*rate\s+limited.*after\s+3\s+attempts.*allow\s+more\s+retries`),
			},
			{
				PreConfig:   queue(createFault(fake.Fault{Delay: time.Minute})),
				Config:      hardeningFaultBlock(url, 0, 1) + hardeningReviews(5),
				ExpectError: regexp.MustCompile(`(?s)Create Review Error.*request\s+timeout\s+of\s+1s.*request_timeout_seconds`),
			},
			{
				PreConfig: queue(createFault(fake.Fault{Status: 200, Header: http.Header{"Content-Type": {"text/html"}},
					Body: "<html><title>Log In - Confluence</title></html>"})),
				Config:      block + hardeningReviews(5),
				ExpectError: regexp.MustCompile(`(?s)Create Review Error.*web\s+page\s+instead\s+of\s+JSON.*Log\s+In\s+-\s+Confluence`),
			},
			{
				// The refresh before the plan meets the login redirect.
				PreConfig: queue(fake.Fault{Method: http.MethodGet, PathContains: "/scan/space/", Status: 302,
					Header: http.Header{"Location": {url + "/login.action"}}, Times: 99}),
				Config:      block + hardeningReviews(5),
				ExpectError: regexp.MustCompile(`(?s)redirected\s+to\s+a\s+login\s+page.*login\.action`),
			},
			{
				PreConfig: func() { hardeningDrainFaults(t, srv) },
				Config:    block + hardeningReviews(5),
				Check:     resource.ComposeTestCheckFunc(expectReviewCount(srv, 5), createsOf(5, 1)),
			},
		},
	})
}

// hardeningDrainFaults serves the faults a failed step left queued, so the
// next step starts from a well-behaved server.
func hardeningDrainFaults(t *testing.T, srv *fake.Server) {
	t.Helper()
	c := hardeningClient(t, srv.Start(), func(cfg *client.Config) { cfg.MaxRetries = 0 })
	for i := 0; srv.PendingFaults() > 0 && i < 200; i++ {
		_, _, _ = c.ListSpaceFindings(context.Background(), hardeningSpace, client.FindingsQuery{})
	}
	srv.ResetRequests()
}
