package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

var allSentinels = []error{
	ErrNotFound, ErrUnauthorized, ErrForbidden, ErrXSRFRejected,
	ErrRateLimited, ErrServer, ErrUnexpectedContent,
}

const loginPage = `<!DOCTYPE html><html><head><title>Log In - Confluence</title></head>
<body><form action="/dologin.action"></form></body></html>`

func TestTypedErrors(t *testing.T) {
	tests := []struct {
		name        string
		respond     func(http.ResponseWriter, *http.Request, int)
		wantErr     error
		wantStatus  int
		wantMessage string
		wantText    []string
	}{
		{
			name:        "401",
			respond:     answerJSON(401, `{"statusCode":401,"message":"Client must be authenticated"}`),
			wantErr:     ErrUnauthorized,
			wantStatus:  401,
			wantMessage: "Client must be authenticated",
			wantText:    []string{"rejected the credentials", "Check the username and password, or the personal access token"},
		},
		{
			name:        "403",
			respond:     answerJSON(403, `{"statusCode":403,"message":"You are not a space administrator"}`),
			wantErr:     ErrForbidden,
			wantStatus:  403,
			wantMessage: "You are not a space administrator",
			wantText:    []string{"HTTP 403", "administrator of the space", "Confluence administrator"},
		},
		{
			name: "403 XSRF in plain text",
			respond: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(403)
				_, _ = w.Write([]byte("XSRF check failed"))
			},
			wantErr:     ErrXSRFRejected,
			wantStatus:  403,
			wantMessage: "XSRF check failed",
			wantText:    []string{"X-Atlassian-Token", "proxy"},
		},
		{
			name:       "403 XSRF in JSON",
			respond:    answerJSON(403, `{"statusCode":403,"message":"XSRF check failed"}`),
			wantErr:    ErrXSRFRejected,
			wantStatus: 403,
			wantText:   []string{"strips that header"},
		},
		{
			name:        "404 with a JSON error",
			respond:     answerJSON(404, `{"statusCode":404,"message":"No space with key : NOPE"}`),
			wantErr:     ErrNotFound,
			wantStatus:  404,
			wantMessage: "No space with key : NOPE",
			wantText:    []string{"Check that the space, content or rule exists", "context path"},
		},
		{
			name:       "404 without a body",
			respond:    func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(404) },
			wantErr:    ErrNotFound,
			wantStatus: 404,
		},
		{
			name: "404 web page of a wrong context path",
			respond: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(404)
				_, _ = w.Write([]byte("<html><head><title>HTTP Status 404 – Not Found</title></head></html>"))
			},
			wantErr:     ErrUnexpectedContent,
			wantStatus:  404,
			wantMessage: "a web page titled HTTP Status 404 – Not Found",
			wantText:    []string{"web page instead of the REST API", "context path such as /confluence"},
		},
		{
			name:        "400 has no sentinel",
			respond:     answerJSON(400, `{"statusCode":400,"message":"Unknown rule name"}`),
			wantStatus:  400,
			wantMessage: "Unknown rule name",
			wantText:    []string{"the request was rejected (HTTP 400 Bad Request)"},
		},
		{
			name: "500 with a plain-text body",
			respond: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.WriteHeader(500)
				_, _ = w.Write([]byte("java.lang.NullPointerException\n\tat com.example.Scan"))
			},
			wantErr:     ErrServer,
			wantStatus:  500,
			wantMessage: "java.lang.NullPointerException at com.example.Scan",
			wantText:    []string{"Confluence logs"},
		},
		{
			name: "login page served with 200",
			respond: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "text/html;charset=UTF-8")
				_, _ = w.Write([]byte(loginPage))
			},
			wantErr:     ErrUnexpectedContent,
			wantStatus:  200,
			wantMessage: "Log In - Confluence",
			wantText:    []string{"web page instead of JSON", "login page sits in front of the REST API"},
		},
		{
			name: "web page without a content type",
			respond: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header()["Content-Type"] = nil
				_, _ = w.Write([]byte("  <html><body>Maintenance</body></html>"))
			},
			wantErr:    ErrUnexpectedContent,
			wantStatus: 200,
			wantText:   []string{"web page instead of JSON"},
		},
		{
			name: "redirect to the login page",
			respond: func(w http.ResponseWriter, r *http.Request, _ int) {
				http.Redirect(w, r, "/confluence/login.action?os_destination=%2Frest%2Fapi", http.StatusFound)
			},
			wantErr:    ErrUnexpectedContent,
			wantStatus: 302,
			wantText:   []string{"redirected to a login page (/confluence/login.action", "context path"},
		},
		{
			name:       "invalid JSON",
			respond:    answerJSON(200, `{"key": "DEV",`),
			wantErr:    ErrUnexpectedContent,
			wantStatus: 200,
			wantText:   []string{"not valid JSON"},
		},
		{
			name:       "JSON of the wrong shape",
			respond:    answerJSON(200, `{"id":"not a number"}`),
			wantErr:    ErrUnexpectedContent,
			wantStatus: 200,
			wantText:   []string{"does not have the expected shape"},
		},
		{
			name:       "empty body",
			respond:    answerJSON(200, ``),
			wantErr:    ErrUnexpectedContent,
			wantStatus: 200,
			wantText:   []string{"empty where JSON was expected"},
		},
		{
			name: "truncated body",
			respond: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", "500")
				_, _ = w.Write([]byte(`{"key":"DEV","name":"Devel`))
			},
			wantErr:    ErrUnexpectedContent,
			wantStatus: 200,
			wantText:   []string{"cut short"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.respond)
			c := newTestClient(t, fastConfig(rec.server.URL+"/confluence"))

			space, err := c.GetSpace(testContext(t), "DEV")
			if err == nil {
				t.Fatalf("GetSpace succeeded with %#v", space)
			}
			apiErr := assertAPIError(t, err, tt.wantErr, tt.wantStatus)
			if tt.wantMessage != "" && apiErr.Message != tt.wantMessage {
				t.Errorf("Message = %q, want %q", apiErr.Message, tt.wantMessage)
			}
			wantText := append([]string{"GET /confluence/rest/api/space/DEV"}, tt.wantText...)
			for _, text := range wantText {
				if !strings.Contains(err.Error(), text) {
					t.Errorf("error %q does not contain %q", err, text)
				}
			}
			if rec.count() != 1 {
				t.Errorf("server saw %d requests, want 1", rec.count())
			}
		})
	}
}

func assertAPIError(t *testing.T, err, wantErr error, wantStatus int) *APIError {
	t.Helper()
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is a %T, want *APIError", err, err)
	}
	if apiErr.StatusCode != wantStatus || apiErr.Method != http.MethodGet {
		t.Errorf("status and method = %d %s, want %d GET", apiErr.StatusCode, apiErr.Method, wantStatus)
	}
	for _, sentinel := range allSentinels {
		if got, want := errors.Is(err, sentinel), sentinel == wantErr; got != want {
			t.Errorf("errors.Is(err, %v) = %v, want %v", sentinel, got, want)
		}
	}
	return apiErr
}

func TestDeleteReviewOfAnUnreviewedTextIsNotFound(t *testing.T) {
	rec := newRecorder(t, answerJSON(404, `{"statusCode":404,"message":"Not reviewed"}`))
	c := newTestClient(t, fastConfig(rec.server.URL))

	err := c.DeleteReview(testContext(t), "DEV", testMatchText)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("error = %v, want ErrNotFound", err)
	}
}

func TestRedirects(t *testing.T) {
	tests := []struct {
		name         string
		call         func(*Client) error
		wantErr      error
		wantRequests int
	}{
		{
			name:         "a read follows a redirect that is not a login page",
			call:         func(c *Client) error { _, err := c.ListRules(testContext(t)); return err },
			wantRequests: 2,
		},
		{
			name:         "a change never follows a redirect",
			call:         func(c *Client) error { _, err := c.ScanSpace(testContext(t), "DEV"); return err },
			wantErr:      ErrUnexpectedContent,
			wantRequests: 1,
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, index int) {
				if index == 0 {
					http.Redirect(w, r, "/moved"+r.URL.Path, http.StatusMovedPermanently)
					return
				}
				writeJSON(w, http.StatusOK, `[]`)
			})
			c := newTestClient(t, fastConfig(rec.server.URL))

			err := tt.call(c)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if rec.count() != tt.wantRequests {
				t.Errorf("server saw %d requests, want %d", rec.count(), tt.wantRequests)
			}
		})
	}
}

func TestExportRefusesAWebPage(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(loginPage))
	})
	c := newTestClient(t, fastConfig(rec.server.URL))

	_, err := c.ExportAllFindings(testContext(t))
	if !errors.Is(err, ErrUnexpectedContent) || !strings.Contains(err.Error(), "web page instead of CSV") {
		t.Errorf("error = %v, want ErrUnexpectedContent about a web page instead of CSV", err)
	}
}

func TestLongServerMessagesAreShortened(t *testing.T) {
	long := strings.Repeat("x", 2000)
	rec := newRecorder(t, answerJSON(400, fmt.Sprintf(`{"message":%q}`, long)))
	c := newTestClient(t, fastConfig(rec.server.URL))

	_, err := c.ListRules(testContext(t))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want *APIError", err)
	}
	if got := len([]rune(apiErr.Message)); got != maxMessageRunes+1 {
		t.Errorf("message has %d runes, want %d and an ellipsis", got, maxMessageRunes+1)
	}
}

func TestErrorTextReadsAsSentences(t *testing.T) {
	err := (&APIError{
		StatusCode: 404, Method: "GET", Path: "/rest/api/space/X",
		Message: "No space with key : X.", problem: "not found", hint: "Check the key.",
	}).Error()

	want := "GET /rest/api/space/X: not found (HTTP 404 Not Found); the server said: No space with key : X. Check the key."
	if err != want {
		t.Errorf("error text = %q, want %q", err, want)
	}
}
