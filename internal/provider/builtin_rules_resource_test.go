package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

const builtinRulesAddress = "securityforconfluence_builtin_rules.policy"

func builtinRulesConfig(url, listAttribute string, names ...string) string {
	quoted := make([]string, len(names))
	for i, name := range names {
		quoted[i] = strconv.Quote(name)
	}
	body := ""
	if listAttribute != "" {
		body = fmt.Sprintf("  %s = [%s]\n", listAttribute, strings.Join(quoted, ", "))
	}
	return providerConfig(url, "admin", "admin") +
		fmt.Sprintf("resource \"securityforconfluence_builtin_rules\" \"policy\" {\n%s}\n", body)
}

// expectRulesEnabled asserts the server's state of every built-in rule:
// disabled lists the ones that must be off, every other one must be on.
func expectRulesEnabled(srv *fake.Server, disabled ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, name := range srv.BuiltInRuleNames() {
			want := !slices.Contains(disabled, name)
			if got := srv.RuleEnabled(name); got != want {
				return fmt.Errorf("built-in rule %s is enabled=%t on the server, want %t", name, got, want)
			}
		}
		return nil
	}
}

// expectRuleWrites asserts exactly which rules were written since the last
// reset of the fake's request log, so a write of an unchanged rule fails.
func expectRuleWrites(srv *fake.Server, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range srv.Requests() {
			if r.Method == http.MethodPut {
				got = append(got, r.RawPath[strings.LastIndex(r.RawPath, "/")+1:]+"="+r.Query.Get("enabled"))
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("rule writes were %v, want %v", got, want)
		}
		return nil
	}
}

func allBuiltInRulesEnabled(srv *fake.Server) resource.TestCheckFunc {
	return expectRulesEnabled(srv)
}

func builtInNamesExcept(srv *fake.Server, except ...string) []knownvalue.Check {
	var checks []knownvalue.Check
	for _, name := range srv.BuiltInRuleNames() {
		if !slices.Contains(except, name) {
			checks = append(checks, knownvalue.StringExact(name))
		}
	}
	return checks
}

func TestAccBuiltinRules_lifecycle(t *testing.T) {
	srv := newTestFake(t)
	url := srv.Start()

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             allBuiltInRulesEnabled(srv),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetRequests,
				Config:    builtinRulesConfig(url, "disabled_rules", "EMAIL_ADDRESS", "JWT"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("enabled_rules"),
						knownvalue.SetExact(builtInNamesExcept(srv, "EMAIL_ADDRESS", "JWT"))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("id"), knownvalue.StringExact("default")),
					statecheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("all_rules"),
						knownvalue.SetExact(builtInNamesExcept(srv))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRulesEnabled(srv, "EMAIL_ADDRESS", "JWT"),
					expectRuleWrites(srv, "EMAIL_ADDRESS=false", "JWT=false"),
				),
			},
			{
				// Toggles made on the settings page: one disabled rule turned
				// on, one enabled rule turned off.
				PreConfig: func() {
					srv.SetRuleEnabled("EMAIL_ADDRESS", true)
					srv.SetRuleEnabled("GITHUB_TOKEN", false)
					srv.ResetRequests()
				},
				Config: builtinRulesConfig(url, "disabled_rules", "EMAIL_ADDRESS", "JWT"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("disabled_rules"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("EMAIL_ADDRESS"), knownvalue.StringExact("JWT")})),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRulesEnabled(srv, "EMAIL_ADDRESS", "JWT"),
					expectRuleWrites(srv, "EMAIL_ADDRESS=false", "GITHUB_TOKEN=true"),
				),
			},
			{
				// Switching to an allow-list disables every rule it leaves out.
				PreConfig: srv.ResetRequests,
				Config:    builtinRulesConfig(url, "enabled_rules", "AWS_CLIENT_ID", "GITHUB_TOKEN"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("disabled_rules"),
						knownvalue.SetExact(builtInNamesExcept(srv, "AWS_CLIENT_ID", "GITHUB_TOKEN"))),
				}},
				Check: expectRulesEnabled(srv, namesExcept(srv.BuiltInRuleNames(), "AWS_CLIENT_ID", "GITHUB_TOKEN")...),
			},
			{
				ResourceName:                         builtinRulesAddress,
				ImportState:                          true,
				ImportStateId:                        "default",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{
				// An empty block means every built-in rule is enabled.
				PreConfig: srv.ResetRequests,
				Config:    builtinRulesConfig(url, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("disabled_rules"), knownvalue.SetSizeExact(0)),
				},
				Check: allBuiltInRulesEnabled(srv),
			},
			{
				// Destroy has to enable what this step disables.
				Config: builtinRulesConfig(url, "disabled_rules", "SLACK_TOKEN"),
				Check:  expectRulesEnabled(srv, "SLACK_TOKEN"),
			},
		},
	})
}

// An import into empty state, of a policy set on the settings page, must
// plan nothing for the configuration that describes that policy.
func TestAccBuiltinRules_importThenEmptyPlan(t *testing.T) {
	srv := newTestFake(t)
	srv.SetRuleEnabled("EMAIL_ADDRESS", false)
	srv.SetRuleEnabled("JWT", false)
	url := srv.Start()
	config := builtinRulesConfig(url, "disabled_rules", "EMAIL_ADDRESS", "JWT")

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             allBuiltInRulesEnabled(srv),
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       builtinRulesAddress,
				ImportState:        true,
				ImportStateId:      "default",
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].ID != "default" {
						return fmt.Errorf("import produced %d states, want one with id default", len(states))
					}
					if got := states[0].Attributes["disabled_rules.#"]; got != "2" {
						return fmt.Errorf("imported disabled_rules has %s names, want 2", got)
					}
					return nil
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: expectRuleWrites(srv),
			},
		},
	})
}

func namesExcept(names []string, except ...string) []string {
	return slices.DeleteFunc(slices.Clone(names), func(name string) bool { return slices.Contains(except, name) })
}

func TestAccBuiltinRules_rejectsBadNames(t *testing.T) {
	srv := newTestFake(t)
	srv.AddCustomRule("INTERNAL_HOSTNAME", `\binternal-[a-z]+\.example\.com\b`)
	url := srv.Start()

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			allBuiltInRulesEnabled(srv),
			expectRuleWrites(srv),
		),
		Steps: []resource.TestStep{
			{
				Config:      builtinRulesConfig(url, "disabled_rules", "EMAL_ADDRESS"),
				ExpectError: regexp.MustCompile(`(?s)Unknown Rule Name.*EMAL_ADDRESS.*Did you mean.*"EMAIL_ADDRESS"`),
			},
			{
				Config:      builtinRulesConfig(url, "enabled_rules", "jwt"),
				ExpectError: regexp.MustCompile(`(?s)Unknown Rule Name.*case-sensitive.*"JWT"`),
			},
			{
				Config:      builtinRulesConfig(url, "disabled_rules", "INTERNAL_HOSTNAME"),
				ExpectError: regexp.MustCompile(`(?s)Not a Built-in Rule.*custom rule`),
			},
			{
				Config: providerConfig(url, "admin", "admin") + `
resource "securityforconfluence_builtin_rules" "policy" {
  disabled_rules = ["JWT"]
  enabled_rules  = ["EMAIL_ADDRESS"]
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*enabled_rules`),
			},
			{
				Config:        builtinRulesConfig(url, "disabled_rules", "JWT"),
				ResourceName:  builtinRulesAddress,
				ImportState:   true,
				ImportStateId: "policy",
				ExpectError:   regexp.MustCompile(`(?s)Unexpected Import ID.*"default"`),
			},
		},
	})
}

func expectExtraRule(srv *fake.Server, name string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := srv.RuleEnabled(name); got != want {
			return fmt.Errorf("new built-in rule %s: enabled=%t, want enabled=%t", name, got, want)
		}
		return nil
	}
}

func TestAccBuiltinRules_newBuiltInRule(t *testing.T) {
	srv := newTestFake(t)
	url := srv.Start()
	originalBuiltIns := srv.BuiltInRuleNames()

	allRulesWith := func(extra ...string) knownvalue.Check {
		var checks []knownvalue.Check
		for _, name := range originalBuiltIns {
			checks = append(checks, knownvalue.StringExact(name))
		}
		for _, name := range extra {
			checks = append(checks, knownvalue.StringExact(name))
		}
		return knownvalue.SetExact(checks)
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			allBuiltInRulesEnabled(srv),
			expectExtraRule(srv, "AZURE_STORAGE_KEY", true),
			expectExtraRule(srv, "HUGGINGFACE_TOKEN", true),
			expectExtraRule(srv, "OPENAI_API_KEY", true),
		),
		Steps: []resource.TestStep{
			{
				Config: builtinRulesConfig(url, "disabled_rules", "JWT"),
				Check:  expectRulesEnabled(srv, "JWT"),
			},
			{
				// The upgrade ships the rule switched off; a deny-list policy
				// enables it, and the plan names it in all_rules.
				PreConfig: func() { srv.AddBuiltInRule("AZURE_STORAGE_KEY", `[A-Za-z0-9+/]{86}==`, false) },
				Config:    builtinRulesConfig(url, "disabled_rules", "JWT"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("all_rules"), allRulesWith("AZURE_STORAGE_KEY")),
				}},
				Check: expectExtraRule(srv, "AZURE_STORAGE_KEY", true),
			},
			{
				// Shipped switched on, the rule already matches the policy:
				// only all_rules changes, and the apply writes nothing.
				PreConfig: func() {
					srv.AddBuiltInRule("HUGGINGFACE_TOKEN", `hf_[A-Za-z0-9]{34}`, true)
					srv.ResetRequests()
				},
				Config: builtinRulesConfig(url, "disabled_rules", "JWT"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("all_rules"),
						allRulesWith("AZURE_STORAGE_KEY", "HUGGINGFACE_TOKEN")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectExtraRule(srv, "HUGGINGFACE_TOKEN", true),
					expectRuleWrites(srv),
				),
			},
			{
				PreConfig: func() { srv.AddBuiltInRule("OPENAI_API_KEY", `sk-[A-Za-z0-9]{48}`, true) },
				Config:    builtinRulesConfig(url, "enabled_rules", "AWS_CLIENT_ID", "AZURE_STORAGE_KEY"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("all_rules"),
						allRulesWith("AZURE_STORAGE_KEY", "HUGGINGFACE_TOKEN", "OPENAI_API_KEY")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectExtraRule(srv, "OPENAI_API_KEY", false),
					expectExtraRule(srv, "HUGGINGFACE_TOKEN", false),
					expectExtraRule(srv, "AZURE_STORAGE_KEY", true),
					// Read when the check runs, so the rules the upgrade added
					// count among those the allow-list switches off.
					func(state *terraform.State) error {
						disabled := namesExcept(srv.BuiltInRuleNames(), "AWS_CLIENT_ID", "AZURE_STORAGE_KEY")
						return expectRulesEnabled(srv, disabled...)(state)
					},
				),
			},
		},
	})
}

// A new rule is only visible in plan as a change of all_rules; the warning
// is what names it and says which way the apply will set it.
func TestWarnNewBuiltInRules(t *testing.T) {
	ctx := context.Background()
	lastApplied := stringSet([]string{"AWS_CLIENT_ID", "JWT"})
	builtIns := []string{"AWS_CLIENT_ID", "JWT", "AZURE_STORAGE_KEY"}

	tests := []struct {
		name   string
		config builtinRulesModel
		want   string
	}{
		{"deny-list", builtinRulesModel{DisabledRules: stringSet([]string{"JWT"}), EnabledRules: types.SetNull(types.StringType)},
			"AZURE_STORAGE_KEY. The next apply leaves them enabled"},
		{"allow-list", builtinRulesModel{DisabledRules: types.SetNull(types.StringType), EnabledRules: stringSet([]string{"JWT"})},
			"AZURE_STORAGE_KEY. The next apply leaves them disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := warnNewBuiltInRules(ctx, lastApplied, builtIns, tt.config)
			if len(diags) != 1 || diags[0].Severity() != diag.SeverityWarning {
				t.Fatalf("want one warning, got %v", diags)
			}
			if diags[0].Summary() != "New Built-In Scanning Rules" || !strings.Contains(diags[0].Detail(), tt.want) {
				t.Errorf("warning %q: %q does not say %q", diags[0].Summary(), diags[0].Detail(), tt.want)
			}
		})
	}

	if diags := warnNewBuiltInRules(ctx, stringSet(builtIns), builtIns, tests[0].config); len(diags) != 0 {
		t.Errorf("no rule is new, yet got %v", diags)
	}
	if diags := warnNewBuiltInRules(ctx, types.SetNull(types.StringType), builtIns, tests[0].config); len(diags) != 0 {
		t.Errorf("nothing was applied before, yet got %v", diags)
	}
}

func TestDesiredRuleStates(t *testing.T) {
	ctx := context.Background()
	builtIns := []string{"A", "B", "C"}
	tests := []struct {
		name      string
		config    builtinRulesModel
		wantOn    []string
		wantKnown bool
	}{
		{"neither list enables everything",
			builtinRulesModel{DisabledRules: types.SetNull(types.StringType), EnabledRules: types.SetNull(types.StringType)},
			[]string{"A", "B", "C"}, true},
		{"deny-list",
			builtinRulesModel{DisabledRules: stringSet([]string{"B"}), EnabledRules: types.SetNull(types.StringType)},
			[]string{"A", "C"}, true},
		{"allow-list",
			builtinRulesModel{DisabledRules: types.SetNull(types.StringType), EnabledRules: stringSet([]string{"B"})},
			[]string{"B"}, true},
		{"unknown list",
			builtinRulesModel{DisabledRules: types.SetUnknown(types.StringType), EnabledRules: types.SetNull(types.StringType)},
			nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enabled, known := desiredRuleStates(ctx, tt.config, builtIns)
			if known != tt.wantKnown {
				t.Fatalf("known = %t, want %t", known, tt.wantKnown)
			}
			var on []string
			for _, name := range builtIns {
				if enabled[name] {
					on = append(on, name)
				}
			}
			if !slices.Equal(on, tt.wantOn) {
				t.Errorf("enabled %v, want %v", on, tt.wantOn)
			}
		})
	}
}
