package client

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

const (
	testMatchText   = `AKIA"EXAMPLE<&>/key`
	testCreatedWhen = "2021-08-15T17:54:36.860-05:00"
)

func TestCallsOnTheWire(t *testing.T) {
	reviewed := true
	basicAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte(testUser+":"+testPassword))
	prefix := "/confluence/rest/security/latest/"

	tests := []struct {
		name       string
		call       func(context.Context, *Client) (any, error)
		response   string
		wantMethod string
		wantURI    string
		wantBody   string
		wantAccept string
		wantResult any
	}{
		{
			name: "space findings with every parameter",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetSpaceFindings(ctx, "~jdoe", FindingsQuery{
					Page: 2, Size: 50, Reviewed: &reviewed, RuleNames: []string{"AWS_CLIENT_ID", "JWT"},
				})
			},
			response:   `{"scanState":"COMPLETED","upToDateContent":true,"page":2,"size":50,"findings":[{"ruleName":"JWT","firstVersion":1}]}`,
			wantMethod: http.MethodGet,
			wantURI:    prefix + "scan/space/~jdoe?page=2&reviewed=true&ruleIds=AWS_CLIENT_ID%2CJWT&size=50",
			wantResult: &FindingsPage{ScanState: "COMPLETED", UpToDateContent: true, Page: 2, Size: 50,
				Findings: []Finding{{RuleName: "JWT", FirstVersion: 1}}},
		},
		{
			name: "space findings with defaults",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetSpaceFindings(ctx, "DEV", FindingsQuery{})
			},
			response:   `{"scanState":"UNSCANNED","findings":[]}`,
			wantMethod: http.MethodGet,
			wantURI:    prefix + "scan/space/DEV?page=0",
			wantResult: &FindingsPage{ScanState: "UNSCANNED", Findings: []Finding{}},
		},
		{
			name: "content findings of one version",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetContentFindings(ctx, "98305", testCreatedWhen, FindingsQuery{Size: 10})
			},
			response:   `{"scanState":"COMPLETED","findings":[]}`,
			wantMethod: http.MethodGet,
			wantURI:    prefix + "scan/content/98305?createdWhen=2021-08-15T17%3A54%3A36.860-05%3A00&page=0&size=10",
			wantResult: &FindingsPage{ScanState: "COMPLETED", Findings: []Finding{}},
		},
		{
			name: "content findings of every version",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetContentFindings(ctx, "98305", "", FindingsQuery{})
			},
			response:   `{"scanState":"COMPLETED","findings":[{"contentId":"98305","lastVersion":3,"historical":true}]}`,
			wantMethod: http.MethodGet,
			wantURI:    prefix + "scan/content/98305?page=0",
			wantResult: &FindingsPage{ScanState: "COMPLETED", Findings: []Finding{{ContentID: "98305", LastVersion: 3, Historical: true}}},
		},
		{
			name:       "scan space",
			call:       func(ctx context.Context, c *Client) (any, error) { return c.ScanSpace(ctx, "~jdoe") },
			response:   `{"scanState":"COMPLETED","spaceKey":"~jdoe","findingsCount":4}`,
			wantMethod: http.MethodPost,
			wantURI:    prefix + "scan/space?key=~jdoe",
			wantResult: &ScanResult{ScanState: "COMPLETED", SpaceKey: "~jdoe", FindingsCount: 4},
		},
		{
			name:       "scan content",
			call:       func(ctx context.Context, c *Client) (any, error) { return c.ScanContent(ctx, "98305") },
			response:   `{"scanState":"SCANNING","contentId":"98305"}`,
			wantMethod: http.MethodPost,
			wantURI:    prefix + "scan/content?id=98305",
			wantResult: &ScanResult{ScanState: "SCANNING", ContentID: "98305"},
		},
		{
			name: "scan content version",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ScanContentVersion(ctx, "98305", testCreatedWhen)
			},
			response:   `{"scanState":"COMPLETED","createdWhen":"` + testCreatedWhen + `"}`,
			wantMethod: http.MethodPost,
			wantURI:    prefix + "scan/content/version?createdWhen=2021-08-15T17%3A54%3A36.860-05%3A00&id=98305",
			wantResult: &ScanResult{ScanState: "COMPLETED", CreatedWhen: testCreatedWhen},
		},
		{
			name:       "list rules",
			call:       func(ctx context.Context, c *Client) (any, error) { return c.ListRules(ctx) },
			response:   `[{"name":"JWT","builtIn":true,"enabled":true,"future":1}]`,
			wantMethod: http.MethodGet,
			wantURI:    prefix + "rules",
			wantResult: []Rule{{Name: "JWT", BuiltIn: true, Enabled: true}},
		},
		{
			name: "disable a rule whose name needs escaping",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SetBuiltInRuleEnabled(ctx, "a/b c%", false)
			},
			response:   `{"name":"a/b c%","builtIn":true,"enabled":false}`,
			wantMethod: http.MethodPut,
			wantURI:    prefix + "rules/built-in/a%2Fb%20c%25?enabled=false",
			wantResult: &Rule{Name: "a/b c%", BuiltIn: true},
		},
		{
			name: "create review",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.CreateReview(ctx, "~jdoe", "AWS_CLIENT_ID", testMatchText)
			},
			response:   `{"spaceKey":"~jdoe"}`,
			wantMethod: http.MethodPost,
			wantURI:    prefix + "review/space/~jdoe/create",
			wantBody:   `{"matchText":"AKIA\"EXAMPLE\u003c\u0026\u003e/key","ruleName":"AWS_CLIENT_ID"}`,
		},
		{
			name: "delete review",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.DeleteReview(ctx, "~jdoe", testMatchText)
			},
			wantMethod: http.MethodPost,
			wantURI:    prefix + "review/space/~jdoe/delete",
			wantBody:   `{"matchText":"AKIA\"EXAMPLE\u003c\u0026\u003e/key"}`,
		},
		{
			name:       "delete all reviews",
			call:       func(ctx context.Context, c *Client) (any, error) { return c.DeleteAllReviews(ctx, "~jdoe") },
			response:   `{"deleted":3}`,
			wantMethod: http.MethodDelete,
			wantURI:    prefix + "review/space/~jdoe?confirm=true",
			wantResult: 3,
		},
		{
			name: "export one space",
			call: func(ctx context.Context, c *Client) (any, error) {
				out, err := c.ExportSpaceFindings(ctx, "~jdoe")
				return string(out), err
			},
			response:   "Space Key,Content ID\n~jdoe,1\n",
			wantMethod: http.MethodGet,
			wantURI:    prefix + "export/space/~jdoe/findings",
			wantAccept: "text/csv",
			wantResult: "Space Key,Content ID\n~jdoe,1\n",
		},
		{
			name: "export every space",
			call: func(ctx context.Context, c *Client) (any, error) {
				out, err := c.ExportAllFindings(ctx)
				return string(out), err
			},
			response:   "Space Key\n",
			wantMethod: http.MethodGet,
			wantURI:    prefix + "export/findings",
			wantAccept: "text/csv",
			wantResult: "Space Key\n",
		},
		{
			name:       "get space",
			call:       func(ctx context.Context, c *Client) (any, error) { return c.GetSpace(ctx, "~jdoe") },
			response:   `{"id":65537,"key":"~jdoe","name":"J Doe","type":"personal","_links":{}}`,
			wantMethod: http.MethodGet,
			wantURI:    "/confluence/rest/api/space/~jdoe",
			wantResult: &Space{ID: 65537, Key: "~jdoe", Name: "J Doe", Type: "personal"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				if tt.wantAccept == "text/csv" {
					w.Header().Set("Content-Type", "text/csv")
					_, _ = w.Write([]byte(tt.response))
					return
				}
				if tt.response == "" {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				writeJSON(w, http.StatusOK, tt.response)
			})
			c := newTestClient(t, fastConfig(rec.server.URL+"/confluence//"))

			got, err := tt.call(testContext(t), c)
			if err != nil {
				t.Fatalf("call failed: %v", err)
			}
			if tt.wantResult != nil && !reflect.DeepEqual(got, tt.wantResult) {
				t.Errorf("result = %#v, want %#v", got, tt.wantResult)
			}

			requests := rec.all()
			if len(requests) != 1 {
				t.Fatalf("server saw %d requests, want 1", len(requests))
			}
			assertRequest(t, requests[0], tt.wantMethod, tt.wantURI, tt.wantBody, tt.wantAccept, basicAuth)
		})
	}
}

func assertRequest(t *testing.T, got recorded, method, uri, body, accept, authorization string) {
	t.Helper()
	if accept == "" {
		accept = "application/json"
	}
	if got.Method != method {
		t.Errorf("method = %s, want %s", got.Method, method)
	}
	if got.RequestURI != uri {
		t.Errorf("request URI = %s, want %s", got.RequestURI, uri)
	}
	if strings.Contains(got.RequestURI, "//") {
		t.Errorf("request URI %s holds an empty path segment", got.RequestURI)
	}
	if got.Body != body {
		t.Errorf("body = %q, want %q", got.Body, body)
	}
	wantContentType := ""
	if body != "" {
		wantContentType = "application/json"
	}
	wantHeaders := map[string]string{
		"Accept":            accept,
		"Authorization":     authorization,
		"X-Atlassian-Token": "no-check",
		"User-Agent":        "terraform-provider-securityforconfluence/test",
		"Content-Type":      wantContentType,
	}
	for name, want := range wantHeaders {
		if value := got.Header.Get(name); value != want {
			t.Errorf("header %s = %q, want %q", name, value, want)
		}
	}
}

func TestPathSegmentsAreEscapedAsOneSegment(t *testing.T) {
	tests := []struct {
		name    string
		segment string
		want    string
	}{
		{"tilde of a personal space", "~jdoe", "~jdoe"},
		{"slash space and percent", "a/b c%", "a%2Fb%20c%25"},
		{"question mark and hash", "q?x#y", "q%3Fx%23y"},
		{"non-ASCII", "ünï", "%C3%BCn%C3%AF"},
		{"semicolon and comma", "a;b,c", "a%3Bb%2Cc"},
		{"plus and ampersand", "a+b&c", "a+b&c"},
		{"dot dot", "..", "%2E%2E"},
		{"single dot", ".", "%2E"},
		{"dots within a name", "a..b", "a..b"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, answerJSON(http.StatusOK, `{"name":"x"}`))
			c := newTestClient(t, fastConfig(rec.server.URL))

			if _, err := c.SetBuiltInRuleEnabled(testContext(t), tt.segment, true); err != nil {
				t.Fatalf("SetBuiltInRuleEnabled: %v", err)
			}

			got := rec.all()[0].RequestURI
			want := "/rest/security/latest/rules/built-in/" + tt.want + "?enabled=true"
			if got != want {
				t.Errorf("request URI = %s, want %s", got, want)
			}
		})
	}
}

func TestEmptySegmentIsRefusedBeforeAnyRequest(t *testing.T) {
	rec := newRecorder(t, answerJSON(http.StatusOK, `{}`))
	c := newTestClient(t, fastConfig(rec.server.URL))

	_, err := c.GetSpace(testContext(t), "")
	if err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Fatalf("error = %v, want one saying a key is empty", err)
	}
	if rec.count() != 0 {
		t.Errorf("server saw %d requests, want none", rec.count())
	}
}

func TestBaseURLContextPathAndSlashes(t *testing.T) {
	tests := []struct {
		suffix string
		want   string
	}{
		{"", "/rest/api/space/DEV"},
		{"/", "/rest/api/space/DEV"},
		{"///", "/rest/api/space/DEV"},
		{"/confluence", "/confluence/rest/api/space/DEV"},
		{"/confluence/", "/confluence/rest/api/space/DEV"},
		{"//confluence//wiki//", "/confluence/wiki/rest/api/space/DEV"},
		{"/wiki%20home/", "/wiki%20home/rest/api/space/DEV"},
	}

	for _, tt := range tests {
		t.Run(tt.suffix, func(t *testing.T) {
			rec := newRecorder(t, answerJSON(http.StatusOK, `{"key":"DEV"}`))
			c := newTestClient(t, fastConfig(rec.server.URL+tt.suffix))

			if _, err := c.GetSpace(testContext(t), "DEV"); err != nil {
				t.Fatalf("GetSpace: %v", err)
			}
			if got := rec.all()[0].RequestURI; got != tt.want {
				t.Errorf("request URI = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNewRejectsUnusableBaseURLs(t *testing.T) {
	tests := []struct {
		name    string
		baseURL string
		want    string
	}{
		{"empty", "  ", "is empty"},
		{"other scheme", "ftp://confluence.example.com", "must start with https:// or http://"},
		{"no scheme", "confluence.example.com/confluence", "must start with https:// or http://"},
		{"no host", "https:///confluence", "has no host name"},
		{"port without host", "http://:18391", "has no host name"},
		{"credentials", "https://admin:" + testPassword + "@confluence.example.com", "carries a username or password"},
		{"user only", "https://admin@confluence.example.com", "carries a username or password"},
		{"query", "https://confluence.example.com/?os_authType=basic", "must not carry a query"},
		{"fragment", "https://confluence.example.com/#top", "must not carry a query"},
		{"unparsable", "https://confluence.example.com:port/", "cannot be parsed"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Config{BaseURL: tt.baseURL})
			if err == nil {
				t.Fatalf("New accepted %q", tt.baseURL)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("error %q reveals the password", err)
			}
		})
	}
}

func TestAuthenticationModes(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(testUser+":"+testPassword))
	tests := []struct {
		name     string
		username string
		password string
		token    string
		want     string
	}{
		{"basic", testUser, testPassword, "", basic},
		{"token", "", "", testToken, "Bearer " + testToken},
		{"token wins over basic", testUser, testPassword, testToken, "Bearer " + testToken},
		{"anonymous", "", "", "", ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, answerJSON(http.StatusOK, `[]`))
			cfg := fastConfig(rec.server.URL)
			cfg.Username, cfg.Password, cfg.Token = tt.username, tt.password, tt.token
			c := newTestClient(t, cfg)

			if _, err := c.ListRules(testContext(t)); err != nil {
				t.Fatalf("ListRules: %v", err)
			}
			if got := rec.all()[0].Header.Get("Authorization"); got != tt.want {
				t.Errorf("Authorization = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDefaultUserAgent(t *testing.T) {
	rec := newRecorder(t, answerJSON(http.StatusOK, `[]`))
	cfg := fastConfig(rec.server.URL)
	cfg.UserAgent = ""
	c := newTestClient(t, cfg)

	if _, err := c.ListRules(testContext(t)); err != nil {
		t.Fatalf("ListRules: %v", err)
	}
	if got := rec.all()[0].Header.Get("User-Agent"); got != defaultUserAgent {
		t.Errorf("User-Agent = %q, want %q", got, defaultUserAgent)
	}
}

func TestDecodingIsTolerant(t *testing.T) {
	rec := newRecorder(t, answerJSON(http.StatusOK, `{"scanState":"COMPLETED","extra":{"nested":[1,2]},"findings":[]}`))
	c := newTestClient(t, fastConfig(rec.server.URL))

	page, err := c.GetSpaceFindings(testContext(t), "DEV", FindingsQuery{})
	if err != nil {
		t.Fatalf("GetSpaceFindings: %v", err)
	}
	if page.ScanState != ScanStateCompleted {
		t.Errorf("scan state = %q, want %q", page.ScanState, ScanStateCompleted)
	}
	if page.Findings == nil || len(page.Findings) != 0 {
		t.Errorf("findings = %#v, want an empty, non-nil slice", page.Findings)
	}
}

func TestGetContent(t *testing.T) {
	rec := newRecorder(t, answerJSON(http.StatusOK,
		`{"id":"98305","type":"page","title":"Runbook","space":{"key":"~jdoe","name":"x"},"version":{"number":3,"when":"2021"},"extra":1}`))
	c := newTestClient(t, fastConfig(rec.server.URL+"/confluence"))

	content, err := c.GetContent(testContext(t), "98305")
	if err != nil {
		t.Fatalf("GetContent: %v", err)
	}
	want := Content{ID: "98305", Type: "page", Title: "Runbook", SpaceKey: "~jdoe", Version: 3}
	if *content != want {
		t.Errorf("content = %+v, want %+v", *content, want)
	}
	if got := rec.all()[0].RequestURI; got != "/confluence/rest/api/content/98305" {
		t.Errorf("request URI = %s", got)
	}
}

func TestGetContentErrors(t *testing.T) {
	rec := newRecorder(t, answerJSON(http.StatusNotFound, `{"statusCode":404,"message":"No content found with id : 1."}`))
	if _, err := newTestClient(t, fastConfig(rec.server.URL)).GetContent(testContext(t), "1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("404: error = %v, want ErrNotFound", err)
	}
	rec = newRecorder(t, answerJSON(http.StatusOK, `{}`))
	if _, err := newTestClient(t, fastConfig(rec.server.URL)).GetContent(testContext(t), "1"); !errors.Is(err, ErrUnexpectedContent) {
		t.Errorf("{}: error = %v, want ErrUnexpectedContent", err)
	}
}
