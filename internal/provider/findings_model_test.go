package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// startFindingsFake starts an empty fake with one space, ENG, that the
// admin user administers.
func startFindingsFake(t *testing.T) (*fake.Server, string) {
	t.Helper()
	server := fake.New()
	url := server.Start()
	t.Cleanup(server.Close)
	server.CreateSpace("ENG", "Engineering", "admin")
	return server, url
}

// findingsProvider is the provider block of the acceptance tests.
func findingsProvider(url string) string {
	return findingsProviderAs(url, "admin", "admin")
}

func findingsProviderAs(url, username, password string) string {
	return fmt.Sprintf(`
provider "securityforconfluence" {
  url         = %q
  username    = %q
  password    = %q
  max_retries = 0
}
`, url, username, password)
}

// awsClientID returns the n-th of a family of distinct AWS_CLIENT_ID matches.
func awsClientID(n int) string {
	return fmt.Sprintf("AKIA%016d", n)
}

// seedAWSClientIDs creates one page in the ENG space holding n distinct AWS
// client ids, so the space has exactly n findings.
func seedAWSClientIDs(server *fake.Server, n int) {
	var body strings.Builder
	body.WriteString("<p>Keys:")
	for i := range n {
		body.WriteString(" " + awsClientID(i))
	}
	body.WriteString("</p>")
	server.CreatePage("ENG", fmt.Sprintf("Keys %d", n), body.String())
}

func accTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccFactoriesWithEnv(nil),
		Steps:                    steps,
	})
}

func expectInt(address, attribute string, want int64) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(attribute), knownvalue.Int64Exact(want))
}

// expectMessage matches the given parts of an error in order. Terraform wraps
// long messages, so any space in a part matches any run of white space.
func expectMessage(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, part := range parts {
		words := strings.Fields(part)
		for j, word := range words {
			words[j] = regexp.QuoteMeta(word)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// requestsTo counts the recorded requests whose escaped path contains part.
func requestsTo(server *fake.Server, method, part string) int {
	n := 0
	for _, r := range server.Requests() {
		if r.Method == method && strings.Contains(r.RawPath, part) {
			n++
		}
	}
	return n
}

func TestFindingsCreatedWhenValidation(t *testing.T) {
	cases := []struct {
		value   string
		problem string
	}{
		{createdWhenExample, ""},
		{"2021-08-15T22:54:36.860Z", ""},
		{"2021-08-15T17:54:36.860+05:30", ""},
		{"2021-08-15", "does not have that form"},
		{"2021-08-15T17:54:36.860", "does not have that form"},
		{"2021-08-15T17:54:36-05:00", "does not have that form"},
		{"2021-08-15T17:54:36.86-05:00", "does not have that form"},
		{"2021-08-15T17:54:36.860123-05:00", "does not have that form"},
		{"2021-08-15 17:54:36.860-05:00", "does not have that form"},
		{"2021-08-15T17:54:36.860-0500", "does not have that form"},
		{"2021-13-15T17:54:36.860-05:00", "is not a real date and time"},
		{"2021-02-30T17:54:36.860-05:00", "is not a real date and time"},
	}
	for _, c := range cases {
		if got := createdWhenProblem(c.value); got != c.problem {
			t.Errorf("createdWhenProblem(%q) = %q, want %q", c.value, got, c.problem)
		}
	}
}

func TestFindingsCreatedWhenValidatorMessage(t *testing.T) {
	req := validator.StringRequest{
		Path:        path.Root("created_when"),
		ConfigValue: types.StringValue("2021-08-15"),
	}
	var resp validator.StringResponse
	createdWhenValidator{}.ValidateString(context.Background(), req, &resp)

	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("want one error, got %v", resp.Diagnostics)
	}
	d := resp.Diagnostics.Errors()[0]
	if d.Summary() != "Invalid Created When Timestamp" {
		t.Errorf("summary = %q", d.Summary())
	}
	for _, want := range []string{"created_when", createdWhenExample, `"2021-08-15"`, "Copy the version's"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q: %s", want, d.Detail())
		}
	}

	for _, skipped := range []types.String{types.StringNull(), types.StringUnknown()} {
		var resp validator.StringResponse
		createdWhenValidator{}.ValidateString(context.Background(),
			validator.StringRequest{Path: path.Root("created_when"), ConfigValue: skipped}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%v: want no error, got %v", skipped, resp.Diagnostics)
		}
	}
}

func TestFindingsSummarize(t *testing.T) {
	ctx := context.Background()

	empty, diags := summarize(ctx, []client.Finding{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if empty.Findings.IsNull() || len(empty.Findings.Elements()) != 0 {
		t.Errorf("no findings: want an empty, non-null list, got %v", empty.Findings)
	}
	if empty.CountsByRule.IsNull() || empty.TotalCount.ValueInt64() != 0 {
		t.Errorf("no findings: counts = %v, total = %v", empty.CountsByRule, empty.TotalCount)
	}

	summary, diags := summarize(ctx, []client.Finding{
		{RuleName: "AWS_CLIENT_ID", MatchText: "a", Reviewed: true},
		{RuleName: "AWS_CLIENT_ID", MatchText: "b"},
		{RuleName: "GITHUB_TOKEN", MatchText: "c"},
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	counts := map[string]int64{}
	diags = summary.CountsByRule.ElementsAs(ctx, &counts, false)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if counts["AWS_CLIENT_ID"] != 2 || counts["GITHUB_TOKEN"] != 1 || len(counts) != 2 {
		t.Errorf("counts_by_rule = %v", counts)
	}
	if summary.ReviewedCount.ValueInt64() != 1 || summary.UnreviewedCount.ValueInt64() != 2 ||
		summary.TotalCount.ValueInt64() != 3 {
		t.Errorf("reviewed/unreviewed/total = %v/%v/%v",
			summary.ReviewedCount, summary.UnreviewedCount, summary.TotalCount)
	}
}

// TestFindingsFilterQuery checks that the filters reach the client as the
// query parameters the vendor documents.
func TestFindingsFilterQuery(t *testing.T) {
	ctx := context.Background()
	names, _ := types.ListValueFrom(ctx, types.StringType, []string{"AWS_CLIENT_ID", "JWT"})
	filters := findingsFilters{
		Reviewed:  types.BoolValue(false),
		RuleNames: names,
		PageSize:  types.Int64Value(7),
	}

	q, diags := filters.query(ctx)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if q.Page != 0 || q.Size != 7 || q.Reviewed == nil || *q.Reviewed ||
		strings.Join(q.RuleNames, ",") != "AWS_CLIENT_ID,JWT" {
		t.Errorf("query = %+v", q)
	}
	if filters.usesDefaults() {
		t.Error("filters with rule names and a page size must not use the shared cache")
	}

	plain := findingsFilters{Reviewed: types.BoolValue(true), RuleNames: types.ListNull(types.StringType), PageSize: types.Int64Null()}
	if !plain.usesDefaults() {
		t.Error("a reviewed filter alone should use the shared cache")
	}
}

// TestAccFindingsBadInputs asserts the message of every argument the schema
// rejects before any request.
func TestAccFindingsBadInputs(t *testing.T) {
	_, url := startFindingsFake(t)
	cases := []struct {
		name   string
		config string
		want   string
	}{
		{"page size zero", `
data "securityforconfluence_space_findings" "test" {
  space_key = "ENG"
  page_size = 0
}`, `Attribute page_size value must be between 1 and 100, got: 0`},
		{"page size above the server's maximum", `
data "securityforconfluence_space_findings" "test" {
  space_key = "ENG"
  page_size = 101
}`, `Attribute page_size value must be between 1 and 100, got: 101`},
		{"empty rule name", `
data "securityforconfluence_space_findings" "test" {
  space_key  = "ENG"
  rule_names = [""]
}`, `Attribute rule_names\[0\] string length must be at least 1`},
		{"empty rule name list", `
data "securityforconfluence_space_findings" "test" {
  space_key  = "ENG"
  rule_names = []
}`, `Attribute rule_names list must contain at least 1 elements`},
		{"duplicate rule name", `
data "securityforconfluence_space_findings" "test" {
  space_key  = "ENG"
  rule_names = ["JWT", "JWT"]
}`, `This attribute contains duplicate values of: "JWT"`},
		{"empty space key", `
data "securityforconfluence_space_findings" "test" {
  space_key = ""
}`, `Attribute space_key string length must be at least 1`},
		{"date without time", `
data "securityforconfluence_content_findings" "test" {
  content_id   = "1"
  created_when = "2021-08-15"
}`, `(?s)Invalid Created When Timestamp.*The created_when attribute must be the.*2021-08-15T17:54:36.860-05:00.*Got.*"2021-08-15"`},
		{"time without offset", `
data "securityforconfluence_content_findings" "test" {
  content_id   = "1"
  created_when = "2021-08-15T17:54:36.860"
}`, `(?s)Invalid Created When Timestamp.*does not have that form`},
		{"export space key empty", `
data "securityforconfluence_findings_export" "test" {
  space_key = ""
}`, `Attribute space_key string length must be at least 1`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			accTest(t, resource.TestStep{
				Config:      findingsProvider(url) + c.config,
				ExpectError: regexp.MustCompile(c.want),
			})
		})
	}
}
