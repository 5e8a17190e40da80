package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
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

// TestAccSpaceReviewedFindings_errorMasksEveryText has the server quote
// another text of the same resource in its refusal of the first, and a text
// the space lists that the resource does not hold: all must be masked in the
// error.
func TestAccSpaceReviewedFindings_errorMasksEveryText(t *testing.T) {
	f := startReviewFake(t)
	first, second := reviewMarker+"first-secret-text", reviewMarker+"second-secret-text"
	f.server.QueueFault(fake.Fault{
		Method: http.MethodPost, PathContains: "/review/space/" + reviewSpace + "/create",
		Status: http.StatusBadRequest, Header: http.Header{"Content-Type": {"application/json"}},
		Body: fmt.Sprintf(`{"statusCode":400,"message":"Cannot review %s while %s and %s and %s are pending"}`,
			jsonBody(first), jsonBody(first), jsonBody(second), reviewKey(3)),
	})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          f.spaceReviewsConfig(reviewSpace, reviewAWSRule),
			ConfigVariables: textsVariable(first, second),
			ExpectError: errorWithout(
				`Create Review Error.*Cannot\s+review\s+\*\*\*\s+while\s+\*\*\*\s+and\s+\*\*\*\s+and\s+\*\*\*\s+are\s+pending`),
		}},
	})
}

// jsonBody is s as it appears inside a JSON string.
func jsonBody(s string) string {
	return regexp.MustCompile(`^"|"$`).ReplaceAllString(fmt.Sprintf("%q", s), "")
}
