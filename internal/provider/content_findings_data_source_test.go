package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccContentFindings_perVersion reads each version of a page that gained
// a second secret and then lost the first: a version's listing holds only
// that version's own matches.
func TestAccContentFindings_perVersion(t *testing.T) {
	server, url := startFindingsFake(t)
	id := server.CreatePage("ENG", "Runbook", "<p>"+awsClientID(1)+"</p>")
	server.UpdateContent(id, "<p>"+awsClientID(1)+" "+awsClientID(2)+"</p>")
	server.UpdateContent(id, "<p>"+awsClientID(2)+"</p>")
	server.AddReview("ENG", "AWS_CLIENT_ID", awsClientID(2))
	versions := server.ContentVersions(id)

	config := findingsProvider(url)
	for _, v := range versions {
		config += fmt.Sprintf(`
data "securityforconfluence_content_findings" "v%d" {
  content_id   = %q
  created_when = %q
}
`, v.Number, id, v.CreatedWhen)
	}
	config += fmt.Sprintf(`
data "securityforconfluence_content_findings" "v2_unreviewed" {
  content_id   = %q
  created_when = %q
  reviewed     = false
}

# The same instant as version 1, written in UTC with "Z".
data "securityforconfluence_content_findings" "v1_utc" {
  content_id   = %q
  created_when = %q
}
`, id, versions[1].CreatedWhen, id, inUTC(t, versions[0].CreatedWhen))

	address := func(name string) string { return "data.securityforconfluence_content_findings." + name }
	texts := func(name string, want ...string) statecheck.StateCheck {
		checks := []knownvalue.Check{}
		for _, text := range want {
			checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"match_text": knownvalue.StringExact(text),
				"content_id": knownvalue.StringExact(id),
			}))
		}
		return statecheck.ExpectKnownValue(address(name), tfjsonpath.New("findings"), knownvalue.ListExact(checks))
	}

	accTest(t, resource.TestStep{
		Config: config,
		ConfigStateChecks: []statecheck.StateCheck{
			texts("v1", awsClientID(1)),
			texts("v2", awsClientID(1), awsClientID(2)),
			texts("v3", awsClientID(2)),
			texts("v2_unreviewed", awsClientID(1)),
			texts("v1_utc", awsClientID(1)),
			statecheck.ExpectKnownValue(address("v1"),
				tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("historical"), knownvalue.Bool(true)),
			expectInt(address("v2"), "reviewed_count", 1),
			expectInt(address("v2"), "unreviewed_count", 1),
		},
	})
}

func inUTC(t *testing.T, createdWhen string) string {
	t.Helper()
	when, err := time.Parse(createdWhenLayout, createdWhen)
	if err != nil {
		t.Fatal(err)
	}
	return when.UTC().Format(createdWhenLayout)
}

func TestAccContentFindings_unknownVersion(t *testing.T) {
	server, url := startFindingsFake(t)
	id := server.CreatePage("ENG", "Runbook", "<p>"+awsClientID(1)+"</p>")

	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + fmt.Sprintf(`
data "securityforconfluence_content_findings" "test" {
  content_id   = %q
  created_when = "2001-01-01T00:00:00.000Z"
}`, id),
		ExpectError: expectMessage("Read Findings Error",
			"could not read the findings of content "+id+" at 2001-01-01T00:00:00.000Z", "404"),
	})
}
