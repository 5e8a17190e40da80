package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

const builtinRuleAddress = "securityforconfluence_builtin_rule.test"

func builtinRuleConfig(srv *fake.Server, name string, enabled bool) string {
	return adminConfig(srv) + fmt.Sprintf(`
resource "securityforconfluence_builtin_rule" "test" {
  name    = %q
  enabled = %t
}
`, name, enabled)
}

// checkFakeRuleEnabled asserts what the server holds, not what state says.
func checkFakeRuleEnabled(srv *fake.Server, name string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := srv.RuleEnabled(name); got != want {
			return fmt.Errorf("the fake has %s enabled = %t, want %t", name, got, want)
		}
		return nil
	}
}

func TestAccBuiltinRuleResource_disableDriftImport(t *testing.T) {
	srv := newTestFake(t)
	const rule = "AWS_CLIENT_ID"

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Destroy only forgets the rule: it must stay disabled.
		CheckDestroy: checkFakeRuleEnabled(srv, rule, false),
		Steps: []resource.TestStep{
			{
				Config: builtinRuleConfig(srv, rule, false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRuleAddress, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(builtinRuleAddress, tfjsonpath.New("id"), knownvalue.StringExact(rule)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(builtinRuleAddress, tfjsonpath.New("id"), knownvalue.StringExact(rule)),
					statecheck.ExpectKnownValue(builtinRuleAddress, tfjsonpath.New("name"), knownvalue.StringExact(rule)),
					statecheck.ExpectKnownValue(builtinRuleAddress, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
				},
				Check: checkFakeRuleEnabled(srv, rule, false),
			},
			{
				// Someone switches the rule back on in the settings UI.
				PreConfig: func() { srv.SetRuleEnabled(rule, true) },
				Config:    builtinRuleConfig(srv, rule, false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRuleAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(builtinRuleAddress, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
				}},
				Check: checkFakeRuleEnabled(srv, rule, false),
			},
			{
				ResourceName:      builtinRuleAddress,
				ImportState:       true,
				ImportStateId:     rule,
				ImportStateVerify: true,
			},
		},
	})
}

// An imported rule must plan clean against a configuration that matches it,
// and the import must take enabled from the server.
func TestAccBuiltinRuleResource_importThenPlan(t *testing.T) {
	srv := newTestFake(t)
	const rule = "AWS_SECRET_ACCESS_KEY"
	srv.SetRuleEnabled(rule, false)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkFakeRuleEnabled(srv, rule, false),
		Steps: []resource.TestStep{
			{
				Config:             builtinRuleConfig(srv, rule, false),
				ResourceName:       builtinRuleAddress,
				ImportState:        true,
				ImportStateId:      rule,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("import produced %d objects, want 1", len(states))
					}
					attrs := states[0].Attributes
					if attrs["id"] != rule || attrs["name"] != rule || attrs["enabled"] != "false" {
						return fmt.Errorf("imported id=%q name=%q enabled=%q, want %s, %s, false",
							attrs["id"], attrs["name"], attrs["enabled"], rule, rule)
					}
					return nil
				},
			},
			{
				Config:   builtinRuleConfig(srv, rule, false),
				PlanOnly: true,
			},
			{
				// A toggle in the UI after the import is drift like any other.
				PreConfig: func() { srv.SetRuleEnabled(rule, true) },
				Config:    builtinRuleConfig(srv, rule, false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRuleAddress, plancheck.ResourceActionUpdate),
				}},
				Check: checkFakeRuleEnabled(srv, rule, false),
			},
		},
	})
}

// The import-block form of the same import plans no change beyond the import.
func TestAccBuiltinRuleResource_importBlock(t *testing.T) {
	srv := newTestFake(t)
	const rule = "PASSWORD_IN_URL"
	srv.SetRuleEnabled(rule, false)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          builtinRuleConfig(srv, rule, false),
				ResourceName:    builtinRuleAddress,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   rule,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRuleAddress, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(builtinRuleAddress, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
				}},
			},
		},
	})
}

func TestAccBuiltinRuleResource_enableAndUpdate(t *testing.T) {
	srv := newTestFake(t)
	const rule = "SLACK_TOKEN"
	srv.SetRuleEnabled(rule, false)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkFakeRuleEnabled(srv, rule, true),
		Steps: []resource.TestStep{
			{
				Config: builtinRuleConfig(srv, rule, false),
				Check:  checkFakeRuleEnabled(srv, rule, false),
			},
			{
				Config: builtinRuleConfig(srv, rule, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRuleAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(builtinRuleAddress, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				},
				Check: checkFakeRuleEnabled(srv, rule, true),
			},
			{
				// A new name forgets the old rule, leaving it enabled, and adopts the new one.
				Config: builtinRuleConfig(srv, "GITHUB_TOKEN", false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRuleAddress, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkFakeRuleEnabled(srv, rule, true),
					checkFakeRuleEnabled(srv, "GITHUB_TOKEN", false),
				),
			},
		},
	})
}

// A rule the server stops listing (a custom rule deleted, an app downgrade)
// leaves state instead of failing the refresh.
func TestAccBuiltinRuleResource_ruleGone(t *testing.T) {
	srv := newTestFake(t)
	const rule = "AWS_MWS_KEY"

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: builtinRuleConfig(srv, rule, false),
			},
			{
				// The rule leaves the configuration as it leaves the server:
				// the refresh must drop it, leaving nothing to destroy.
				PreConfig: func() {
					srv.QueueFault(fake.Fault{
						Method: http.MethodGet, PathContains: "/rest/security/latest/rules",
						Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
						Body: rulesWithout(t, srv, rule),
					})
				},
				Config: adminConfig(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: func(s *terraform.State) error {
					if srv.PendingFaults() != 0 {
						return fmt.Errorf("the rule list without %s was never served", rule)
					}
					if _, ok := s.RootModule().Resources[builtinRuleAddress]; ok {
						return fmt.Errorf("%s is still in state after the server stopped listing %s", builtinRuleAddress, rule)
					}
					return nil
				},
			},
		},
	})
}

// rulesWithout is the GET rules answer of srv without one built-in rule.
func rulesWithout(t *testing.T, srv *fake.Server, omit string) string {
	t.Helper()
	var rules []client.Rule
	for _, name := range srv.BuiltInRuleNames() {
		if name != omit {
			rules = append(rules, client.Rule{Name: name, BuiltIn: true, Enabled: srv.RuleEnabled(name)})
		}
	}
	body, err := json.Marshal(rules)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestAccBuiltinRuleResource_badNames(t *testing.T) {
	srv := newTestFake(t)
	srv.AddCustomRule("INTERNAL_HOSTNAME", `\b[a-z0-9-]+\.corp\.internal\b`)

	cases := []struct {
		name, rule string
		want       *regexp.Regexp
	}{
		{"lower case", "aws_client_id",
			regexp.MustCompile(`(?s)Unknown Rule Name.*no\s+built-in\s+rule\s+of\s+that\s+name.*Did\s+you\s+mean\s+"AWS_CLIENT_ID"\?`)},
		{"typo", "GITHUB_TOKN",
			regexp.MustCompile(`(?s)Unknown Rule Name.*Did\s+you\s+mean\s+"GITHUB_TOKEN"\?`)},
		{"custom rule", "INTERNAL_HOSTNAME",
			regexp.MustCompile(`(?s)Not a Built-in Rule.*"INTERNAL_HOSTNAME",\s+which\s+is\s+a\s+custom\s+rule.*cannot\s+toggle\s+it`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      builtinRuleConfig(srv, tc.rule, false),
						PlanOnly:    true,
						ExpectError: tc.want,
					},
				},
			})
		})
	}
	if srv.RuleEnabled("INTERNAL_HOSTNAME") != true {
		t.Error("a failed plan changed the custom rule")
	}
}

func TestAccBuiltinRuleResource_importUnknownName(t *testing.T) {
	srv := newTestFake(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:        builtinRuleConfig(srv, "AWS_CLIENT_ID", true),
				ResourceName:  builtinRuleAddress,
				ImportState:   true,
				ImportStateId: "aws_client_id",
				ExpectError: regexp.MustCompile(
					`(?s)Import Built-in Rule Error.*exact\s+name\s+of\s+a\s+built-in\s+rule.*Did\s+you\s+mean\s+"AWS_CLIENT_ID"\?`),
			},
		},
	})
}

func TestAccBuiltinRuleResource_nonAdmin(t *testing.T) {
	srv := newTestFake(t)
	srv.AddUser("jdoe", "jdoe-password", false)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv.Start(), "jdoe", "jdoe-password") + `
resource "securityforconfluence_builtin_rule" "test" {
  name    = "JWT"
  enabled = false
}
`,
				ExpectError: regexp.MustCompile(`(?s)List Rules Error.*HTTP 403.*not\s+a\s+Confluence\s+administrator`),
			},
		},
	})
	if !srv.RuleEnabled("JWT") {
		t.Error("a refused plan changed the rule")
	}
}

// The provider's url comes from a resource created in the same apply, so it
// is unknown while planning: the plan must skip every API call and the apply
// must still work.
func TestAccBuiltinRuleResource_unknownProviderConfig(t *testing.T) {
	srv := newTestFake(t)
	config := func(urlSuffix string) string {
		return fmt.Sprintf(`
resource "terraform_data" "url" {
  input = %q
}

provider "securityforconfluence" {
  url      = terraform_data.url.output
  username = "admin"
  password = "admin"
}

resource "securityforconfluence_builtin_rule" "test" {
  name    = "EMAIL_ADDRESS"
  enabled = false
}
`, srv.Start()+urlSuffix)
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkFakeRuleEnabled(srv, "EMAIL_ADDRESS", false),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(builtinRuleAddress, plancheck.ResourceActionCreate),
				}},
				Check: checkFakeRuleEnabled(srv, "EMAIL_ADDRESS", false),
			},
			{
				// Changing terraform_data makes url unknown again while the
				// rule already has state: Read must keep it.
				Config: config("/"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("terraform_data.url", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("terraform_data.url", tfjsonpath.New("output")),
					plancheck.ExpectResourceAction(builtinRuleAddress, plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}
