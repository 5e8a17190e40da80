package provider

import (
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

var testRules = []client.Rule{
	{Name: "AWS_CLIENT_ID", BuiltIn: true},
	{Name: "AWS_SECRET_ACCESS_KEY", BuiltIn: true},
	{Name: "AWS_MWS_KEY", BuiltIn: true},
	{Name: "GITHUB_TOKEN", BuiltIn: true},
	{Name: "SLACK_TOKEN", BuiltIn: true},
	{Name: "JWT", BuiltIn: true},
	{Name: "Internal hostnames", BuiltIn: false},
}

func TestClosestRuleNames(t *testing.T) {
	cases := []struct {
		name, input string
		builtInOnly bool
		want        []string
	}{
		{"lower case of a built-in rule", "aws_client_id", true, []string{"AWS_CLIENT_ID"}},
		{"one letter off", "GITHUB_TOKN", true, []string{"GITHUB_TOKEN"}},
		{"far names left out", "AWS_CLIENT_KEY", true, []string{"AWS_CLIENT_ID"}},
		{"custom rules left out when built-in only", "internal hostname", true, []string{}},
		{"custom rules kept otherwise", "internal hostname", false, []string{"Internal hostnames"}},
		{"nothing close", "TOTALLY_DIFFERENT_THING", true, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := closestRuleNames(testRules, tc.input, tc.builtInOnly)
			if !slices.Equal(got, tc.want) {
				t.Errorf("closestRuleNames(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

func TestClosestRuleNamesCapsAtThree(t *testing.T) {
	rules := []client.Rule{
		{Name: "KEY_A", BuiltIn: true}, {Name: "KEY_B", BuiltIn: true},
		{Name: "KEY_C", BuiltIn: true}, {Name: "KEY_D", BuiltIn: true},
	}
	got := closestRuleNames(rules, "KEY_X", true)
	if want := []string{"KEY_A", "KEY_B", "KEY_C"}; !slices.Equal(got, want) {
		t.Errorf("closestRuleNames = %q, want %q", got, want)
	}
}

func TestSuggestionSentence(t *testing.T) {
	cases := map[string][]string{
		"":                                      nil,
		` Did you mean "JWT"?`:                  {"JWT"},
		` Did you mean one of "A" or "B"?`:      {"A", "B"},
		` Did you mean one of "A", "B" or "C"?`: {"A", "B", "C"},
	}
	for want, names := range cases {
		if got := suggestionSentence(names); got != want {
			t.Errorf("suggestionSentence(%q) = %q, want %q", names, got, want)
		}
	}
}

func TestRuleNameProblem(t *testing.T) {
	attr := path.Root("name")
	cases := []struct {
		name, input string
		builtInOnly bool
		summary     string
		detail      *regexp.Regexp
	}{
		{"built-in rule", "JWT", true, "", nil},
		{"custom rule allowed", "Internal hostnames", false, "", nil},
		{"wrong case", "aws_client_id", true, "Unknown Rule Name",
			regexp.MustCompile(`name is "aws_client_id", but .* no built-in rule of that name\. Rule names are case-sensitive\. Did you mean "AWS_CLIENT_ID"\?`)},
		{"no suggestion", "NOPE_NOTHING_LIKE_IT", false, "Unknown Rule Name",
			regexp.MustCompile(`no rule of that name\. Rule names are case-sensitive\. The securityforconfluence_rules data source`)},
		{"custom rule where built-in needed", "Internal hostnames", true, "Not a Built-in Rule",
			regexp.MustCompile(`"Internal hostnames", which is a custom rule\. .*cannot toggle it`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problem := ruleNameProblem(testRules, attr, tc.input, tc.builtInOnly)
			if tc.detail == nil {
				if problem != nil {
					t.Fatalf("unexpected problem: %s: %s", problem.Summary(), problem.Detail())
				}
				return
			}
			if problem == nil {
				t.Fatal("no problem reported")
			}
			if problem.Summary() != tc.summary {
				t.Errorf("summary = %q, want %q", problem.Summary(), tc.summary)
			}
			if !tc.detail.MatchString(problem.Detail()) {
				t.Errorf("detail = %q, want a match for %s", problem.Detail(), tc.detail)
			}
		})
	}
}

func TestCheckRuleNameSkipsUnknownAndNull(t *testing.T) {
	source := &countingSource{rules: testRules}
	data := &providerData{reads: newReadCache(source)}

	for _, value := range []types.String{types.StringUnknown(), types.StringNull()} {
		if diags := checkRuleName(t.Context(), data, path.Root("name"), value, true); diags.HasError() {
			t.Errorf("checkRuleName(%s) = %v, want no error", value, diags)
		}
	}
	if got := source.ruleCalls.Load(); got != 0 {
		t.Errorf("ListRules called %d times for unknown and null names, want 0", got)
	}

	diags := checkRuleName(t.Context(), data, path.Root("name"), types.StringValue("jwt"), true)
	if !diags.HasError() {
		t.Error("checkRuleName(jwt) reported no error")
	}
}
