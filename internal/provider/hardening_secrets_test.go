package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// The findings data sources and the export hold every match text, and the
// provider block the credentials. None of them may show in a TRACE log, a
// diagnostic, a plan or state value not marked sensitive, or an output.

const (
	secretsToken    = "tok-hardening-3f9c1a7e55"
	secretsPassword = "Pw-hardening-8d2b64"
)

func secretsForms(secret string) []string {
	quoted, _ := json.Marshal(secret)
	return []string{
		secret,
		strings.Trim(string(quoted), `"`),
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret)),
	}
}

func secretsAll(texts []string) []string {
	var all []string
	for _, secret := range append(append([]string{}, texts...),
		secretsToken, secretsPassword, "hardener:"+secretsPassword) {
		all = append(all, secretsForms(secret)...)
	}
	return all
}

// unmarkedSecrets names every string in value holding a secret where the
// matching sensitivity mark is not true.
func unmarkedSecrets(at string, value, marks any, secrets []string) []string {
	if marked, ok := marks.(bool); ok && marked {
		return nil
	}
	var found []string
	switch typed := value.(type) {
	case string:
		for _, secret := range secrets {
			if strings.Contains(typed, secret) {
				return []string{at}
			}
		}
	case map[string]any:
		inner, _ := marks.(map[string]any)
		for key, v := range typed {
			found = append(found, unmarkedSecrets(at+"."+key, v, inner[key], secrets)...)
		}
	case []any:
		inner, _ := marks.([]any)
		for i, v := range typed {
			var mark any
			if i < len(inner) {
				mark = inner[i]
			}
			found = append(found, unmarkedSecrets(fmt.Sprintf("%s[%d]", at, i), v, mark, secrets)...)
		}
	}
	return found
}

// secretsStateCheck fails on a secret in state outside a sensitive value,
// and on state that lists no match text at all, which would prove nothing.
type secretsStateCheck struct{ texts []string }

func (c secretsStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("the state is empty")
		return
	}
	var found []string
	sawText := false
	for _, res := range req.State.Values.RootModule.Resources {
		var marks any
		if len(res.SensitiveValues) > 0 {
			if err := json.Unmarshal(res.SensitiveValues, &marks); err != nil {
				resp.Error = err
				return
			}
		}
		found = append(found, unmarkedSecrets(res.Address, res.AttributeValues, marks, secretsAll(c.texts))...)
		if len(unmarkedSecrets(res.Address, res.AttributeValues, nil, c.texts)) > 0 {
			sawText = true
		}
	}
	switch {
	case len(found) > 0:
		resp.Error = fmt.Errorf("secrets outside sensitive values: %s", strings.Join(found, "; "))
	case !sawText:
		resp.Error = fmt.Errorf("no match text in state at all, so the check proves nothing")
	}
}

func secretsConfig(contentID, createdWhen, extra string) string {
	return fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
}

provider "securityforconfluence" {
  url                    = var.url
  token                  = var.token
  max_retries            = 0
  max_retry_wait_seconds = 1
}

variable "url" {
  type = string
}

data "securityforconfluence_space_findings" "all" {
  space_key = %[3]q
}

data "securityforconfluence_content_findings" "page" {
  content_id   = %[1]q
  created_when = %[2]q
}

data "securityforconfluence_findings_export" "space" {
  space_key = %[3]q
}

data "securityforconfluence_findings_export" "everything" {}

output "unreviewed" {
  value = data.securityforconfluence_space_findings.all.unreviewed_count
}

output "rows" {
  value = data.securityforconfluence_findings_export.everything.row_count
}
%[4]s`, contentID, createdWhen, hardeningSpace, extra)
}

func TestAccHardeningSecrets_findingsAndExports(t *testing.T) {
	srv := hardeningFake(t, 3)
	srv.AddUser("hardener", secretsPassword, true)
	srv.AddToken(secretsToken, "hardener")
	texts := []string{hardeningKey(1), hardeningKey(2), hardeningKey(3)}
	pageID := srv.CreatePage(hardeningSpace, "More keys", "<p>"+hardeningKey(1)+"</p>")
	when := srv.ContentVersions(pageID)[0].CreatedWhen

	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	vars := config.Variables{"token": config.StringVariable(secretsToken), "url": config.StringVariable(srv.Start())}
	var faultOutput string
	// Only what the request carried can be recognized and masked: an export
	// request carries the token but no match text.
	echo := fmt.Sprintf(`{"statusCode":500,"message":"Token %s failed (Authorization: Bearer %s)"}`, secretsToken, secretsToken)
	sensitiveOutput := regexp.MustCompile(`(?s)Output refers to sensitive values`)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ErrorCheck: func(err error) error {
			faultOutput = err.Error()
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: secretsConfig(pageID, when, ""), ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{secretsStateCheck{texts}},
			},
			{
				Config:          secretsConfig(pageID, when, `output "texts" { value = data.securityforconfluence_space_findings.all.findings }`),
				ConfigVariables: vars, ExpectError: sensitiveOutput,
			},
			{
				Config:          secretsConfig(pageID, when, `output "texts" { value = data.securityforconfluence_content_findings.page.findings[0].match_text }`),
				ConfigVariables: vars, ExpectError: sensitiveOutput,
			},
			{
				Config:          secretsConfig(pageID, when, `output "csv" { value = data.securityforconfluence_findings_export.space.csv }`),
				ConfigVariables: vars, ExpectError: sensitiveOutput,
			},
			{
				Config:          secretsConfig(pageID, when, `output "export_rows" { value = data.securityforconfluence_findings_export.space.rows }`),
				ConfigVariables: vars, ExpectError: sensitiveOutput,
			},
			{
				// The server echoes the token in its error.
				PreConfig: func() {
					srv.QueueFault(fake.Fault{Method: http.MethodGet, PathContains: "/export/findings", Status: 500,
						Header: http.Header{"Content-Type": {"application/json"}}, Body: echo})
				},
				Config: secretsConfig(pageID, when, ""), ConfigVariables: vars, PlanOnly: true,
			},
		},
	})

	folded := strings.Join(strings.Fields(faultOutput), " ")
	if !strings.Contains(folded, "HTTP 500") || !strings.Contains(folded, "Token *** failed (Authorization: Bearer ***)") {
		t.Errorf("the echoed secrets were not reported masked; the error output was:\n%s", faultOutput)
	}
	for _, secret := range secretsAll(texts) {
		if strings.Contains(faultOutput, secret) {
			t.Errorf("a diagnostic holds a secret")
		}
	}
	checkTraceLog(t, logPath, secretsAll(texts))
}

func checkTraceLog(t *testing.T, logPath string, secrets []string) {
	t.Helper()
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	for _, marker := range []string{"Confluence API request", "/export/findings", testCLI(t).versionLogMarker()} {
		if !strings.Contains(log, marker) {
			t.Fatalf("the log has no %q line, so it proves nothing", marker)
		}
	}
	for _, secret := range secrets {
		if i := strings.Index(log, secret); i >= 0 {
			start, end := max(0, i-120), min(len(log), i+len(secret)+40)
			t.Errorf("the TRACE log holds a secret: %q", log[start:i]+"<SECRET>"+log[i+len(secret):end])
		}
	}
}
