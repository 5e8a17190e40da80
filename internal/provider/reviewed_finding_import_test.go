package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccReviewedFinding_importJSONChecksTheRule imports through the JSON
// form with a rule name that is no rule: the import must fail with the
// closest names, as a configured rule_name would, never report success.
func TestAccReviewedFinding_importJSONChecksTheRule(t *testing.T) {
	f := startReviewFake(t)
	text := reviewMarker + "retired-key" + reviewMarker
	cases := []struct{ rule, want string }{
		{"aws_client_id", `(?s)Unknown Rule Name.*rule_name is "aws_client_id".*Did you mean "AWS_CLIENT_ID"`},
		{"NO_SUCH_RULE", `(?s)Unknown Rule Name.*rule_name is "NO_SUCH_RULE"`},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			id := fmt.Sprintf(`{"space_key":%q,"rule_name":%q,"match_text":%q}`, reviewSpace, tc.rule, text)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
					ConfigVariables: textVariable(text),
					ResourceName:    reviewAddress,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   id,
					ExpectError:     errorWithout(tc.want),
				}},
			})
		})
	}
}

// TestAccReviewedFinding_importJSONOfUnlistedText imports a review whose text
// no content holds any more, which is what the JSON form is for: with a real
// rule it succeeds.
func TestAccReviewedFinding_importJSONOfUnlistedText(t *testing.T) {
	f := startReviewFake(t)
	text := "AKIARETIRED000000001"
	f.server.AddReview(reviewSpace, reviewAWSRule, text)
	id := fmt.Sprintf(`{"space_key":%q,"rule_name":%q,"match_text":%q}`, reviewSpace, reviewAWSRule, text)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
			ConfigVariables: textVariable(text),
			ResourceName:    reviewAddress,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   id,
		}},
	})
}
