package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccSpaceReviewedFindings_importMissingSpace imports a key Confluence
// does not have: the error must say the space was not found, quote the key
// and mention case, not Terraform's generic non-existent object.
func TestAccSpaceReviewedFindings_importMissingSpace(t *testing.T) {
	f := startReviewFake(t)
	for _, key := range []string{"ops", "NOPE"} {
		t.Run(key, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:          f.spaceReviewsConfig(reviewSpace, reviewAWSRule),
					ConfigVariables: textsVariable(reviewKey(1)),
					ResourceName:    spaceReviewsAddress,
					ImportState:     true,
					ImportStateId:   key,
					ExpectError: expectMessage("Space Not Found", fmt.Sprintf("The import id is %q", key),
						"case-sensitive"),
				}},
			})
		})
	}
}
