package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Bad input must fail the plan with an error that names the field and says
// what is expected, and never repeats a secret. The cases of one phase share
// one configuration, so one terraform plan checks them all; each case then
// finds its own diagnostic by the address Terraform prints with it.

type badInput struct {
	name string
	// address is what Terraform prints after "with" for the diagnostic,
	// such as securityforconfluence_scan.x or provider["..."].
	address string
	hcl     string
	// want are patterns that must all match one diagnostic of address,
	// matched with runs of white space folded to one space.
	want []string
	// secret must appear in no diagnostic at all.
	secret string
}

// hardeningDiagnostics splits terraform's error output into its diagnostics, each
// with its white space folded so wrapped lines match.
func hardeningDiagnostics(output string) []string {
	var blocks []string
	for _, block := range regexp.MustCompile(`(?m)^\s*Error: `).Split(output, -1)[1:] {
		blocks = append(blocks, strings.Join(strings.Fields(block), " "))
	}
	return blocks
}

func checkBadInput(t *testing.T, tc badInput, output string) {
	t.Helper()
	if tc.secret != "" && strings.Contains(output, tc.secret) {
		t.Errorf("the error output repeats the secret of %s", tc.name)
	}
	var mine []string
	for _, block := range hardeningDiagnostics(output) {
		if strings.Contains(block, "with "+tc.address+",") || strings.Contains(block, "with "+tc.address+" ") {
			mine = append(mine, block)
		}
	}
	for _, block := range mine {
		if hardeningMatchesAll(block, tc.want) {
			return
		}
	}
	t.Errorf("no diagnostic of %s matches all of %q; its diagnostics: %q", tc.address, tc.want, mine)
}

func hardeningMatchesAll(text string, patterns []string) bool {
	for _, pattern := range patterns {
		if !regexp.MustCompile(pattern).MatchString(text) {
			return false
		}
	}
	return true
}

// runBadInputs plans every case's block together and checks each case.
func runBadInputs(t *testing.T, providerBlock string, cases []badInput) {
	t.Helper()
	var hcl strings.Builder
	hcl.WriteString(providerBlock)
	for _, tc := range cases {
		hcl.WriteString(tc.hcl)
	}
	output := hardeningPlanOutput(t, hcl.String(), nil, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkBadInput(t, tc, output) })
	}
}

// hardeningPlanOutput plans cfg once and returns terraform's error output, or "" when
// the plan succeeded.
func hardeningPlanOutput(t *testing.T, cfg string, vars config.Variables, env map[string]string) string {
	t.Helper()
	var output string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccFactoriesWithEnv(env),
		ErrorCheck: func(err error) error {
			output = err.Error()
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg, ConfigVariables: vars, PlanOnly: true, ExpectNonEmptyPlan: true},
		},
	})
	return output
}

const (
	badLengthAtLeastOne = `string length must be at least 1, got: 0`
	badCreatedWhenWant  = `must be the time a content version was created, as an RFC 3339 timestamp with milliseconds`
	badScan             = "securityforconfluence_scan"
	badReview           = "securityforconfluence_reviewed_finding"
	badSpaceReviews     = "securityforconfluence_space_reviewed_findings"
	badRule             = "securityforconfluence_builtin_rule"
	badPolicy           = "securityforconfluence_builtin_rules"
	badSpaceFindings    = "data.securityforconfluence_space_findings"
	badContentFindings  = "data.securityforconfluence_content_findings"
	badExport           = "data.securityforconfluence_findings_export"
)

func badBlock(kind, typ, name, body string) string {
	return fmt.Sprintf("\n%s %q %q {\n%s\n}\n", kind, typ, name, body)
}

func badResource(name, typ, body string, want ...string) badInput {
	return badInput{name: typ + "/" + name, address: typ + "." + name, hcl: badBlock("resource", typ, name, body), want: want}
}

func badData(name, address, body string, want ...string) badInput {
	typ := strings.TrimPrefix(address, "data.")
	return badInput{name: address + "/" + name, address: address + "." + name, hcl: badBlock("data", typ, name, body), want: want}
}

// Values no schema validator or config validator should let through; they
// fail before the provider is even configured.
func validateTimeCases() []badInput {
	space := `space_key = "HARD"`
	review := `rule_name = "AWS_CLIENT_ID"` + "\n" + `match_text = "AKIAHARDEN0000000001"`
	cases := []badInput{
		badResource("empty_space", badReview, `space_key = ""`+"\n"+review, `space_key`, badLengthAtLeastOne),
		badResource("empty_rule", badReview, space+"\n"+`rule_name = ""`+"\n"+`match_text = "x"`, `rule_name`, badLengthAtLeastOne),
		badResource("empty_text", badReview, space+"\n"+`rule_name = "AWS_CLIENT_ID"`+"\n"+`match_text = ""`, `Empty Match Text`, `match_text is empty`, `exact, non-empty text`),
		badResource("no_text", badReview, space+"\n"+`rule_name = "AWS_CLIENT_ID"`, `Missing Match Text`, `match_text or match_text_wo must be set`),
		badResource("both_texts", badReview, space+"\n"+review+"\n"+`match_text_wo = "AKIAHARDEN0000000001"`, `Conflicting Match Text`, `Remove one of them`),
		badResource("stray_version", badReview, space+"\n"+review+"\n"+`match_text_wo_version = 1`, `match_text_wo_version`, `match_text_wo is not set`),
		badResource("empty_space", badSpaceReviews, `space_key = ""`+"\n"+`reviews = []`, `space_key`, badLengthAtLeastOne),
		badResource("empty_rule", badSpaceReviews, space+"\n"+`reviews = [{ rule_name = "", match_text = "x" }]`, `rule_name`, badLengthAtLeastOne),
		badResource("empty_text", badSpaceReviews, space+"\n"+`reviews = [{ rule_name = "JWT", match_text = "" }]`, `Empty Match Text`, `reviews`, `empty match_text`),
		badResource("twice", badSpaceReviews, space+"\n"+`reviews = [{ rule_name = "JWT", match_text = "a" }, { rule_name = "AWS_CLIENT_ID", match_text = "a" }]`, `Duplicate Match Text`, `Entries\s+0\s+\(rule\s+"JWT"\)\s+and\s+1\s+\(rule\s+"AWS_CLIENT_ID"\)`, `same match_text`),
		badResource("empty_name", badRule, `name = ""`+"\n"+`enabled = true`, `name`, badLengthAtLeastOne),
		badResource("empty_element", badPolicy, `disabled_rules = [""]`, `disabled_rules`, badLengthAtLeastOne),
		badResource("both_lists", badPolicy, `disabled_rules = ["JWT"]`+"\n"+`enabled_rules = ["EMAIL_ADDRESS"]`, `enabled_rules`, `disabled_rules`, `cannot be configured together|conflict`),
		badResource("empty_space", badScan, `space_key = ""`, `space_key`, badLengthAtLeastOne),
		badResource("empty_content", badScan, `content_id = ""`, `content_id`, badLengthAtLeastOne),
		badResource("letters_content", badScan, `content_id = "sixty"`, `content_id`, `digits|number`),
		badResource("no_target", badScan, `triggers = { a = "b" }`, `Missing Scan Target`, `Set space_key to scan a space, or content_id`),
		badResource("two_targets", badScan, space+"\n"+`content_id = "65536"`, `Conflicting Scan Targets`, `exactly one target`),
		badResource("when_without_content", badScan, space+"\n"+`created_when = "2021-08-15T17:54:36.860-05:00"`, `created_when`, `needs content_id`),
		badData("empty_space", badSpaceFindings, `space_key = ""`, `space_key`, badLengthAtLeastOne),
		badData("page_size_zero", badSpaceFindings, space+"\n"+`page_size = 0`, `page_size`, `between 1 and 100`),
		badData("page_size_large", badSpaceFindings, space+"\n"+`page_size = 101`, `page_size`, `between 1 and 100`),
		badData("no_rules", badSpaceFindings, space+"\n"+`rule_names = []`, `rule_names`, `at least 1`),
		badData("empty_rule", badSpaceFindings, space+"\n"+`rule_names = [""]`, `rule_names`, badLengthAtLeastOne),
		badData("repeated_rule", badSpaceFindings, space+"\n"+`rule_names = ["JWT", "JWT"]`, `rule_names`, `unique|duplicate`),
		badData("empty_content", badContentFindings, `content_id = ""`+"\n"+`created_when = "2021-08-15T17:54:36.860-05:00"`, `content_id`, badLengthAtLeastOne),
		badData("letters_content", badContentFindings, `content_id = "sixty"`+"\n"+`created_when = "2021-08-15T17:54:36.860-05:00"`, `content_id`, `digits|number`),
		badData("empty_space", badExport, `space_key = ""`, `space_key`, badLengthAtLeastOne),
	}
	for i, when := range []string{
		"", "   ", "2021-08-15", "2021-08-15T17:54:36-05:00", "2021-08-15T17:54:36.860",
		"2021-08-15T17:54:36.86-05:00", "2021-13-15T17:54:36.860-05:00", "2021-08-15 17:54:36.860-05:00",
		"2021-08-15t17:54:36.860z", "yesterday", strings.Repeat("2021", 2000),
	} {
		cases = append(cases,
			badResource(fmt.Sprintf("when_%d", i), badScan, `content_id = "65536"`+"\n"+fmt.Sprintf("created_when = %q", when), `created_when`, badCreatedWhenWant, `2021-08-15T17:54:36.860-05:00`),
			badData(fmt.Sprintf("when_%d", i), badContentFindings, `content_id = "65536"`+"\n"+fmt.Sprintf("created_when = %q", when), `created_when`, badCreatedWhenWant))
	}
	return cases
}

func TestAccHardeningInput_validateTime(t *testing.T) {
	srv := hardeningFake(t, 1)
	runBadInputs(t, adminConfig(srv), validateTimeCases())
	if srv.RequestCount() != 0 {
		t.Errorf("values that fail validation still sent %d requests", srv.RequestCount())
	}
}

// Values only the server can judge: the plan asks it and fails before
// anything is written.
func planTimeCases() []badInput {
	long := strings.Repeat("LONGKEY", 150)
	review := func(space, rule string) string {
		return fmt.Sprintf("space_key = %q\nrule_name = %q\nmatch_text = \"AKIAHARDEN0000000001\"", space, rule)
	}
	spaceNotFound := []string{`space_key`, `Space Not Found`, `case-sensitive`}
	unknownRule := []string{`Unknown Rule Name`, `case-sensitive`}
	return []badInput{
		badResource("blank_space", badReview, review("   ", "AWS_CLIENT_ID"), spaceNotFound...),
		badResource("lower_space", badReview, review("hard", "AWS_CLIENT_ID"), spaceNotFound...),
		badResource("long_space", badReview, review(long, "AWS_CLIENT_ID"), spaceNotFound...),
		badResource("lower_rule", badReview, review("HARD", "aws_client_id"), append(unknownRule, `rule_name`, `Did you mean "AWS_CLIENT_ID"`)...),
		badResource("blank_rule", badReview, review("HARD", "   "), append(unknownRule, `rule_name`)...),
		badResource("unknown_rule", badReview, review("HARD", "NO_SUCH_RULE"), append(unknownRule, `rule_name`, `securityforconfluence_rules data source`)...),
		badResource("blank_space", badSpaceReviews, `space_key = "  "`+"\n"+`reviews = []`, spaceNotFound...),
		badResource("lower_rule", badSpaceReviews, `space_key = "HARD"`+"\n"+`reviews = [{ rule_name = "jwt", match_text = "a" }]`, append(unknownRule, `reviews`, `Did you mean "JWT"`)...),
		badResource("lower_name", badRule, `name = "email_address"`+"\n"+`enabled = false`, append(unknownRule, `name`, `Did you mean "EMAIL_ADDRESS"`)...),
		badResource("blank_name", badRule, `name = " "`+"\n"+`enabled = false`, append(unknownRule, `name`)...),
		badResource("custom_name", badRule, `name = "HARDENING_CUSTOM"`+"\n"+`enabled = false`, `Not a Built-in Rule`, `custom rule`),
		badResource("long_name", badRule, fmt.Sprintf("name = %q\nenabled = false", long), append(unknownRule, `name`)...),
		badResource("unknown_rule", badPolicy, `disabled_rules = ["NO_SUCH_RULE", "Jwt"]`, append(unknownRule, `disabled_rules`, `Did you mean "JWT"`)...),
		badResource("blank_space", badScan, `space_key = "  "`, spaceNotFound...),
		badResource("lower_space", badScan, `space_key = "hard"`, spaceNotFound...),
		badData("blank_space", badSpaceFindings, `space_key = "  "`, `space_key`, `not found`, `right case`),
		badData("lower_space", badSpaceFindings, `space_key = "hard"`, `space_key`, `not found`, `right case`),
		badData("lower_rule", badSpaceFindings, `space_key = "HARD"`+"\n"+`rule_names = ["JWT", "aws_client_id"]`, append(unknownRule, `rule_names\[1\]`, `Did you mean "AWS_CLIENT_ID"`)...),
		badData("lower_space", badExport, `space_key = "hard"`, `space_key`, `not found`, `right case`),
	}
}

func TestAccHardeningInput_planTime(t *testing.T) {
	srv := hardeningFake(t, 1)
	srv.AddCustomRule("HARDENING_CUSTOM", `hardening-[0-9]+`)
	runBadInputs(t, adminConfig(srv), planTimeCases())
	if writes := len(srv.ReviewedTexts(hardeningSpace)); writes != 0 || !srv.RuleEnabled("EMAIL_ADDRESS") {
		t.Errorf("a failed plan changed the server: %d reviews, EMAIL_ADDRESS enabled %v", writes, srv.RuleEnabled("EMAIL_ADDRESS"))
	}
}

// badProviderCase is a provider block that must fail; secret values come in
// through a sensitive variable, because Terraform prints the source line of
// an attribute error and a literal there would be the test's own leak.
type badProviderCase struct {
	badInput
	vars config.Variables
	env  map[string]string
}

// badProviderAddress is how the CLI names the provider block in a
// diagnostic, which depends on the registry host the test harness uses.
func badProviderAddress() string {
	return `provider["` + testProviderAddress() + `"]`
}

func badProviderBlock(name, body string, want ...string) badProviderCase {
	return badProviderCase{badInput: badInput{
		name: name, address: badProviderAddress(), want: want,
		hcl: `
variable "secret" {
  type      = string
  sensitive = true
  default   = "unused"
}
provider "securityforconfluence" {
` + body + `
}
data "securityforconfluence_rules" "all" {}
`,
	}}
}

func (c badProviderCase) withSecret(secret string) badProviderCase {
	c.secret = secret
	c.vars = config.Variables{"secret": config.StringVariable(secret)}
	return c
}

func (c badProviderCase) withEnv(env map[string]string) badProviderCase {
	c.env = env
	return c
}

func badProviderCases(url, notPEM string) []badProviderCase {
	auth := `username = "admin"` + "\n" + `password = "admin"` + "\n"
	at := fmt.Sprintf("url = %q\n", url)
	const overflow = "9223372036854775807"
	return []badProviderCase{
		badProviderBlock("empty url", auth+`url = ""`, `Missing Confluence URL`, `CONFLUENCE_URL`),
		badProviderBlock("blank url", auth+`url = "   "`, `url`, `Invalid Confluence URL`, `https://`),
		badProviderBlock("url without scheme", auth+`url = "confluence.example.com"`, `Invalid Confluence URL`, `has no scheme`),
		badProviderBlock("url not http", auth+`url = "file:///etc/confluence"`, `Invalid Confluence URL`, `scheme "file"`),
		badProviderBlock("url with credentials", auth+`url = var.secret`, `Invalid Confluence URL`, `contains credentials`).
			withSecret("https://admin:Url-Pw-91c3e@confluence.example.com"),
		badProviderBlock("url with a query", auth+`url = "https://confluence.example.com/?os_authType=basic"`, `Invalid Confluence URL`, `query string`),
		badProviderBlock("empty password", at+`username = "admin"`+"\n"+`password = ""`, `Missing Confluence Password`, `password`),
		badProviderBlock("empty username", at+`username = ""`+"\n"+`password = var.secret`, `Missing Confluence Username`, `username`).
			withSecret("Pw-empty-user-55d1"),
		badProviderBlock("token and password", at+auth+`token = var.secret`, `Conflicting Confluence Credentials`, `Use one method only`).
			withSecret("tok-conflict-0a9e77"),
		badProviderBlock("blank token", at+`token = var.secret`, `token`, `blank|white ?space|empty`).
			withSecret("   "),
		badProviderBlock("missing CA file", at+auth+`ca_cert_file = "/nonexistent/hardening-ca.pem"`, `ca_cert_file`, `could not read the CA certificate file`),
		badProviderBlock("CA file without PEM", at+auth+fmt.Sprintf("ca_cert_file = %q", notPEM), `ca_cert_file`, `holds no PEM-encoded certificate`),
		badProviderBlock("zero timeout", at+auth+`request_timeout_seconds = 0`, `request_timeout_seconds`, `must be at least 1`),
		badProviderBlock("negative retries", at+auth+`max_retries = -1`, `max_retries`, `must be at least 0`),
		badProviderBlock("zero retry wait", at+auth+`max_retry_wait_seconds = 0`, `max_retry_wait_seconds`, `must be at least 1`),
		badProviderBlock("timeout overflowing a duration", at+auth+`request_timeout_seconds = `+overflow, `request_timeout_seconds`, `at most`),
		badProviderBlock("retry wait overflowing a duration", at+auth+`max_retry_wait_seconds = `+overflow, `max_retry_wait_seconds`, `at most`),
		badProviderBlock("environment values that are not numbers or booleans", at+auth,
			`CONFLUENCE_INSECURE_SKIP_VERIFY environment variable must be true or false`).
			withEnv(map[string]string{envInsecureSkipVerify: "maybe", envMaxRetries: "four"}),
	}
}

func TestAccHardeningInput_provider(t *testing.T) {
	srv := hardeningFake(t, 1)
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("this is not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range badProviderCases(srv.Start(), notPEM) {
		t.Run(tc.name, func(t *testing.T) {
			output := hardeningPlanOutput(t, tc.hcl, tc.vars, tc.env)
			checkBadInput(t, tc.badInput, output)
		})
	}
}
