package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// leakSecrets are the values that must never show in a log line, in a
// non-sensitive plan or state value, or in an id.
type leakSecrets struct {
	texts       []string // match texts kept in state as sensitive values
	writeOnly   string   // a match text that must not reach state at all
	credentials []string // password or token, and the Authorization value
}

// forms lists what a secret may look like once written somewhere: as is,
// escaped inside JSON or a Go quoted string, and base64-encoded.
func forms(secret string) []string {
	jsonQuoted, _ := json.Marshal(secret)
	return []string{
		secret,
		strings.Trim(string(jsonQuoted), `"`),
		strings.Trim(strconv.Quote(secret), `"`),
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawStdEncoding.EncodeToString([]byte(secret)),
		base64.URLEncoding.EncodeToString([]byte(secret)),
	}
}

func (s leakSecrets) all() []string {
	var all []string
	for _, secret := range append(append(append([]string{}, s.texts...), s.writeOnly), s.credentials...) {
		if secret != "" {
			all = append(all, forms(secret)...)
		}
	}
	return all
}

// leakFixture seeds a space whose page holds every match text the test
// reviews, so each review is visible through its finding.
func leakFixture(t *testing.T) (*reviewFixture, leakSecrets) {
	f := startReviewFake(t)
	f.server.AddUser("leaker", "Pw-leak-7f3a9c", true)
	f.server.AddToken("tok-leak-5be21d9e8a", "leaker")
	f.server.AddCustomRule("MULTILINE", `(?s)☃.*?☃`)
	secrets := leakSecrets{
		texts:     []string{reviewKey(7), "☃leak line\nsecond \"line\" ü☃", reviewKey(8)},
		writeOnly: reviewKey(9),
	}
	f.server.CreatePage(reviewSpace, "Leak", "<p>"+strings.Join(append(secrets.texts, secrets.writeOnly), " ")+"</p>")
	return f, secrets
}

func leakConfig(providerBlock string) string {
	return providerBlock + `
variable "texts" {
  type      = list(string)
  sensitive = true
}

variable "wo_text" {
  type      = string
  sensitive = true
}

resource "securityforconfluence_reviewed_finding" "plain" {
  space_key  = "OPS"
  rule_name  = "AWS_CLIENT_ID"
  match_text = var.texts[0]
}

resource "securityforconfluence_reviewed_finding" "multiline" {
  space_key  = "OPS"
  rule_name  = "MULTILINE"
  match_text = var.texts[1]
}

resource "securityforconfluence_reviewed_finding" "write_only" {
  space_key             = "OPS"
  rule_name             = "AWS_CLIENT_ID"
  match_text_wo         = var.wo_text
  match_text_wo_version = 1
}

resource "securityforconfluence_space_reviewed_findings" "space" {
  space_key = "~leaker"
  reviews   = [{ rule_name = "AWS_CLIENT_ID", match_text = var.texts[2] }]
}
`
}

func TestAccSecretLeak_passwordAuth(t *testing.T) {
	f, secrets := leakFixture(t)
	password := "Pw-leak-7f3a9c"
	secrets.credentials = []string{password, "leaker:" + password}
	runLeakTest(t, f, secrets, password, fmt.Sprintf(`
variable "credential" {
  type      = string
  sensitive = true
}

provider "securityforconfluence" {
  url      = %q
  username = "leaker"
  password = var.credential
}
`, f.url))
}

func TestAccSecretLeak_tokenAuth(t *testing.T) {
	f, secrets := leakFixture(t)
	token := "tok-leak-5be21d9e8a"
	secrets.credentials = []string{token, "Bearer " + token}
	runLeakTest(t, f, secrets, token, fmt.Sprintf(`
variable "credential" {
  type      = string
  sensitive = true
}

provider "securityforconfluence" {
  url   = %q
  token = var.credential
}
`, f.url))
}

// runLeakTest applies, plans and destroys with every log at TRACE going to
// one file, then searches the file, and every plan and state on the way, for
// the secrets.
// The credential comes from a sensitive variable: the harness logs each
// step's configuration, and a literal there would be its leak, not ours.
func runLeakTest(t *testing.T, f *reviewFixture, secrets leakSecrets, credential, providerBlock string) {
	f.server.CreateSpace("~leaker", "Leaker")
	f.server.CreatePage("~leaker", "Leak", "<p>"+secrets.texts[2]+"</p>")
	f.server.ScanSpace("~leaker")
	f.server.ScanSpace(reviewSpace)

	logPath := filepath.Join(t.TempDir(), "terraform.log")
	// TF_LOG and TF_LOG_PATH route the in-process provider's log; the
	// TF_ACC_* pair makes terraform-exec log the Terraform CLI to the same
	// file, since it clears TF_LOG for the commands it runs.
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	textValues := make([]config.Variable, len(secrets.texts))
	for i, text := range secrets.texts {
		textValues[i] = config.StringVariable(text)
	}
	vars := config.Variables{
		"texts":      config.ListVariable(textValues...),
		"wo_text":    config.StringVariable(secrets.writeOnly),
		"credential": config.StringVariable(credential),
	}
	cfg := leakConfig(providerBlock)
	noLeakInPlan := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{planLeakCheck{secrets}},
		PostApplyPostRefresh: []plancheck.PlanCheck{planLeakCheck{secrets}},
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			f.expectReviewed(reviewSpace, map[string]string{}),
			f.expectReviewed("~leaker", map[string]string{}),
		),
		Steps: []resource.TestStep{
			{
				Config: cfg, ConfigVariables: vars,
				ConfigPlanChecks:  noLeakInPlan,
				ConfigStateChecks: []statecheck.StateCheck{stateLeakCheck{secrets}},
				Check:             f.expectReviewed(reviewSpace, map[string]string{secrets.texts[0]: reviewAWSRule, secrets.texts[1]: "MULTILINE", secrets.writeOnly: reviewAWSRule}),
			},
			{Config: cfg, ConfigVariables: vars, PlanOnly: true},
			{
				// A review removed behind Terraform's back is re-created.
				PreConfig:         func() { f.server.RemoveReview(reviewSpace, secrets.texts[1]) },
				Config:            cfg,
				ConfigVariables:   vars,
				ConfigPlanChecks:  noLeakInPlan,
				ConfigStateChecks: []statecheck.StateCheck{stateLeakCheck{secrets}},
			},
			{
				Config: cfg, ConfigVariables: vars, Destroy: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{planLeakCheck{secrets}}},
			},
		},
	})

	checkLogHasNoSecrets(t, logPath, secrets)
}

// checkLogHasNoSecrets searches the log after checking it holds the CLI's
// lines, the provider's request lines and the extra markers.
func checkLogHasNoSecrets(t *testing.T, logPath string, secrets leakSecrets, markers ...string) {
	t.Helper()
	checkLogFree(t, logPath, secrets, append([]string{"Confluence API request"}, markers...)...)
}

// checkLogFree searches the log for the secrets after checking it holds the
// CLI's version line and the markers.
func checkLogFree(t *testing.T, logPath string, secrets leakSecrets, markers ...string) {
	t.Helper()
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the log: %v", err)
	}
	log := string(raw)
	// Without these the test could pass by logging nothing at all.
	for _, marker := range append([]string{testCLI(t).versionLogMarker()}, markers...) {
		if !strings.Contains(log, marker) {
			t.Fatalf("the log (%d bytes) has no line containing %q, so it cannot prove anything", len(raw), marker)
		}
	}
	for _, secret := range secrets.all() {
		if index := strings.Index(log, secret); index >= 0 {
			t.Errorf("the log holds a secret at byte %d: %q", index, contextAround(log, index, len(secret)))
		}
	}
}

// contextAround shows the log around a leak with the secret itself masked.
func contextAround(log string, index, length int) string {
	start, end := max(0, index-80), min(len(log), index+length+80)
	return log[start:index] + "<SECRET>" + log[index+length:end]
}

// planLeakCheck fails when a secret shows in a plan value that is not marked
// sensitive, or in an import id.
type planLeakCheck struct{ secrets leakSecrets }

func (c planLeakCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var problems []string
	for _, change := range req.Plan.ResourceChanges {
		if change.Change == nil {
			continue
		}
		problems = append(problems, findSecrets(change.Address+" (before)", change.Change.Before, change.Change.BeforeSensitive, c.secrets.all())...)
		problems = append(problems, findSecrets(change.Address+" (after)", change.Change.After, change.Change.AfterSensitive, c.secrets.all())...)
		if c.secrets.writeOnly != "" {
			problems = append(problems, findSecrets(change.Address+" (after, sensitive included)", change.Change.After, nil, forms(c.secrets.writeOnly))...)
		}
		if change.Change.Importing != nil {
			problems = append(problems, findSecrets(change.Address+" (import id)", change.Change.Importing.ID, nil, c.secrets.all())...)
		}
	}
	if len(problems) > 0 {
		resp.Error = fmt.Errorf("secrets in the plan: %s", strings.Join(problems, "; "))
	}
}

// stateLeakCheck fails when a secret shows in a state value that is not
// marked sensitive, or the write-only text shows anywhere in state.
type stateLeakCheck struct{ secrets leakSecrets }

func (c stateLeakCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("the state is empty, so it proves nothing")
		return
	}
	var problems []string
	for _, res := range req.State.Values.RootModule.Resources {
		var sensitive any
		if len(res.SensitiveValues) > 0 {
			if err := json.Unmarshal(res.SensitiveValues, &sensitive); err != nil {
				resp.Error = fmt.Errorf("%s: sensitive_values: %w", res.Address, err)
				return
			}
		}
		values := res.AttributeValues
		problems = append(problems, findSecrets(res.Address, values, sensitive, c.secrets.all())...)
		if c.secrets.writeOnly != "" {
			problems = append(problems, findSecrets(res.Address+" (sensitive included)", values, nil, forms(c.secrets.writeOnly))...)
		}
		if id, _ := values["id"].(string); id != "" {
			problems = append(problems, findSecrets(res.Address+".id", id, nil, c.secrets.all())...)
		}
	}
	if len(problems) > 0 {
		resp.Error = fmt.Errorf("secrets in the state: %s", strings.Join(problems, "; "))
	}
}

// findSecrets walks value beside its sensitivity marks and names every
// unmarked string that holds a secret, without printing the secret.
func findSecrets(at string, value, sensitive any, secrets []string) []string {
	if marked, ok := sensitive.(bool); ok && marked {
		return nil
	}
	var problems []string
	switch typed := value.(type) {
	case string:
		for _, secret := range secrets {
			if secret != "" && strings.Contains(typed, secret) {
				problems = append(problems, at)
				break
			}
		}
	case map[string]any:
		marks, _ := sensitive.(map[string]any)
		for key, inner := range typed {
			problems = append(problems, findSecrets(at+"."+key, inner, marks[key], secrets)...)
		}
	case []any:
		marks, _ := sensitive.([]any)
		for i, inner := range typed {
			var mark any
			if i < len(marks) {
				mark = marks[i]
			}
			problems = append(problems, findSecrets(fmt.Sprintf("%s[%d]", at, i), inner, mark, secrets)...)
		}
	}
	return problems
}

// The walker must find what it is meant to find, or the checks above prove
// nothing.
func TestSecretLeakWalker(t *testing.T) {
	review := map[string]any{"rule_name": "R", "match_text": "hunter2"}
	value := map[string]any{
		"id":         "OPS/RULE/sha256:00",
		"match_text": "hunter2",
		"reviews":    []any{review},
	}
	marks := map[string]any{"match_text": true, "reviews": []any{map[string]any{"match_text": true}}}
	if problems := findSecrets("r", value, marks, forms("hunter2")); len(problems) != 0 {
		t.Fatalf("marked values reported: %v", problems)
	}
	value["id"] = "OPS/" + base64.StdEncoding.EncodeToString([]byte("hunter2"))
	review["rule_name"] = "x hunter2"
	problems := findSecrets("r", value, marks, forms("hunter2"))
	if strings.Join(problems, ",") != "r.id,r.reviews[0].rule_name" && strings.Join(problems, ",") != "r.reviews[0].rule_name,r.id" {
		t.Fatalf("got %v, want r.id and r.reviews[0].rule_name", problems)
	}
	if problems := findSecrets("r", value, nil, forms("hunter2")); len(problems) != 4 {
		t.Fatalf("unmarked walk found %v, want 4 places", problems)
	}
}

// importLeakTest runs one import-block step with every log at TRACE going
// to a file, and returns the file's path.
func importLeakTest(t *testing.T, cfg string, vars config.Variables, checks ...plancheck.PlanCheck) string {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          cfg,
			ConfigVariables: vars,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(checks,
				plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionNoop))},
		}},
	})
	return logPath
}

// The recommended import block names the text only by its hash, computed
// in HCL from the sensitive variable: nothing anywhere holds the text. The
// hash is declared not sensitive, since OpenTofu refuses a sensitive id.
func TestAccSecretLeak_importBlockHashForm(t *testing.T) {
	f := startReviewFake(t)
	text := reviewKey(2)
	f.server.AddReview(reviewSpace, reviewAWSRule, text)
	secrets := leakSecrets{texts: []string{text}, credentials: []string{"admin:admin"}}
	cfg := f.reviewConfig(reviewSpace, reviewAWSRule) + `
import {
  to = securityforconfluence_reviewed_finding.test
  id = "OPS/AWS_CLIENT_ID/sha256:${nonsensitive(sha256(var.text))}"
}
`
	logPath := importLeakTest(t, cfg, textVariable(text), planLeakCheck{secrets})
	checkLogHasNoSecrets(t, logPath, secrets, "ImportResourceState")
}

// With the exact-text JSON id, Terraform itself writes the import id into
// its TRACE log and into the saved plan (importing.id), whatever the
// variable's sensitivity; the documentation says so. The provider's own
// lines and the state must still be clean. OpenTofu refuses the id instead,
// and must not show the text while doing so.
func TestAccSecretLeak_importBlockJSONForm(t *testing.T) {
	f := startReviewFake(t)
	text := reviewKey(2)
	f.server.AddReview(reviewSpace, reviewAWSRule, text)
	secrets := leakSecrets{texts: []string{text}, credentials: []string{"admin:admin"}}
	vars := config.Variables{"text": config.StringVariable(text), "rule": config.StringVariable(reviewAWSRule)}

	if testCLI(t).openTofu {
		checkSensitiveImportRefused(t, f, vars, secrets)
		return
	}
	logPath := importLeakTest(t, f.reviewImportBlockConfig(reviewSpace), vars)
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the log: %v", err)
	}
	var providerLines []string
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.Contains(line, "tf_provider_addr=") {
			providerLines = append(providerLines, line)
		}
	}
	providerLog := strings.Join(providerLines, "\n")
	if !strings.Contains(providerLog, "ImportResourceState") || !strings.Contains(providerLog, "Confluence API request") {
		t.Fatalf("the %d provider log lines do not cover the import, so they prove nothing", len(providerLines))
	}
	for _, secret := range secrets.all() {
		if index := strings.Index(providerLog, secret); index >= 0 {
			t.Errorf("a provider log line holds a secret: %q", contextAround(providerLog, index, len(secret)))
		}
	}
}

// checkSensitiveImportRefused runs the exact-text import block under
// OpenTofu: the plan must fail with the refusal, and neither the error nor
// the TRACE log may hold the text.
func checkSensitiveImportRefused(t *testing.T, f *reviewFixture, vars config.Variables, secrets leakSecrets) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	var refusal string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ErrorCheck: func(err error) error {
			refusal = err.Error()
			if !sensitiveImportIDRefused.MatchString(refusal) {
				return err
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: f.reviewImportBlockConfig(reviewSpace), ConfigVariables: vars}},
	})
	if refusal == "" {
		t.Fatal("OpenTofu accepted an import id derived from a sensitive variable, which it is documented to refuse")
	}
	for _, secret := range secrets.all() {
		if strings.Contains(refusal, secret) {
			t.Error("OpenTofu's refusal of the sensitive import id shows the text")
		}
	}
	// OpenTofu refuses before the provider is asked anything, so the log has
	// no request line; the CLI's own lines are what could show the text.
	checkLogFree(t, logPath, secrets)
	if err := f.expectReviewed(reviewSpace, map[string]string{secrets.texts[0]: reviewAWSRule})(nil); err != nil {
		t.Errorf("the refused import changed the reviews: %v", err)
	}
}
