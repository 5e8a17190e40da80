package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const spaceReviewsAddress = "securityforconfluence_space_reviewed_findings.test"

// spaceReviewsConfig reviews every text of a sensitive list under rule.
func (f *reviewFixture) spaceReviewsConfig(spaceKey, rule string) string {
	return reviewProviderBlock(f.url, "admin", "admin") + fmt.Sprintf(`
variable "texts" {
  type      = list(string)
  sensitive = true
}

resource "securityforconfluence_space_reviewed_findings" "test" {
  space_key = %q
  reviews   = [for text in var.texts : { rule_name = %q, match_text = text }]
}
`, spaceKey, rule)
}

func textsVariable(texts ...string) config.Variables {
	values := make([]config.Variable, len(texts))
	for i, text := range texts {
		values[i] = config.StringVariable(text)
	}
	return config.Variables{"texts": config.ListVariable(values...)}
}

func reviewsUnder(rule string, texts ...string) map[string]string {
	reviews := map[string]string{}
	for _, text := range texts {
		reviews[text] = rule
	}
	return reviews
}

func TestAccSpaceReviewedFindings_authoritative(t *testing.T) {
	f := startReviewFake(t)
	one, two, three := reviewKey(1), reviewKey(2), reviewKey(3)
	cfg := f.spaceReviewsConfig(reviewSpace, reviewAWSRule)
	// A review made before Terraform took over the space is removed too.
	f.server.AddReview(reviewSpace, reviewAWSRule, three)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(reviewSpace, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: textsVariable(one, two),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(spaceReviewsAddress, tfjsonpath.New("id"), knownvalue.StringExact(reviewSpace)),
					statecheck.ExpectKnownValue(spaceReviewsAddress, tfjsonpath.New("reviews"), knownvalue.ListSizeExact(2)),
				},
				Check: f.expectReviewed(reviewSpace, reviewsUnder(reviewAWSRule, one, two)),
			},
			{
				// A review added in the UI is drift, and apply removes it.
				PreConfig:       func() { f.server.AddReview(reviewSpace, reviewAWSRule, three) },
				Config:          cfg,
				ConfigVariables: textsVariable(one, two),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(spaceReviewsAddress, plancheck.ResourceActionUpdate),
				}},
				Check: f.expectReviewed(reviewSpace, reviewsUnder(reviewAWSRule, one, two)),
			},
			{
				// A review removed in the UI is drift, and apply adds it back.
				PreConfig:       func() { f.server.RemoveReview(reviewSpace, one) },
				Config:          cfg,
				ConfigVariables: textsVariable(one, two),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(spaceReviewsAddress, plancheck.ResourceActionUpdate),
				}},
				Check: f.expectReviewed(reviewSpace, reviewsUnder(reviewAWSRule, one, two)),
			},
			{
				Config:            cfg,
				ConfigVariables:   textsVariable(one, two),
				ResourceName:      spaceReviewsAddress,
				ImportState:       true,
				ImportStateId:     reviewSpace,
				ImportStateVerify: true,
			},
			{
				// Swapping one text for another creates one and removes one.
				Config:          cfg,
				ConfigVariables: textsVariable(one, three),
				Check:           f.expectReviewed(reviewSpace, reviewsUnder(reviewAWSRule, one, three)),
			},
			{
				// The page goes away: nothing can be seen, nothing changes.
				PreConfig:       func() { f.server.DeleteContent(f.pageID) },
				Config:          cfg,
				ConfigVariables: textsVariable(one, three),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: f.expectReviewed(reviewSpace, reviewsUnder(reviewAWSRule, one, three)),
			},
			{
				// An empty set clears the space, reviews it cannot see included.
				Config:          cfg,
				ConfigVariables: textsVariable(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(spaceReviewsAddress, tfjsonpath.New("reviews"), knownvalue.ListSizeExact(0)),
				},
				Check: f.expectReviewed(reviewSpace, map[string]string{}),
			},
			{
				// Destroy also clears reviews that are not visible.
				Config:          cfg,
				ConfigVariables: textsVariable(one),
				Check: func(*terraform.State) error {
					f.server.AddReview(reviewSpace, reviewAWSRule, "invisible-text")
					return nil
				},
			},
		},
	})
}

func TestAccSpaceReviewedFindings_importRoundTrip(t *testing.T) {
	f := startReviewFake(t)
	one, two := reviewKey(1), reviewKey(2)
	f.server.AddReview(reviewSpace, reviewAWSRule, one)
	f.server.AddReview(reviewSpace, reviewAWSRule, two)
	// The texts come from a sensitive variable, which marks the whole list,
	// just as the schema marks the imported state: no update of marks alone.
	cfg := f.spaceReviewsConfig(reviewSpace, reviewAWSRule) + fmt.Sprintf(`
import {
  to = securityforconfluence_space_reviewed_findings.test
  id = %q
}
`, reviewSpace)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          cfg,
			ConfigVariables: textsVariable(one, two),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(spaceReviewsAddress, plancheck.ResourceActionNoop),
			}},
			Check: f.expectReviewed(reviewSpace, reviewsUnder(reviewAWSRule, one, two)),
		}},
	})
}

func TestAccSpaceReviewedFindings_specialCharacters(t *testing.T) {
	f := startReviewFake(t)
	const space = "~jdoe"
	const rule = "ci:key|env=prod/ü 密钥"
	text := "☃line one\nlïne \"two\" 密钥☃"
	f.server.AddUser("jdoe", "jdoe", false)
	f.server.CreateSpace(space, "John Doe")
	f.server.AddCustomRule(rule, `(?s)☃.*?☃`)
	f.server.CreatePage(space, "Notes", "<p>"+text+"</p>")
	f.server.ScanSpace(space)
	cfg := f.spaceReviewsConfig(space, rule)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(space, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: textsVariable(text),
				Check:           f.expectReviewed(space, reviewsUnder(rule, text)),
			},
			{
				Config:            cfg,
				ConfigVariables:   textsVariable(text),
				ResourceName:      spaceReviewsAddress,
				ImportState:       true,
				ImportStateId:     space,
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccSpaceReviewedFindings_errors(t *testing.T) {
	f := startReviewFake(t)
	secret := reviewMarker + "hunter2" + reviewMarker
	cases := []struct {
		name, space, rule string
		texts             []string
		want              string
	}{
		{"empty text", reviewSpace, reviewAWSRule, []string{secret, ""}, `Empty Match Text.*Entry\s+1\s+of\s+reviews`},
		{"duplicate text", reviewSpace, reviewAWSRule, nil, `Duplicate Match Text.*Entries\s+0\s+\(rule\s+"AWS_CLIENT_ID"\)\s+and\s+1\s+\(rule\s+"EMAIL_ADDRESS"\)`},
		{"unknown space", "NOPE", reviewAWSRule, []string{secret}, `Space Not Found.*"NOPE"`},
		{"unknown rule", reviewSpace, "aws_client_id", []string{secret}, `Unknown Rule Name.*reviews\[0\]\.rule_name\s+is\s+"aws_client_id".*"AWS_CLIENT_ID"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := f.spaceReviewsConfig(tc.space, tc.rule)
			if tc.texts == nil {
				// Two rules claim one text.
				cfg = strings.Replace(cfg, `[for text in var.texts : { rule_name = "AWS_CLIENT_ID", match_text = text }]`,
					`[{ rule_name = "AWS_CLIENT_ID", match_text = var.texts[0] }, { rule_name = "EMAIL_ADDRESS", match_text = var.texts[0] }]`, 1)
				tc.texts = []string{secret}
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:          cfg,
					ConfigVariables: textsVariable(tc.texts...),
					ExpectError:     errorWithout(tc.want),
				}},
			})
		})
	}
	if reviews := f.server.ReviewedTexts(reviewSpace); len(reviews) != 0 {
		t.Errorf("a failed plan created %d review(s)", len(reviews))
	}
}
