package fake

import (
	"bufio"
	"encoding/csv"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// The vendor page holds 15 lines starting with "curl": 14 calls of the API
// and one generic example ($URL) of the XSRF header.
const (
	vendorCurlLines     = 15
	vendorEndpointLines = 14
)

// curlCommand is what the contract test needs from one curl line.
type curlCommand struct {
	line    string
	method  string
	rawURL  string
	headers http.Header
	data    string
}

// splitShellWords splits a line as a POSIX shell would for the quoting the
// vendor page uses: single quotes, double quotes and bare words.
func splitShellWords(line string) ([]string, bool) {
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, quote == 0
}

func parseCurl(t *testing.T, line string) curlCommand {
	t.Helper()
	words, ok := splitShellWords(line)
	if !ok || len(words) == 0 || words[0] != "curl" {
		t.Fatalf("cannot parse curl line %q", line)
	}
	cmd := curlCommand{line: line, method: http.MethodGet, headers: http.Header{}}
	for i := 1; i < len(words); i++ {
		next := func() string {
			i++
			if i >= len(words) {
				t.Fatalf("option %s has no value in %q", words[i-1], line)
			}
			return words[i]
		}
		switch words[i] {
		case "-u":
			next()
		case "-X":
			cmd.method = next()
		case "-H":
			name, value, _ := strings.Cut(next(), ":")
			cmd.headers.Add(strings.TrimSpace(name), strings.TrimSpace(value))
		case "--data", "-d":
			cmd.data = next()
		default:
			if strings.HasPrefix(words[i], "-") {
				t.Fatalf("unknown curl option %s in %q", words[i], line)
			}
			cmd.rawURL = words[i]
		}
	}
	return cmd
}

func readVendorCurlLines(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/vendor-curl-lines.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if line := strings.TrimSpace(scanner.Text()); strings.HasPrefix(line, "curl ") {
			lines = append(lines, line)
		}
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// placeholders maps every placeholder of the page to a value the demo seeds:
// content 65537 is DEMO's "Deployment runbook", whose version 1 was created
// at the page's own createdWhen example, and ops@example.com is reviewed.
func placeholders(baseURL string) *strings.Replacer {
	return strings.NewReplacer(
		"https://{confluence-address}", baseURL,
		"$URL", baseURL+"/rest/security/latest/rules",
		"{key}", "DEMO",
		"{id}", "65537",
		"{page}", "0",
		"{size}", "25",
		"{reviewed}", "false",
		"{createdWhen}", url.QueryEscape("2021-08-15T17:54:36.860-05:00"),
		"{name}", "AWS_CLIENT_ID",
		"{enabled}", "true",
		"{ruleIds}", "AWS_CLIENT_ID,EMAIL_ADDRESS",
		"$MATCH", "ops@example.com",
		"$RULENAME", "EMAIL_ADDRESS",
	)
}

func TestVendorCurlLines(t *testing.T) {
	lines := readVendorCurlLines(t)
	if len(lines) < vendorCurlLines {
		t.Fatalf("testdata holds %d curl lines, the vendor page has %d", len(lines), vendorCurlLines)
	}
	endpoints := 0
	for _, line := range lines {
		if strings.Contains(line, "/rest/security/latest/") {
			endpoints++
		}
	}
	if endpoints < vendorEndpointLines {
		t.Fatalf("testdata holds %d endpoint calls, the vendor page has %d", endpoints, vendorEndpointLines)
	}
	for _, line := range lines {
		t.Run(line, func(t *testing.T) {
			replayCurl(t, parseCurl(t, line))
		})
	}
}

// replayCurl sends one line to a fresh demo, so every line stands alone, and
// checks the body is of the kind the path promises.
func replayCurl(t *testing.T, cmd curlCommand) {
	_, baseURL := startDemo(t)
	replace := placeholders(baseURL)
	target := replace.Replace(cmd.rawURL)
	r, err := http.NewRequest(cmd.method, target, strings.NewReader(replace.Replace(cmd.data)))
	if err != nil {
		t.Fatalf("building the request for %s: %v", target, err)
	}
	r.Header = cmd.headers.Clone()
	r.SetBasicAuth("admin", "admin")
	r.Header.Set("X-Atlassian-Token", "no-check")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body := new(strings.Builder)
	if _, err := bufio.NewReader(resp.Body).WriteTo(body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		t.Fatalf("%s %s: status %d, body %s", cmd.method, target, resp.StatusCode, body)
	}
	checkBodyKind(t, cmd.method, target, body.String())
}

func checkBodyKind(t *testing.T, method, target, body string) {
	t.Helper()
	path := strings.TrimPrefix(mustParseURL(t, target).Path, "/rest/security/latest/")
	switch {
	case strings.HasPrefix(path, "export/"):
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) < 2 || !slices.Equal(rows[0], client.ExportColumns) {
			t.Fatalf("export is not a CSV with the header and rows: %v %q", err, body)
		}
	case method == http.MethodGet && strings.HasPrefix(path, "scan/"):
		page := decode[client.FindingsPage](t, []byte(body))
		if page.ScanState != client.ScanStateCompleted || len(page.Findings) == 0 {
			t.Fatalf("findings page %+v", page)
		}
	case strings.HasPrefix(path, "scan/"):
		if result := decode[client.ScanResult](t, []byte(body)); result.ScanState != client.ScanStateCompleted {
			t.Fatalf("scan result %+v", result)
		}
	case path == "rules":
		if rules := decode[[]client.Rule](t, []byte(body)); len(rules) < 13 {
			t.Fatalf("%d rules", len(rules))
		}
	case strings.HasPrefix(path, "rules/built-in/"):
		if rule := decode[client.Rule](t, []byte(body)); rule.Name != "AWS_CLIENT_ID" || !rule.Enabled {
			t.Fatalf("rule %+v", rule)
		}
	case strings.HasSuffix(path, "/create"):
		if review := decode[client.Review](t, []byte(body)); review.MatchText != "ops@example.com" {
			t.Fatalf("review %+v", review)
		}
	case strings.HasSuffix(path, "/delete"):
		if body != "" {
			t.Fatalf("un-reviewing answered a body: %s", body)
		}
	case strings.HasPrefix(path, "review/space/"):
		if result := decode[client.DeleteAllReviewsResult](t, []byte(body)); result.Deleted != 2 {
			t.Fatalf("delete all %+v", result)
		}
	default:
		t.Fatalf("no body check for %s %s", method, path)
	}
}

func mustParseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
