package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// A data source that reads a space Confluence does not have must point at
// space_key with the key quoted; a 404 while the space exists, as a missing
// app gives, must keep the client's own explanation.
func TestAccSpaceDataSources_missingSpace(t *testing.T) {
	for _, typ := range []string{"securityforconfluence_space_findings", "securityforconfluence_findings_export"} {
		for _, key := range []string{"eng", " ENG"} {
			t.Run(typ+"/"+key, func(t *testing.T) {
				_, url := startFindingsFake(t)
				accTest(t, resource.TestStep{
					Config: findingsProvider(url) + fmt.Sprintf("\ndata %q \"test\" {\n  space_key = %q\n}\n", typ, key),
					ExpectError: expectMessage("Space Not Found", "space_key", fmt.Sprintf("%q", key),
						"not found", "right case", "space details page"),
				})
			})
		}
	}
}

func TestAccSpaceDataSources_notFoundWhileSpaceExists(t *testing.T) {
	cases := map[string]string{
		"securityforconfluence_space_findings":  "scan/space/ENG",
		"securityforconfluence_findings_export": "export/space/ENG",
	}
	for typ, route := range cases {
		t.Run(typ, func(t *testing.T) {
			server, url := startFindingsFake(t)
			server.QueueFault(fake.Fault{
				Method: http.MethodGet, PathContains: route, Times: 10, Status: http.StatusNotFound,
				Header: http.Header{"Content-Type": {"application/json"}}, Body: `{"message":"no such resource"}`,
			})
			accTest(t, resource.TestStep{
				Config:      findingsProvider(url) + fmt.Sprintf("\ndata %q \"test\" {\n  space_key = \"ENG\"\n}\n", typ),
				ExpectError: expectMessage("Read Findings Error", "could not read the findings of space ENG", "404"),
			})
			if n := requestsTo(server, http.MethodGet, "/rest/api/space/ENG"); n == 0 {
				t.Error("the 404 was reported without asking whether the space exists")
			}
		})
	}
}
