package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
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

// extraBuiltInRules stands in front of the fake and lists built-in rules the
// fake does not have, as an app upgrade would add them, answering GET rules
// and the PUTs for those rules itself. The fake has no hook to add a built-in
// rule, and one seeded this way needs no pattern: nothing is scanned here.
type extraBuiltInRules struct {
	next http.Handler

	mu    sync.Mutex
	rules []client.Rule
}

func (x *extraBuiltInRules) add(name string, enabled bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.rules = append(x.rules, client.Rule{Name: name, BuiltIn: true, Enabled: enabled, Category: "New in this version"})
}

func (x *extraBuiltInRules) enabled(name string) (bool, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, rule := range x.rules {
		if rule.Name == name {
			return rule.Enabled, true
		}
	}
	return false, false
}

func (x *extraBuiltInRules) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const prefix = "/rest/security/latest/rules"
	switch {
	case r.Method == http.MethodGet && r.URL.Path == prefix:
		x.serveList(w, r)
	case r.Method == http.MethodPut && x.setIfExtra(strings.TrimPrefix(r.URL.Path, prefix+"/built-in/"), r.URL.Query().Get("enabled")):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("{}"))
	default:
		x.next.ServeHTTP(w, r)
	}
}

func (x *extraBuiltInRules) serveList(w http.ResponseWriter, r *http.Request) {
	recorder := httptest.NewRecorder()
	x.next.ServeHTTP(recorder, r)
	var rules []client.Rule
	if recorder.Code != http.StatusOK || json.Unmarshal(recorder.Body.Bytes(), &rules) != nil {
		w.WriteHeader(recorder.Code)
		_, _ = w.Write(recorder.Body.Bytes())
		return
	}
	x.mu.Lock()
	rules = append(rules, x.rules...)
	x.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rules)
}

func (x *extraBuiltInRules) setIfExtra(name, enabled string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	for i := range x.rules {
		if x.rules[i].Name == name {
			x.rules[i].Enabled = enabled == "true"
			return true
		}
	}
	return false
}

func expectExtraRule(x *extraBuiltInRules, name string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, found := x.enabled(name)
		if !found || got != want {
			return fmt.Errorf("new built-in rule %s: found=%t enabled=%t, want enabled=%t", name, found, got, want)
		}
		return nil
	}
}

func TestAccBuiltinRules_newBuiltInRule(t *testing.T) {
	srv := fake.New()
	upgraded := &extraBuiltInRules{next: srv}
	front := httptest.NewServer(upgraded)
	t.Cleanup(front.Close)
	url := front.URL

	allRulesWith := func(extra ...string) knownvalue.Check {
		checks := builtInNamesExcept(srv)
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
			expectExtraRule(upgraded, "AZURE_STORAGE_KEY", true),
			expectExtraRule(upgraded, "HUGGINGFACE_TOKEN", true),
			expectExtraRule(upgraded, "OPENAI_API_KEY", true),
		),
		Steps: []resource.TestStep{
			{
				Config: builtinRulesConfig(url, "disabled_rules", "JWT"),
				Check:  expectRulesEnabled(srv, "JWT"),
			},
			{
				// The upgrade ships the rule switched off; a deny-list policy
				// enables it, and the plan names it in all_rules.
				PreConfig: func() { upgraded.add("AZURE_STORAGE_KEY", false) },
				Config:    builtinRulesConfig(url, "disabled_rules", "JWT"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("all_rules"), allRulesWith("AZURE_STORAGE_KEY")),
				}},
				Check: expectExtraRule(upgraded, "AZURE_STORAGE_KEY", true),
			},
			{
				// Shipped switched on, the rule already matches the policy:
				// only all_rules changes, and the apply writes nothing.
				PreConfig: func() {
					upgraded.add("HUGGINGFACE_TOKEN", true)
					srv.ResetRequests()
				},
				Config: builtinRulesConfig(url, "disabled_rules", "JWT"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("all_rules"),
						allRulesWith("AZURE_STORAGE_KEY", "HUGGINGFACE_TOKEN")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectExtraRule(upgraded, "HUGGINGFACE_TOKEN", true),
					expectRuleWrites(srv),
				),
			},
			{
				PreConfig: func() { upgraded.add("OPENAI_API_KEY", true) },
				Config:    builtinRulesConfig(url, "enabled_rules", "AWS_CLIENT_ID", "AZURE_STORAGE_KEY"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRulesAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRulesAddress, tfjsonpath.New("all_rules"),
						allRulesWith("AZURE_STORAGE_KEY", "HUGGINGFACE_TOKEN", "OPENAI_API_KEY")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectExtraRule(upgraded, "OPENAI_API_KEY", false),
					expectExtraRule(upgraded, "HUGGINGFACE_TOKEN", false),
					expectExtraRule(upgraded, "AZURE_STORAGE_KEY", true),
					expectRulesEnabled(srv, namesExcept(srv.BuiltInRuleNames(), "AWS_CLIENT_ID")...),
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
