package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

const maxRuleSuggestions = 3

// findRule returns the rule named exactly name. Rule names are
// case-sensitive on the server, so no case folding happens here.
func findRule(rules []client.Rule, name string) (client.Rule, bool) {
	for _, rule := range rules {
		if rule.Name == name {
			return rule, true
		}
	}
	return client.Rule{}, false
}

// ruleNameProblem returns nil when name is a rule the server lists (a
// built-in one when builtInOnly is set), or an error on attr that says what
// is wrong and suggests the closest names.
func ruleNameProblem(rules []client.Rule, attr path.Path, name string, builtInOnly bool) diag.Diagnostic {
	rule, found := findRule(rules, name)
	switch {
	case found && (rule.BuiltIn || !builtInOnly):
		return nil
	case found:
		return diag.NewAttributeErrorDiagnostic(attr, "Not a Built-in Rule",
			fmt.Sprintf("%s is %q, which is a custom rule. Only built-in rules can be set here, so this resource "+
				"cannot toggle it; custom rules are enabled and disabled on the app's settings page in Confluence.%s",
				attributeName(attr), name, suggestionSentence(closestRuleNames(rules, name, builtInOnly))))
	}

	kind := "rule"
	if builtInOnly {
		kind = "built-in rule"
	}
	return diag.NewAttributeErrorDiagnostic(attr, "Unknown Rule Name",
		fmt.Sprintf("%s is %q, but Security for Confluence has no %s of that name. Rule names are case-sensitive.%s "+
			"The securityforconfluence_rules data source lists every rule the server knows.",
			attributeName(attr), name, kind, suggestionSentence(closestRuleNames(rules, name, builtInOnly))))
}

// checkRuleName validates a configured rule name against the server's rule
// list, for use in ModifyPlan and data source Read. It does nothing while the
// value is null or unknown, or while the provider has no client.
func checkRuleName(ctx context.Context, data *providerData, attr path.Path, value types.String, builtInOnly bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if value.IsNull() || value.IsUnknown() || data == nil {
		return diags
	}

	rules, err := data.reads.Rules(ctx)
	if err != nil {
		diags.Append(clientErrorDiagnostic("List Rules Error", "list the scanning rules to check "+attributeName(attr), err))
		return diags
	}
	if problem := ruleNameProblem(rules, attr, value.ValueString(), builtInOnly); problem != nil {
		diags.Append(problem)
	}
	return diags
}

// closestRuleNames ranks rule names by edit distance, ignoring case, since a
// lower-case spelling of a built-in rule is the commonest slip.
func closestRuleNames(rules []client.Rule, name string, builtInOnly bool) []string {
	type candidate struct {
		name     string
		distance int
	}
	wanted := strings.ToUpper(name)
	limit := max(3, len([]rune(name))/3)

	var candidates []candidate
	for _, rule := range rules {
		if builtInOnly && !rule.BuiltIn {
			continue
		}
		distance := levenshtein.Distance(wanted, strings.ToUpper(rule.Name), nil)
		if distance <= limit {
			candidates = append(candidates, candidate{rule.Name, distance})
		}
	}
	slices.SortStableFunc(candidates, func(a, b candidate) int {
		if a.distance != b.distance {
			return a.distance - b.distance
		}
		return strings.Compare(a.name, b.name)
	})

	names := make([]string, 0, maxRuleSuggestions)
	for _, c := range candidates[:min(len(candidates), maxRuleSuggestions)] {
		names = append(names, c.name)
	}
	return names
}

func suggestionSentence(names []string) string {
	if len(names) == 0 {
		return ""
	}
	quoted := make([]string, len(names))
	for i, name := range names {
		quoted[i] = fmt.Sprintf("%q", name)
	}
	if len(quoted) == 1 {
		return " Did you mean " + quoted[0] + "?"
	}
	last := len(quoted) - 1
	return " Did you mean one of " + strings.Join(quoted[:last], ", ") + " or " + quoted[last] + "?"
}

// attributeName renders a path the way a user writes it in configuration.
func attributeName(attr path.Path) string {
	return attr.String()
}
