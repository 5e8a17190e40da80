package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccRulesDataSource(t *testing.T) {
	srv := newTestFake(t)
	srv.SetRuleEnabled("JWT", false)
	srv.AddCustomRule("INTERNAL_HOSTNAME", `\b[a-z0-9-]+\.corp\.internal\b`)
	builtIns := srv.BuiltInRuleNames()
	jwtIndex := indexOf(t, builtIns, "JWT")

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: adminConfig(srv) + `
data "securityforconfluence_rules" "all" {}

data "securityforconfluence_rules" "built_in" {
  built_in = true
}

data "securityforconfluence_rules" "custom" {
  built_in = false
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.securityforconfluence_rules.all",
						tfjsonpath.New("rules"), knownvalue.ListSizeExact(len(builtIns)+1)),
					statecheck.ExpectKnownValue("data.securityforconfluence_rules.all",
						tfjsonpath.New("rules").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
							"name":        knownvalue.StringExact(builtIns[0]),
							"built_in":    knownvalue.Bool(true),
							"enabled":     knownvalue.Bool(true),
							"description": knownvalue.StringRegexp(regexp.MustCompile(`\S`)),
							"category":    knownvalue.StringRegexp(regexp.MustCompile(`\S`)),
						})),
					statecheck.ExpectKnownValue("data.securityforconfluence_rules.all",
						tfjsonpath.New("rules").AtSliceIndex(jwtIndex).AtMapKey("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.securityforconfluence_rules.all",
						tfjsonpath.New("rules").AtSliceIndex(len(builtIns)).AtMapKey("name"), knownvalue.StringExact("INTERNAL_HOSTNAME")),
					statecheck.ExpectKnownValue("data.securityforconfluence_rules.built_in",
						tfjsonpath.New("rules"), knownvalue.ListSizeExact(len(builtIns))),
					statecheck.ExpectKnownValue("data.securityforconfluence_rules.custom",
						tfjsonpath.New("rules"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"name":     knownvalue.StringExact("INTERNAL_HOSTNAME"),
								"built_in": knownvalue.Bool(false),
								"enabled":  knownvalue.Bool(true),
							}),
						})),
				},
				Check: func(*terraform.State) error {
					requests := srv.Requests()
					if len(requests) == 0 {
						return fmt.Errorf("the fake received no request")
					}
					for _, r := range requests {
						if ua := r.Header.Get("User-Agent"); ua != "terraform-provider-securityforconfluence/test" {
							return fmt.Errorf("%s %s sent User-Agent %q", r.Method, r.RawPath, ua)
						}
					}
					return nil
				},
			},
		},
	})
}

func TestAccRulesDataSource_nonAdmin(t *testing.T) {
	srv := newTestFake(t)
	srv.AddUser("jdoe", "jdoe-password", false)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv.Start(), "jdoe", "jdoe-password") + `
data "securityforconfluence_rules" "all" {}
`,
				ExpectError: regexp.MustCompile(`(?s)List Rules Error.*HTTP 403.*not\s+a\s+Confluence\s+administrator`),
			},
		},
	})
}

func indexOf(t *testing.T, names []string, name string) int {
	t.Helper()
	for i, n := range names {
		if n == name {
			return i
		}
	}
	t.Fatalf("%s is not among %q", name, names)
	return -1
}
