package fake

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

func TestRouting(t *testing.T) {
	_, baseURL := startDemo(t)
	tests := []struct {
		name   string
		call   call
		status int
		want   string
	}{
		{"unknown route names itself", call{path: "/rest/security/latest/nothing/here", user: "admin"}, 404, "No route for GET /rest/security/latest/nothing/here"},
		{"wrong method", call{method: "POST", path: sec + "rules", user: "admin"}, 405, "use GET"},
		{"escaped slash stays in the rule name", call{method: "PUT", path: sec + "rules/built-in/AWS%2FCLIENT_ID?enabled=true", user: "admin"}, 404, `named \"AWS/CLIENT_ID\"`},
		{"escaped space in a custom rule name", call{method: "PUT", path: sec + "rules/built-in/Internal%20hostname?enabled=false", user: "admin"}, 404, `named \"Internal hostname\"`},
		{"tilde key as sent", call{path: "/rest/api/space/~jdoe", user: "admin"}, 200, `"key":"~jdoe"`},
		{"tilde key escaped", call{path: "/rest/api/space/%7Ejdoe", user: "admin"}, 200, `"type":"personal"`},
		{"keys are case-sensitive", call{path: "/rest/api/space/demo", user: "admin"}, 404, "No space with key : demo"},
		{"trailing slash", call{path: sec + "rules/", user: "admin"}, 200, `"name":"AWS_CLIENT_ID"`},
		{"findings of a personal space", call{path: sec + "scan/space/%7Ejdoe", user: "jdoe"}, 200, `"spaceKey":"~jdoe"`},
		{"literal scan/content/version is not an id", call{method: "POST", path: sec + "scan/content/version?id=1", user: "admin"}, 404, "No content found with id : 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := tt.call.send(t, baseURL)
			if status != tt.status || !strings.Contains(string(body), tt.want) {
				t.Fatalf("status %d body %s; want %d containing %q", status, body, tt.status, tt.want)
			}
			if status >= 400 {
				errBody := decode[client.ErrorBody](t, body)
				if errBody.StatusCode != status || errBody.Message == "" {
					t.Fatalf("error body %+v does not carry status %d and a message", errBody, status)
				}
			}
		})
	}
}

func TestContextPath(t *testing.T) {
	s := NewDemo()
	s.SetContextPath("/confluence/")
	baseURL := s.Start()
	t.Cleanup(s.Close)
	if !strings.HasSuffix(baseURL, "/confluence") {
		t.Fatalf("base URL %s does not end in the context path", baseURL)
	}
	call{path: sec + "rules", user: "admin"}.expect(t, baseURL, 200)
	root := strings.TrimSuffix(baseURL, "/confluence")
	call{path: sec + "rules", user: "admin"}.expect(t, root, 404)
}

func TestAuthentication(t *testing.T) {
	s, baseURL := startDemo(t)
	s.AddToken("pat-of-spaceadmin", "spaceadmin")
	tests := []struct {
		name   string
		call   call
		status int
	}{
		{"no credentials", call{path: sec + "scan/space/DEMO"}, 401},
		{"wrong password", call{path: sec + "scan/space/DEMO", user: "nobody"}, 401},
		{"bearer token", call{path: sec + "scan/space/DEMO", token: "pat-of-spaceadmin"}, 200},
		{"unknown token", call{path: sec + "scan/space/DEMO", token: "pat-unknown"}, 401},
		{"unknown route still needs credentials", call{path: "/rest/nothing"}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.call.expect(t, baseURL, tt.status)
		})
	}
	status, _, body := call{path: sec + "rules", user: "admin", body: ""}.send(t, baseURL)
	if status != 200 || strings.Contains(string(body), "admin:admin") {
		t.Fatalf("rules as admin: %d %s", status, body)
	}
}

func TestPermissions(t *testing.T) {
	s, baseURL := startDemo(t)
	contentID := s.CreatePage("DEMO", "Permissions probe", "<p>nothing secret</p>")
	when := url.QueryEscape(s.ContentVersions(contentID)[0].CreatedWhen)
	review := `{"matchText":"AKIAIOSFODNN7EXAMPLE","ruleName":"AWS_CLIENT_ID"}`
	endpoints := []call{
		{method: "GET", path: sec + "scan/space/DEMO"},
		{method: "GET", path: sec + "scan/content/" + contentID + "?createdWhen=" + when},
		{method: "POST", path: sec + "scan/space?key=DEMO"},
		{method: "POST", path: sec + "scan/content?id=" + contentID},
		{method: "POST", path: sec + "scan/content/version?id=" + contentID + "&createdWhen=" + when},
		{method: "POST", path: sec + "review/space/DEMO/create", body: review},
		{method: "GET", path: sec + "export/space/DEMO/findings"},
		{method: "GET", path: sec + "rules"},
		{method: "PUT", path: sec + "rules/built-in/JWT?enabled=true"},
		{method: "GET", path: sec + "export/findings"},
	}
	// Expected status per role, in the order of endpoints: the space admin
	// of DEMO may do everything but rules; a plain user may only export
	// what they administer, which is nothing.
	want := map[string][]int{
		"admin":      {200, 200, 200, 200, 200, 200, 200, 200, 200, 200},
		"spaceadmin": {200, 200, 200, 200, 200, 200, 200, 403, 403, 200},
		"user":       {403, 403, 403, 403, 403, 403, 403, 403, 403, 200},
		"":           {401, 401, 401, 401, 401, 401, 401, 401, 401, 401},
	}
	for role, statuses := range want {
		for i, endpoint := range endpoints {
			endpoint.user = role
			t.Run(fmt.Sprintf("%s %s %s", role, endpoint.method, endpoint.path), func(t *testing.T) {
				endpoint.expect(t, baseURL, statuses[i])
			})
		}
	}
	call{path: sec + "scan/space/OPS", user: "spaceadmin"}.expect(t, baseURL, 403)
	call{path: sec + "scan/space/~jdoe", user: "jdoe"}.expect(t, baseURL, 200)
	call{path: sec + "scan/space/~jdoe", user: "spaceadmin"}.expect(t, baseURL, 403)
}

func TestXSRF(t *testing.T) {
	s, baseURL := startDemo(t)
	mutations := []call{
		{method: "POST", path: sec + "scan/space?key=DEMO"},
		{method: "PUT", path: sec + "rules/built-in/JWT?enabled=false"},
		{method: "POST", path: sec + "review/space/DEMO/create", body: `{"matchText":"x","ruleName":"JWT"}`},
		{method: "POST", path: sec + "review/space/DEMO/delete", body: `{"matchText":"ops@example.com"}`},
		{method: "DELETE", path: sec + "review/space/DEMO?confirm=true"},
		{method: "DELETE", path: sec + "export/findings"},
		{method: "POST", path: "/rest/api/space", body: `{"key":"NEW","name":"New"}`},
		{method: "DELETE", path: "/rest/api/content/65537"},
	}
	for _, m := range mutations {
		t.Run(m.method+" "+m.path, func(t *testing.T) {
			m.user, m.noXSRF = "admin", true
			body := m.expect(t, baseURL, 403)
			if got := decode[client.ErrorBody](t, body).Message; got != "XSRF check failed" {
				t.Fatalf("message %q, want XSRF check failed", got)
			}
		})
	}
	if !s.RuleEnabled("JWT") || len(s.ReviewedTexts("DEMO")) != 2 || s.SpaceExists("NEW") || !s.ContentExists("65537") {
		t.Fatal("a request refused by the XSRF check changed state")
	}
	call{path: sec + "rules", user: "admin", noXSRF: true}.expect(t, baseURL, 200)
	call{method: "POST", path: sec + "scan/space?key=DEMO", noXSRF: true}.expect(t, baseURL, 401)
}

func TestFindingsPaging(t *testing.T) {
	_, baseURL := startDemo(t)
	all := findingsPage(t, baseURL, sec+"scan/space/DEMO?size=100").Findings
	if len(all) != 11 {
		t.Fatalf("DEMO has %d findings, want 11", len(all))
	}
	tests := []struct {
		query    string
		status   int
		wantSize int
		wantLen  int
		first    int
	}{
		{"", 200, 25, 11, 0},
		{"page=0&size=4", 200, 4, 4, 0},
		{"page=2&size=4", 200, 4, 3, 8},
		{"page=3&size=4", 200, 4, 0, 0},
		{"page=999999999999&size=100", 200, 100, 0, 0},
		{"size=1000", 200, 100, 11, 0},
		{"size=0", 200, 25, 11, 0},
		{"page=&size=", 200, 25, 11, 0},
		{"size=-1", 400, 0, 0, 0},
		{"page=-1", 400, 0, 0, 0},
		{"page=one", 400, 0, 0, 0},
		{"size=1.5", 400, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			body := call{path: sec + "scan/space/DEMO?" + tt.query, user: "admin"}.expect(t, baseURL, tt.status)
			if tt.status != 200 {
				return
			}
			if !strings.Contains(string(body), `"findings":[`) {
				t.Fatalf("findings is not a JSON array: %s", body)
			}
			page := decode[client.FindingsPage](t, body)
			if page.Size != tt.wantSize || len(page.Findings) != tt.wantLen {
				t.Fatalf("size %d with %d findings, want %d with %d", page.Size, len(page.Findings), tt.wantSize, tt.wantLen)
			}
			if tt.wantLen > 0 && page.Findings[0] != all[tt.first] {
				t.Fatalf("page starts at %+v, want finding %d", page.Findings[0], tt.first)
			}
		})
	}
}

func TestReviewedAndRuleFilters(t *testing.T) {
	_, baseURL := startDemo(t)
	count := func(query string) (reviewed, unreviewed int) {
		for _, f := range findingsPage(t, baseURL, sec+"scan/space/DEMO?"+query).Findings {
			if f.Reviewed {
				reviewed++
			} else {
				unreviewed++
			}
		}
		return reviewed, unreviewed
	}
	tests := []struct {
		query                string
		reviewed, unreviewed int
	}{
		{"", 2, 9},
		{"reviewed=true", 2, 0},
		{"reviewed=false", 0, 9},
		{"ruleIds=EMAIL_ADDRESS", 1, 1},
		{"ruleIds=GITHUB_TOKEN,JWT", 0, 3},
		{"ruleIds=EMAIL_ADDRESS&reviewed=false", 0, 1},
		{"ruleIds=NO_SUCH_RULE", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			reviewed, unreviewed := count(tt.query)
			if reviewed != tt.reviewed || unreviewed != tt.unreviewed {
				t.Fatalf("%d reviewed and %d unreviewed, want %d and %d", reviewed, unreviewed, tt.reviewed, tt.unreviewed)
			}
		})
	}
	call{path: sec + "scan/space/DEMO?reviewed=yes", user: "admin"}.expect(t, baseURL, 400)
}

func TestDeduplicationAndHistorical(t *testing.T) {
	s, baseURL := startEmpty(t)
	s.CreateSpace("SEC", "Secrets")
	const tokenA = "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	const tokenB = "ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	id := s.CreatePage("SEC", "Tokens", "<p>"+tokenA+"</p>")
	s.UpdateContent(id, "<p>"+tokenB+"</p>")
	s.UpdateContent(id, "<p>"+tokenA+" "+tokenA+"</p>")
	s.UpdateContent(id, "<p>"+tokenA+"</p>")

	findings := findingsPage(t, baseURL, sec+"scan/space/SEC").Findings
	if len(findings) != 2 {
		t.Fatalf("got %d findings, want 2 (one per text): %+v", len(findings), findings)
	}
	want := []client.Finding{
		{RuleName: "GITHUB_TOKEN", MatchText: tokenA, SpaceKey: "SEC", ContentID: id, ContentTitle: "Tokens", ContentType: "page", FirstVersion: 1, LastVersion: 4},
		{RuleName: "GITHUB_TOKEN", MatchText: tokenB, SpaceKey: "SEC", ContentID: id, ContentTitle: "Tokens", ContentType: "page", FirstVersion: 2, LastVersion: 2, Historical: true},
	}
	if !slices.Equal(findings, want) {
		t.Fatalf("findings\n%+v\nwant\n%+v", findings, want)
	}
	whole := findingsPage(t, baseURL, sec+"scan/content/"+id).Findings
	if !slices.Equal(whole, want) {
		t.Fatalf("content findings without createdWhen\n%+v\nwant the deduplicated\n%+v", whole, want)
	}
}

func TestSingleVersionListing(t *testing.T) {
	s, baseURL := startEmpty(t)
	s.CreateSpace("SEC", "Secrets")
	const key = "AKIAABCDEFGHIJKLMNOP"
	id := s.CreatePage("SEC", "Keys", "<p>"+key+" ops@example.com</p>")
	s.UpdateContent(id, "<p>"+key+"</p>")
	versions := s.ContentVersions(id)
	if len(versions) != 2 || versions[0].CreatedWhen == versions[1].CreatedWhen {
		t.Fatalf("versions %+v do not have distinct timestamps", versions)
	}
	v1 := findingsPage(t, baseURL, sec+"scan/content/"+id+"?createdWhen="+url.QueryEscape(versions[0].CreatedWhen)).Findings
	if len(v1) != 2 || v1[0].FirstVersion != 1 || v1[0].LastVersion != 1 {
		t.Fatalf("version 1 findings %+v, want two findings of version 1 alone", v1)
	}
	email := findByText(v1, "ops@example.com")
	if email == nil || !email.Historical {
		t.Fatalf("the address removed in version 2 should be historical: %+v", v1)
	}
	v2 := findingsPage(t, baseURL, sec+"scan/content/"+id+"?createdWhen="+url.QueryEscape(versions[1].CreatedWhen)).Findings
	if len(v2) != 1 || v2[0].FirstVersion != 2 || v2[0].LastVersion != 2 || v2[0].Historical {
		t.Fatalf("version 2 findings %+v, want only the key, not merged with version 1", v2)
	}

	when, _ := parseWhen(versions[0].CreatedWhen)
	tests := []struct {
		name        string
		createdWhen string
		status      int
	}{
		{"same instant in UTC", when.UTC().Format(createdWhenLayout), 200},
		{"encoded plus of an offset", strings.Replace(when.In(time.FixedZone("", 3600)).Format(createdWhenLayout), "+", "%2B", 1), 200},
		{"unencoded plus of an offset", when.In(time.FixedZone("", 3600)).Format(createdWhenLayout), 200},
		{"unknown version", "2000-01-01T00:00:00.000-05:00", 404},
		{"malformed", "yesterday", 400},
		{"empty", "", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call{path: sec + "scan/content/" + id + "?createdWhen=" + tt.createdWhen, user: "admin"}.expect(t, baseURL, tt.status)
			call{method: "POST", path: sec + "scan/content/version?id=" + id + "&createdWhen=" + tt.createdWhen, user: "admin"}.expect(t, baseURL, tt.status)
		})
	}
}

func TestScanTriggers(t *testing.T) {
	s, baseURL := startDemo(t)
	id := s.CreatePage("OPS", "Trigger probe", "<p>AKIAABCDEFGHIJKLMNOP</p>")
	when := s.ContentVersions(id)[0].CreatedWhen
	space := decode[client.ScanResult](t, call{method: "POST", path: sec + "scan/space?key=OPS", user: "admin"}.expect(t, baseURL, 200))
	if space.ScanState != client.ScanStateCompleted || space.SpaceKey != "OPS" || space.FindingsCount != 7 || !space.UpToDateSettings {
		t.Fatalf("space scan result %+v", space)
	}
	content := decode[client.ScanResult](t, call{method: "POST", path: sec + "scan/content?id=" + id, user: "admin"}.expect(t, baseURL, 200))
	if content.ContentID != id || content.FindingsCount != 1 {
		t.Fatalf("content scan result %+v", content)
	}
	version := decode[client.ScanResult](t, call{method: "POST", path: sec + "scan/content/version?id=" + id + "&createdWhen=" + url.QueryEscape(when), user: "admin"}.expect(t, baseURL, 200))
	if version.CreatedWhen != when || version.FindingsCount != 1 {
		t.Fatalf("version scan result %+v", version)
	}
	call{method: "POST", path: sec + "scan/space?key=NOPE", user: "admin"}.expect(t, baseURL, 404)
	call{method: "POST", path: sec + "scan/space", user: "admin"}.expect(t, baseURL, 400)
	call{method: "POST", path: sec + "scan/content?id=999", user: "admin"}.expect(t, baseURL, 404)
}

func TestRuleToggleMakesScansOutdated(t *testing.T) {
	s, baseURL := startDemo(t)
	rule := decode[client.Rule](t, call{method: "PUT", path: sec + "rules/built-in/JWT?enabled=false", user: "admin"}.expect(t, baseURL, 200))
	if rule.Name != "JWT" || rule.Enabled || !rule.BuiltIn || rule.Description == "" || rule.Category == "" {
		t.Fatalf("toggled rule %+v", rule)
	}
	page := findingsPage(t, baseURL, sec+"scan/space/DEMO?ruleIds=JWT")
	if page.UpToDateSettings || len(page.Findings) != 1 {
		t.Fatalf("before a rescan the old result should stay, marked outdated: %+v", page)
	}
	call{method: "POST", path: sec + "scan/space?key=DEMO", user: "admin"}.expect(t, baseURL, 200)
	page = findingsPage(t, baseURL, sec+"scan/space/DEMO?ruleIds=JWT")
	if !page.UpToDateSettings || len(page.Findings) != 0 {
		t.Fatalf("after a rescan the disabled rule should find nothing: %+v", page)
	}
	if findingsPage(t, baseURL, sec+"scan/space/OPS").UpToDateSettings {
		t.Fatal("OPS was not rescanned and should still be outdated")
	}
	if s.RuleEnabled("JWT") {
		t.Fatal("the hook does not see the API's toggle")
	}

	tests := []struct {
		path   string
		status int
	}{
		{"rules/built-in/NO_SUCH_RULE?enabled=true", 404},
		{"rules/built-in/Internal%20hostname?enabled=true", 404},
		{"rules/built-in/JWT?enabled=yes", 400},
		{"rules/built-in/JWT", 400},
	}
	for _, tt := range tests {
		call{method: "PUT", path: sec + tt.path, user: "admin"}.expect(t, baseURL, tt.status)
	}
}

func TestRulesList(t *testing.T) {
	s, baseURL := startDemo(t)
	rules := decode[[]client.Rule](t, call{path: sec + "rules", user: "admin"}.expect(t, baseURL, 200))
	names := map[string]client.Rule{}
	for _, r := range rules {
		names[r.Name] = r
	}
	for _, name := range []string{"AWS_CLIENT_ID", "AWS_SECRET_ACCESS_KEY", "AWS_MWS_KEY", "RSA_PRIVATE_KEY", "SSH_PRIVATE_KEY",
		"EMAIL_ADDRESS", "GITHUB_TOKEN", "SLACK_TOKEN", "GOOGLE_API_KEY", "STRIPE_SECRET_KEY", "PASSWORD_IN_URL", "JWT", "GENERIC_API_KEY"} {
		if r, ok := names[name]; !ok || !r.BuiltIn || r.Description == "" || r.Category == "" {
			t.Errorf("built-in rule %s missing or incomplete: %+v", name, r)
		}
	}
	if r := names[demoCustomRuleName]; r.BuiltIn || !r.Enabled {
		t.Errorf("custom rule %+v", r)
	}
	if len(s.BuiltInRuleNames()) != len(rules)-1 {
		t.Errorf("BuiltInRuleNames has %d names for %d rules", len(s.BuiltInRuleNames()), len(rules))
	}
}

// A rule added by an app upgrade is a built-in rule like the others: listed,
// toggled through the API, and it makes earlier scans outdated.
func TestAddBuiltInRule(t *testing.T) {
	s, baseURL := startDemo(t)
	s.AddBuiltInRule("OPENAI_API_KEY", `sk-[A-Za-z0-9]{48}`, false)

	rules := decode[[]client.Rule](t, call{path: sec + "rules", user: "admin"}.expect(t, baseURL, 200))
	last := rules[len(rules)-1]
	if last.Name != "OPENAI_API_KEY" || !last.BuiltIn || last.Enabled {
		t.Fatalf("added rule listed as %+v, want built in and disabled", last)
	}
	if findingsPage(t, baseURL, sec+"scan/space/DEMO").UpToDateSettings {
		t.Error("a new rule should make earlier scans outdated")
	}
	call{method: "PUT", path: sec + "rules/built-in/OPENAI_API_KEY?enabled=true", user: "admin"}.expect(t, baseURL, 200)
	if !s.RuleEnabled("OPENAI_API_KEY") {
		t.Error("the API's toggle did not reach the added rule")
	}
}

func TestBuiltInPatterns(t *testing.T) {
	s := New()
	tests := []struct {
		rule, text, want string
	}{
		{"AWS_CLIENT_ID", "id ASIAQWERTYUIOPASDFGH here", "ASIAQWERTYUIOPASDFGH"},
		{"AWS_CLIENT_ID", "AKIAshort", ""},
		{"AWS_SECRET_ACCESS_KEY", `AWS_SECRET_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`, `AWS_SECRET_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`},
		{"AWS_MWS_KEY", "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaa1c3d1f", "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaa1c3d1f"},
		{"RSA_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----"},
		{"RSA_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\ncut off", "-----BEGIN RSA PRIVATE KEY-----"},
		{"SSH_PRIVATE_KEY", "-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----"},
		{"EMAIL_ADDRESS", "<p>mail jane.doe+ci@mail.example.org.</p>", "jane.doe+ci@mail.example.org"},
		{"GITHUB_TOKEN", "gho_" + strings.Repeat("a1", 18), "gho_" + strings.Repeat("a1", 18)},
		{"SLACK_TOKEN", "xoxp-1234567890-1234567890123-abcdefghij", "xoxp-1234567890-1234567890123-abcdefghij"},
		{"GOOGLE_API_KEY", "key=AIza" + strings.Repeat("x", 35), "AIza" + strings.Repeat("x", 35)},
		{"STRIPE_SECRET_KEY", "sk_live_" + strings.Repeat("Z", 24), "sk_live_" + strings.Repeat("Z", 24)},
		{"STRIPE_SECRET_KEY", "sk_test_" + strings.Repeat("Z", 24), ""},
		{"PASSWORD_IN_URL", "https://bob:hunter2@git.example.com/repo", "https://bob:hunter2@"},
		{"PASSWORD_IN_URL", "https://git.example.com/repo", ""},
		{"JWT", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"},
		{"GENERIC_API_KEY", `client_secret: 'abcdefghij0123456789XY'`, `client_secret: 'abcdefghij0123456789XY`},
	}
	for _, tt := range tests {
		t.Run(tt.rule+" "+tt.want, func(t *testing.T) {
			got := s.ruleByName(tt.rule).pattern.FindString(tt.text)
			if got != tt.want {
				t.Fatalf("%s on %q matched %q, want %q", tt.rule, tt.text, got, tt.want)
			}
		})
	}
}

func TestReviews(t *testing.T) {
	s, baseURL := startDemo(t)
	create := func(body string, status int) []byte {
		return call{method: "POST", path: sec + "review/space/DEMO/create", user: "spaceadmin", body: body}.expect(t, baseURL, status)
	}
	review := decode[client.Review](t, create(`{"matchText":"AKIAIOSFODNN7EXAMPLE","ruleName":"AWS_CLIENT_ID"}`, 200))
	if review != (client.Review{SpaceKey: "DEMO", RuleName: "AWS_CLIENT_ID", MatchText: "AKIAIOSFODNN7EXAMPLE"}) {
		t.Fatalf("review %+v", review)
	}
	create(`{"matchText":"AKIAIOSFODNN7EXAMPLE","ruleName":"AWS_CLIENT_ID"}`, 200)
	create(`{"matchText":"AKIAIOSFODNN7EXAMPLE","ruleName":"NO_SUCH_RULE"}`, 400)
	create(`{"matchText":"","ruleName":"JWT"}`, 400)
	create(`not json`, 400)
	if got := s.ReviewedTexts("DEMO")["AKIAIOSFODNN7EXAMPLE"]; got != "AWS_CLIENT_ID" {
		t.Fatalf("stored review rule %q", got)
	}
	finding := findByText(findingsPage(t, baseURL, sec+"scan/space/DEMO").Findings, "AKIAIOSFODNN7EXAMPLE")
	if finding == nil || !finding.Reviewed {
		t.Fatalf("finding not reviewed after the review: %+v", finding)
	}

	remove := call{method: "POST", path: sec + "review/space/DEMO/delete", user: "spaceadmin", body: `{"matchText":"AKIAIOSFODNN7EXAMPLE"}`}
	remove.expect(t, baseURL, 204)
	remove.expect(t, baseURL, 404)

	call{method: "DELETE", path: sec + "review/space/DEMO", user: "admin"}.expect(t, baseURL, 400)
	call{method: "DELETE", path: sec + "review/space/DEMO?confirm=false", user: "admin"}.expect(t, baseURL, 400)
	result := decode[client.DeleteAllReviewsResult](t, call{method: "DELETE", path: sec + "review/space/DEMO?confirm=true", user: "admin"}.expect(t, baseURL, 200))
	if result.Deleted != 2 || len(s.ReviewedTexts("DEMO")) != 0 || len(s.ReviewedTexts("OPS")) != 1 {
		t.Fatalf("delete all answered %+v, left DEMO %v and OPS %v", result, s.ReviewedTexts("DEMO"), s.ReviewedTexts("OPS"))
	}
}

func TestReviewOutlivesDeletedContent(t *testing.T) {
	s, baseURL := startEmpty(t)
	s.CreateSpace("SEC", "Secrets")
	s.CreateSpace("OTHER", "Other")
	const secret = "sk_live_0123456789abcdefghijklmn"
	first := s.CreatePage("SEC", "Billing", "<p>"+secret+"</p>")
	s.CreatePage("OTHER", "Billing copy", "<p>"+secret+"</p>")
	call{method: "POST", path: sec + "review/space/SEC/create", user: "admin", body: `{"matchText":"` + secret + `","ruleName":"STRIPE_SECRET_KEY"}`}.expect(t, baseURL, 200)

	s.DeleteContent(first)
	if n := len(findingsPage(t, baseURL, sec+"scan/space/SEC").Findings); n != 0 {
		t.Fatalf("deleted content still has %d findings", n)
	}
	if _, ok := s.ReviewedTexts("SEC")[secret]; !ok {
		t.Fatal("the review went away with the content")
	}

	s.CreateBlogPost("SEC", "Billing again", "<p>"+secret+" pasted again</p>")
	again := findingsPage(t, baseURL, sec+"scan/space/SEC").Findings
	if len(again) != 1 || !again[0].Reviewed || again[0].ContentType != "blogpost" {
		t.Fatalf("the new finding of a reviewed text should be reviewed: %+v", again)
	}
	other := findingsPage(t, baseURL, sec+"scan/space/OTHER").Findings
	if len(other) != 1 || other[0].Reviewed {
		t.Fatalf("a review in SEC must not hide the text in OTHER: %+v", other)
	}
}

func TestUnscannedAndStaleSpaces(t *testing.T) {
	s, baseURL := startEmpty(t)
	s.SetAutoScan(false)
	s.CreateSpace("LATER", "Scanned later")
	id := s.CreatePage("LATER", "Keys", "<p>AKIAABCDEFGHIJKLMNOP</p>")
	page := findingsPage(t, baseURL, sec+"scan/space/LATER")
	if page.ScanState != client.ScanStateUnscanned || len(page.Findings) != 0 {
		t.Fatalf("a space never scanned: %+v", page)
	}
	s.ScanSpace("LATER")
	page = findingsPage(t, baseURL, sec+"scan/space/LATER")
	if page.ScanState != client.ScanStateCompleted || !page.UpToDateContent || len(page.Findings) != 1 {
		t.Fatalf("after a scan: %+v", page)
	}
	s.UpdateContent(id, "<p>AKIAABCDEFGHIJKLMNOP ASIAABCDEFGHIJKLMNOP</p>")
	page = findingsPage(t, baseURL, sec+"scan/space/LATER")
	if page.UpToDateContent || len(page.Findings) != 1 {
		t.Fatalf("with auto-scan off an edit makes the report stale and leaves it alone: %+v", page)
	}
	if findingsPage(t, baseURL, sec+"scan/content/"+id).UpToDateContent {
		t.Fatal("the content's latest version was not scanned yet")
	}
}

func TestExports(t *testing.T) {
	_, baseURL := startDemo(t)
	read := func(method, path, user string) [][]string {
		status, header, body := call{method: method, path: sec + path, user: user}.send(t, baseURL)
		if status != 200 || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s %s as %s: %d %s", method, path, user, status, header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
		if err != nil {
			t.Fatalf("export is not CSV: %v", err)
		}
		if !slices.Equal(rows[0], client.ExportColumns) {
			t.Fatalf("header %v, want %v", rows[0], client.ExportColumns)
		}
		return rows[1:]
	}
	space := read("GET", "export/space/DEMO/findings", "spaceadmin")
	if len(space) != 11 || !slices.EqualFunc(space, read("DELETE", "export/space/DEMO/findings", "spaceadmin"), slices.Equal) {
		t.Fatalf("space export has %d rows or differs between GET and DELETE", len(space))
	}
	wantRow := []string{"DEMO", "65537", "Deployment runbook", "page", "EMAIL_ADDRESS", "ops@example.com", "1", "3", "true", "false"}
	if !slices.ContainsFunc(space, func(row []string) bool { return slices.Equal(row, wantRow) }) {
		t.Fatalf("reviewed address missing from %v", space)
	}
	keysIn := func(rows [][]string) []string {
		var keys []string
		for _, row := range rows {
			if !slices.Contains(keys, row[0]) {
				keys = append(keys, row[0])
			}
		}
		return keys
	}
	tests := []struct {
		user string
		want []string
	}{
		{"admin", []string{"DEMO", "OPS", "~jdoe"}},
		{"spaceadmin", []string{"DEMO"}},
		{"jdoe", []string{"~jdoe"}},
		{"user", nil},
	}
	for _, tt := range tests {
		if got := keysIn(read("GET", "export/findings", tt.user)); !slices.Equal(got, tt.want) {
			t.Errorf("export of all spaces as %s holds %v, want %v", tt.user, got, tt.want)
		}
	}
}

func TestConfluenceContentAPI(t *testing.T) {
	s, baseURL := startEmpty(t)
	s.AddUser("alice", "alice", false)
	s.SetClock(func() time.Time { return demoEpoch })
	created := decode[spaceJSON](t, call{method: "POST", path: "/rest/api/space", user: "alice",
		body: `{"key":"ALICE","name":"Alice's team","description":{"plain":{"value":"Team space","representation":"plain"}}}`}.expect(t, baseURL, 200))
	if created.Key != "ALICE" || created.Type != "global" || created.Description.Plain.Value != "Team space" {
		t.Fatalf("created space %+v", created)
	}
	if admins := s.SpaceAdmins("ALICE"); !slices.Equal(admins, []string{"alice"}) {
		t.Fatalf("space admins %v, want the creator", admins)
	}
	call{method: "POST", path: "/rest/api/space", user: "alice", body: `{"key":"ALICE","name":"Again"}`}.expect(t, baseURL, 400)
	call{method: "POST", path: "/rest/api/space", user: "alice", body: `{"key":"BAD KEY","name":"Bad"}`}.expect(t, baseURL, 400)

	post := call{method: "POST", path: "/rest/api/content", user: "alice",
		body: `{"type":"page","title":"Hello","space":{"key":"ALICE"},"body":{"storage":{"value":"<p>AKIAABCDEFGHIJKLMNOP</p>","representation":"storage"}}}`}
	page := decode[contentJSON](t, post.expect(t, baseURL, 200))
	if page.Version.Number != 1 || page.Version.When != "2021-08-15T17:54:36.860-05:00" || page.Version.By.Username != "alice" {
		t.Fatalf("created page %+v", page)
	}
	post.expect(t, baseURL, 400)
	if n := len(findingsPage(t, baseURL, sec+"scan/space/ALICE").Findings); n != 1 {
		t.Fatalf("auto-scan found %d findings in new content, want 1", n)
	}

	put := func(number int, status int) contentJSON {
		body := fmt.Sprintf(`{"type":"page","title":"Hello","version":{"number":%d},"body":{"storage":{"value":"<p>clean</p>","representation":"storage"}}}`, number)
		return decode[contentJSON](t, call{method: "PUT", path: "/rest/api/content/" + page.ID, user: "alice", body: body}.expect(t, baseURL, status))
	}
	put(1, 409)
	put(3, 409)
	updated := put(2, 200)
	if updated.Version.Number != 2 || updated.Version.When != "2021-08-15T17:54:36.861-05:00" {
		t.Fatalf("updated version %+v should get the next distinct millisecond", updated.Version)
	}
	got := decode[contentJSON](t, call{path: "/rest/api/content/" + page.ID + "?expand=body.storage", user: "alice"}.expect(t, baseURL, 200))
	if got.Body == nil || got.Body.Storage.Value != "<p>clean</p>" || got.Space.Key != "ALICE" {
		t.Fatalf("content %+v", got)
	}
	old := decode[contentJSON](t, call{path: "/rest/api/content/" + page.ID + "?version=1", user: "alice"}.expect(t, baseURL, 200))
	if old.Version.Number != 1 || old.Status != "historical" || old.Body != nil {
		t.Fatalf("version 1 %+v", old)
	}
	if f := findingsPage(t, baseURL, sec+"scan/space/ALICE").Findings; len(f) != 1 || !f[0].Historical {
		t.Fatalf("after the edit the key should be historical: %+v", f)
	}
	call{method: "DELETE", path: "/rest/api/content/" + page.ID, user: "alice"}.expect(t, baseURL, 204)
	call{path: "/rest/api/content/" + page.ID, user: "alice"}.expect(t, baseURL, 404)
}

func TestSpaceList(t *testing.T) {
	_, baseURL := startDemo(t)
	list := decode[spacePageJSON](t, call{path: "/rest/api/space?start=1&limit=1", user: "user"}.expect(t, baseURL, 200))
	if list.Size != 1 || list.Start != 1 || list.Limit != 1 || list.Results[0].Key != "OPS" {
		t.Fatalf("space page %+v", list)
	}
	all := decode[spacePageJSON](t, call{path: "/rest/api/space", user: "user"}.expect(t, baseURL, 200))
	if all.Size != 3 || all.Limit != 25 {
		t.Fatalf("space page %+v", all)
	}
	call{path: "/rest/api/space?limit=-2", user: "user"}.expect(t, baseURL, 400)
}

// TestConcurrentReviewsAndReads runs under -race: the API and the hooks
// share one lock, and no review may be lost.
func TestConcurrentReviewsAndReads(t *testing.T) {
	s, baseURL := startDemo(t)
	const writers, perWriter = 8, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				text := fmt.Sprintf("reviewed-%d-%d@example.com", w, i)
				body := `{"matchText":"` + text + `","ruleName":"EMAIL_ADDRESS"}`
				if status, _, _ := (call{method: "POST", path: sec + "review/space/DEMO/create", user: "spaceadmin", body: body}).send(t, baseURL); status != 200 {
					t.Errorf("review %s: status %d", text, status)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range perWriter {
				if status, _, _ := (call{path: sec + "scan/space/DEMO?reviewed=false", user: "admin"}).send(t, baseURL); status != 200 {
					t.Errorf("reading findings: status %d", status)
				}
				s.CreatePage("OPS", fmt.Sprintf("page %d", time.Now().UnixNano()), "<p>x</p>")
				_ = s.ReviewedTexts("DEMO")
			}
		}()
	}
	wg.Wait()
	if got := len(s.ReviewedTexts("DEMO")); got != 2+writers*perWriter {
		t.Fatalf("%d reviewed texts, want %d", got, 2+writers*perWriter)
	}
	if got := s.RequestCount(); got != 2*writers*perWriter {
		t.Fatalf("%d recorded requests, want %d", got, 2*writers*perWriter)
	}
}
