package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// leakyMatchText spans lines and holds characters that JSON, HTML and URLs
// escape, so every echoed form of it is exercised.
const leakyMatchText = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAleakyBody<&>\"q\"\n-----END RSA PRIVATE KEY-----"

// leakyFragment is a part of the match text that no mask string can contain,
// so finding it anywhere proves a leak even of a partial echo.
const leakyFragment = "MIIEpAIBAAKCAQEAleakyBody"

func TestSecretsNeverReachLogsOrErrors(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPassword))
	echoes := []struct {
		name    string
		respond func(w http.ResponseWriter, r *http.Request, body string)
	}{
		{"JSON message echoing the text and credentials", func(w http.ResponseWriter, r *http.Request, _ string) {
			message := fmt.Sprintf("Cannot review %s for %s (%s, %s)", leakyMatchText, r.Header.Get("Authorization"), testPassword, testToken)
			encoded, _ := json.Marshal(ErrorBody{StatusCode: 400, Message: message})
			writeJSON(w, http.StatusBadRequest, string(encoded))
		}},
		{"plain text echoing the raw request body", func(w http.ResponseWriter, _ *http.Request, body string) {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("Failed to parse " + body))
		}},
		{"HTML page echoing the escaped text", func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("<html><title>No " + html.EscapeString(leakyMatchText) + "</title></html>"))
		}},
		{"XSRF refusal echoing the text with folded whitespace", func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte("XSRF check failed for " + strings.Join(strings.Fields(leakyMatchText), " ")))
		}},
		{"redirect echoing the text in its location", func(w http.ResponseWriter, r *http.Request, _ string) {
			http.Redirect(w, r, "/login.action?text="+url.QueryEscape(leakyMatchText)+"&p="+url.PathEscape(testPassword), http.StatusFound)
		}},
		{"retries before an echo", func(w http.ResponseWriter, _ *http.Request, body string) {
			w.Header().Set("Retry-After", "0")
			writeJSON(w, http.StatusServiceUnavailable, body)
		}},
	}
	auths := []struct {
		name string
		set  func(*Config)
	}{
		{"basic", func(*Config) {}},
		{"token", func(cfg *Config) { cfg.Username, cfg.Password, cfg.Token = "", "", testToken }},
	}

	for _, auth := range auths {
		for _, echo := range echoes {
			t.Run(auth.name+"/"+echo.name, func(t *testing.T) {
				rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, _ int) {
					body, _ := io.ReadAll(r.Body)
					echo.respond(w, r, string(body))
				})
				cfg := fastConfig(rec.server.URL)
				auth.set(&cfg)
				c := newTestClient(t, cfg)

				var logs bytes.Buffer
				ctx := tflogtest.RootLogger(context.Background(), &logs)
				createErr := c.CreateReview(ctx, "DEV", "RSA_PRIVATE_KEY", leakyMatchText)
				deleteErr := c.DeleteReview(ctx, "DEV", leakyMatchText)

				if createErr == nil || deleteErr == nil {
					t.Fatalf("errors = %v, %v; want both calls to fail", createErr, deleteErr)
				}
				if !strings.Contains(logs.String(), "Confluence API request") {
					t.Fatalf("no request was logged: %s", logs.String())
				}
				forbidden := []string{leakyMatchText, leakyFragment}
				if cfg.Token != "" {
					forbidden = append(forbidden, cfg.Token)
				} else {
					forbidden = append(forbidden, testPassword, basic)
				}
				for _, text := range []string{createErr.Error(), deleteErr.Error(), logs.String()} {
					for _, secret := range forbidden {
						if strings.Contains(text, secret) {
							t.Errorf("%q leaks into %s", secret, text)
						}
					}
				}
			})
		}
	}
}

func TestEveryAttemptIsLogged(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, index int) {
		if index == 0 {
			writeJSON(w, http.StatusServiceUnavailable, `{}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"findingsCount":0}`)
	})
	c := newTestClient(t, fastConfig(rec.server.URL+"/confluence"))

	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	if _, err := c.ScanSpace(ctx, "~jdoe"); err != nil {
		t.Fatalf("ScanSpace: %v", err)
	}

	entries, err := tflogtest.MultilineJSONDecode(&logs)
	if err != nil {
		t.Fatalf("decoding logs: %v", err)
	}
	var attempts []map[string]any
	for _, entry := range entries {
		if entry["@message"] == "Confluence API request" {
			attempts = append(attempts, entry)
		}
	}
	if len(attempts) != 2 {
		t.Fatalf("logged %d attempts, want 2: %v", len(attempts), entries)
	}
	for i, entry := range attempts {
		wantStatus := []float64{503, 200}[i]
		if entry["@level"] != "debug" || entry["method"] != "POST" ||
			entry["path"] != "/confluence/rest/security/latest/scan/space?key=~jdoe" ||
			entry["status"] != wantStatus || entry["attempt"] != float64(i+1) {
			t.Errorf("attempt %d logged as %v", i+1, entry)
		}
		if _, ok := entry["duration_ms"].(float64); !ok {
			t.Errorf("attempt %d has no duration_ms: %v", i+1, entry)
		}
	}
}

func TestCallContextMasksSecretsInAnyLogLine(t *testing.T) {
	c := newTestClient(t, fastConfig("https://confluence.example.com"))
	var logs bytes.Buffer
	ctx := withLogMasks(tflogtest.RootLogger(context.Background(), &logs), c.secretsFor(leakyMatchText))

	tflog.Debug(ctx, "message with "+testPassword, map[string]any{"field": leakyMatchText, "other": "x " + testPassword})

	if strings.Contains(logs.String(), testPassword) || strings.Contains(logs.String(), leakyFragment) {
		t.Errorf("log line leaks a secret: %s", logs.String())
	}
	if !strings.Contains(logs.String(), "message with ***") {
		t.Errorf("log line lost its message: %s", logs.String())
	}
}

func TestSecretsForCoversEscapedForms(t *testing.T) {
	c := newTestClient(t, fastConfig("https://confluence.example.com"))
	secrets := c.secretsFor(`a<b>"c d`)

	for _, form := range []string{`a<b>"c d`, `a\u003cb\u003e\"c d`, `a<b>\"c d`, "a&lt;b&gt;&#34;c d", "a%3Cb%3E%22c+d", "a%3Cb%3E%22c%20d"} {
		if got := scrub("x "+form+" y", secrets); got != "x *** y" {
			t.Errorf("scrub left %q as %q", form, got)
		}
	}
	if got := scrub("nothing secret", secrets); got != "nothing secret" {
		t.Errorf("scrub changed a harmless text to %q", got)
	}
}

// TestCallerSecretsAreMaskedInErrors has the server quote a text of the same
// resource that this call did not carry: the caller's WithSecrets masks it.
func TestCallerSecretsAreMaskedInErrors(t *testing.T) {
	const thisText, otherText = "AKIAAAAAAAAAAAAAAAA1", "AKIABBBBBBBBBBBBBBB2"
	rec := newRecorder(t, answerJSON(http.StatusBadRequest,
		`{"statusCode":400,"message":"Cannot review `+thisText+` while `+otherText+` is pending"}`))
	c := newTestClient(t, fastConfig(rec.server.URL))

	ctx := WithSecrets(WithSecrets(testContext(t), "unused-text"), otherText)
	err := c.CreateReview(ctx, "DEV", "AWS_CLIENT_ID", thisText)
	if err == nil {
		t.Fatal("CreateReview succeeded on a 400")
	}
	if strings.Contains(err.Error(), thisText) || strings.Contains(err.Error(), otherText) {
		t.Errorf("error %q shows a match text", err)
	}
	if !strings.Contains(err.Error(), "Cannot review *** while *** is pending") {
		t.Errorf("error %q lost the server's message around the masks", err)
	}
}

// TestShortSecretsAreMaskedAsWholeWordsOnly keeps a short password from
// garbling, and so pointing at itself inside, the words that contain it.
func TestShortSecretsAreMaskedAsWholeWordsOnly(t *testing.T) {
	tests := []struct {
		user, password, message, want string
	}{
		{"admin", "admi", "User admin is not a Confluence administrator",
			"User admin is not a Confluence administrator"},
		{"admin", "admi", "Bad password admi for admin.", "Bad password *** for admin."},
		{"bob1", "bob1", "User bob1 is not a Confluence administrator",
			"User *** is not a Confluence administrator"},
		{"carol", "hunter2", "Password xhunter2x rejected", "Password x***x rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.password+"/"+tt.message, func(t *testing.T) {
			rec := newRecorder(t, answerJSON(http.StatusForbidden,
				`{"statusCode":403,"message":"`+tt.message+`"}`))
			cfg := fastConfig(rec.server.URL)
			cfg.Username, cfg.Password = tt.user, tt.password
			_, err := newTestClient(t, cfg).ListRules(testContext(t))
			if err == nil || !strings.Contains(err.Error(), "the server said: "+tt.want) {
				t.Errorf("error = %v, want the server's message as %q", err, tt.want)
			}
		})
	}
}
