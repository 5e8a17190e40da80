package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

const spaceFindingsAddress = "data.securityforconfluence_space_findings.test"

// TestAccSpaceFindings_scanFindsNewSecret runs a real scan with auto-scan off,
// so the finding can only come from the scan resource.
func TestAccSpaceFindings_scanFindsNewSecret(t *testing.T) {
	server, url := startFindingsFake(t)
	server.SetAutoScan(false)
	pageID := server.CreatePage("ENG", "Runbook", "<p>key "+awsClientID(7)+"</p>")

	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
resource "securityforconfluence_scan" "eng" {
  space_key = "ENG"
}

data "securityforconfluence_space_findings" "test" {
  space_key  = "ENG"
  depends_on = [securityforconfluence_scan.eng]
}`,
		ConfigStateChecks: []statecheck.StateCheck{
			expectInt(spaceFindingsAddress, "total_count", 1),
			expectInt(spaceFindingsAddress, "unreviewed_count", 1),
			expectInt(spaceFindingsAddress, "reviewed_count", 0),
			statecheck.ExpectKnownValue(spaceFindingsAddress, tfjsonpath.New("findings"),
				knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"rule_name":     knownvalue.StringExact("AWS_CLIENT_ID"),
					"match_text":    knownvalue.StringExact(awsClientID(7)),
					"space_key":     knownvalue.StringExact("ENG"),
					"content_id":    knownvalue.StringExact(pageID),
					"content_title": knownvalue.StringExact("Runbook"),
					"content_type":  knownvalue.StringExact("page"),
					"first_version": knownvalue.Int64Exact(1),
					"last_version":  knownvalue.Int64Exact(1),
					"reviewed":      knownvalue.Bool(false),
					"historical":    knownvalue.Bool(false),
				})})),
			statecheck.ExpectKnownValue(spaceFindingsAddress, tfjsonpath.New("counts_by_rule"),
				knownvalue.MapExact(map[string]knownvalue.Check{"AWS_CLIENT_ID": knownvalue.Int64Exact(1)})),
			expectInt("securityforconfluence_scan.eng", "findings_count", 1),
		},
	})
}

func TestAccSpaceFindings_reviewedFilter(t *testing.T) {
	server, url := startFindingsFake(t)
	seedAWSClientIDs(server, 3)
	server.AddReview("ENG", "AWS_CLIENT_ID", awsClientID(1))

	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
data "securityforconfluence_space_findings" "all" {
  space_key = "ENG"
}

data "securityforconfluence_space_findings" "reviewed" {
  space_key = "ENG"
  reviewed  = true
}

data "securityforconfluence_space_findings" "unreviewed" {
  space_key = "ENG"
  reviewed  = false
}`,
		ConfigStateChecks: []statecheck.StateCheck{
			expectInt("data.securityforconfluence_space_findings.all", "total_count", 3),
			expectInt("data.securityforconfluence_space_findings.all", "reviewed_count", 1),
			expectInt("data.securityforconfluence_space_findings.all", "unreviewed_count", 2),
			expectInt("data.securityforconfluence_space_findings.reviewed", "total_count", 1),
			statecheck.ExpectKnownValue("data.securityforconfluence_space_findings.reviewed",
				tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("match_text"),
				knownvalue.StringExact(awsClientID(1))),
			statecheck.ExpectKnownValue("data.securityforconfluence_space_findings.reviewed",
				tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("reviewed"), knownvalue.Bool(true)),
			expectInt("data.securityforconfluence_space_findings.unreviewed", "total_count", 2),
			expectInt("data.securityforconfluence_space_findings.unreviewed", "reviewed_count", 0),
		},
	})
}

func TestAccSpaceFindings_ruleNamesFilter(t *testing.T) {
	server, url := startFindingsFake(t)
	server.CreatePage("ENG", "Mixed", "<p>"+awsClientID(1)+" jane@example.com ghp_"+
		strings.Repeat("a", 36)+"</p>")

	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
data "securityforconfluence_space_findings" "test" {
  space_key  = "ENG"
  rule_names = ["GITHUB_TOKEN", "EMAIL_ADDRESS"]
}`,
		ConfigStateChecks: []statecheck.StateCheck{
			expectInt(spaceFindingsAddress, "total_count", 2),
			statecheck.ExpectKnownValue(spaceFindingsAddress, tfjsonpath.New("counts_by_rule"),
				knownvalue.MapExact(map[string]knownvalue.Check{
					"GITHUB_TOKEN":  knownvalue.Int64Exact(1),
					"EMAIL_ADDRESS": knownvalue.Int64Exact(1),
				})),
		},
		Check: func(*terraform.State) error {
			for _, r := range server.Requests() {
				if strings.Contains(r.RawPath, "scan/space/ENG") && r.Query.Get("ruleIds") != "GITHUB_TOKEN,EMAIL_ADDRESS" {
					return fmt.Errorf("ruleIds = %q, want GITHUB_TOKEN,EMAIL_ADDRESS", r.Query.Get("ruleIds"))
				}
			}
			return nil
		},
	})
}

func TestAccSpaceFindings_unknownRuleName(t *testing.T) {
	server, url := startFindingsFake(t)
	seedAWSClientIDs(server, 1)

	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
data "securityforconfluence_space_findings" "test" {
  space_key  = "ENG"
  rule_names = ["JWT", "AWS_CLIENT_iD"]
}`,
		ExpectError: expectMessage("Unknown Rule Name",
			`rule_names[1] is "AWS_CLIENT_iD", but Security for Confluence has no rule of that name.`,
			`Did you mean`, `"AWS_CLIENT_ID"`),
	})
}

// A space administrator who is no Confluence administrator may filter by
// rule even though the rule list is closed to them.
func TestAccSpaceFindings_ruleNamesWithoutRuleListAccess(t *testing.T) {
	server, url := startFindingsFake(t)
	server.AddUser("lead", "lead-pw", false)
	server.CreateSpace("OPS", "Operations", "lead")
	server.CreatePage("OPS", "Keys", "<p>"+awsClientID(3)+" ops@example.com</p>")

	accTest(t, resource.TestStep{
		Config: findingsProviderAs(url, "lead", "lead-pw") + `
data "securityforconfluence_space_findings" "test" {
  space_key  = "OPS"
  rule_names = ["EMAIL_ADDRESS"]
}`,
		ConfigStateChecks: []statecheck.StateCheck{
			expectInt(spaceFindingsAddress, "total_count", 1),
		},
	})
}

func TestAccSpaceFindings_missingSpace(t *testing.T) {
	_, url := startFindingsFake(t)
	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
data "securityforconfluence_space_findings" "test" {
  space_key = "NOPE"
}`,
		ExpectError: expectMessage("Space Not Found", "space_key", `"NOPE"`, "not found", "right case"),
	})
}

// TestAccSpaceFindings_paging reads N findings in pages of four, around the
// page boundaries, and checks each arrives exactly once with as few
// requests as the server's short page allows.
func TestAccSpaceFindings_paging(t *testing.T) {
	const size = 4
	for _, n := range []int{0, 1, size - 1, size, size + 1, 3 * size} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			server, url := startFindingsFake(t)
			if n > 0 {
				seedAWSClientIDs(server, n)
			}
			wantRequests := n/size + 1

			accTest(t, resource.TestStep{
				PreConfig: server.ResetRequests,
				Config: findingsProvider(url) + fmt.Sprintf(`
data "securityforconfluence_space_findings" "test" {
  space_key = "ENG"
  page_size = %d
}`, size),
				ConfigStateChecks: []statecheck.StateCheck{
					expectInt(spaceFindingsAddress, "total_count", int64(n)),
					statecheck.ExpectKnownValue(spaceFindingsAddress, tfjsonpath.New("findings"),
						knownvalue.ListSizeExact(n)),
					distinctMatchTexts(n),
				},
				Check: func(*terraform.State) error {
					return checkPagesPerRead(server.Requests(), wantRequests)
				},
			})
		})
	}
}

// distinctMatchTexts checks that the findings list holds n different texts,
// in the server's order.
func distinctMatchTexts(n int) statecheck.StateCheck {
	checks := make([]knownvalue.Check, n)
	for i := range n {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"match_text": knownvalue.StringExact(awsClientID(i)),
		})
	}
	return statecheck.ExpectKnownValue(spaceFindingsAddress, tfjsonpath.New("findings"),
		knownvalue.ListExact(checks))
}

// pagedServer answers GET scan/space/ENG with pages made by pageFor and
// sends everything else to the fake, which still does the authentication.
func pagedServer(t *testing.T, pageFor func(page, size int) client.FindingsPage) (string, *fake.Server) {
	t.Helper()
	backend, _ := startFindingsFake(t)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/scan/space/ENG") {
			backend.ServeHTTP(w, r)
			return
		}
		// The fake records the request and checks its credentials; its
		// own answer is replaced.
		backend.ServeHTTP(httptest.NewRecorder(), r)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("size"))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(pageFor(page, size))
	}))
	t.Cleanup(proxy.Close)
	return proxy.URL, backend
}

// checkPagesPerRead checks that each read of the data source (each request
// for page 0) cost exactly pages requests.
func checkPagesPerRead(requests []fake.RecordedRequest, pages int) error {
	reads, total := 0, 0
	for _, r := range requests {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.RawPath, "/scan/space/ENG") {
			continue
		}
		total++
		if r.Query.Get("page") == "0" {
			reads++
		}
	}
	if reads == 0 || total != reads*pages {
		return fmt.Errorf("%d page requests for %d reads, want %d per read", total, reads, pages)
	}
	return nil
}

func numberedFindings(from, to int) []client.Finding {
	findings := []client.Finding{}
	for i := from; i < to; i++ {
		findings = append(findings, client.Finding{
			RuleName: "AWS_CLIENT_ID", MatchText: awsClientID(i), SpaceKey: "ENG",
			ContentID: "1", ContentTitle: "Keys", ContentType: "page", FirstVersion: 1, LastVersion: 1,
		})
	}
	return findings
}

func TestAccSpaceFindings_misbehavingServers(t *testing.T) {
	cases := []struct {
		name string
		// pageFor answers a page request.
		pageFor      func(page, size int) client.FindingsPage
		wantFindings int
		wantRequests int
	}{
		{
			// Pages of ten whatever size was asked, without saying so:
			// full pages are longer than asked, so only the empty page ends.
			name: "ignores size",
			pageFor: func(page, _ int) client.FindingsPage {
				return client.FindingsPage{ScanState: "COMPLETED", Page: page,
					Findings: numberedFindings(min(page*10, 25), min(page*10+10, 25))}
			},
			wantFindings: 25, wantRequests: 4,
		},
		{
			// Pages past the end repeat the last full page.
			name: "repeats the last page",
			pageFor: func(page, size int) client.FindingsPage {
				page = min(page, 1)
				return client.FindingsPage{ScanState: "COMPLETED", Page: page, Size: size,
					Findings: numberedFindings(page*size, page*size+size)}
			},
			wantFindings: 8, wantRequests: 3,
		},
		{
			// The page number is ignored: every answer is the same full page.
			name: "ignores the page",
			pageFor: func(_, size int) client.FindingsPage {
				return client.FindingsPage{ScanState: "COMPLETED", Size: size,
					Findings: numberedFindings(0, size)}
			},
			wantFindings: 4, wantRequests: 2,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url, backend := pagedServer(t, c.pageFor)
			accTest(t, resource.TestStep{
				Config: findingsProvider(url) + `
data "securityforconfluence_space_findings" "test" {
  space_key = "ENG"
  page_size = 4
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expectInt(spaceFindingsAddress, "total_count", int64(c.wantFindings)),
				},
				Check: func(*terraform.State) error {
					return checkPagesPerRead(backend.Requests(), c.wantRequests)
				},
			})
		})
	}
}

// expectCheckStatus asserts the status terraform gives a check block in the
// plan: a failed check is recorded there while the plan itself succeeds.
type expectCheckStatus struct {
	name   string
	status tfjson.CheckStatus
}

func (e expectCheckStatus) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, check := range req.Plan.Checks {
		if check.Address.Kind == tfjson.CheckKindCheckBlock && check.Address.Name == e.name {
			if check.Status != e.status {
				resp.Error = fmt.Errorf("check %s is %q, want %q", e.name, check.Status, e.status)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("the plan has no result for check %s", e.name)
}

// TestAccSpaceFindings_ciGateExample runs examples/ci-gate as a user would:
// its own terraform block, credentials from the environment. A failed check
// block leaves plan and apply successful; strict turns it into an error.
func TestAccSpaceFindings_ciGateExample(t *testing.T) {
	server, url := startFindingsFake(t)
	seedAWSClientIDs(server, 2)
	server.CreatePage("ENG", "Contacts", "<p>jane@example.com</p>")
	server.AddReview("ENG", "AWS_CLIENT_ID", awsClientID(0))

	// The example names its source; the in-process provider must answer to it.
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "secconf")
	variables := func(strict bool) config.Variables {
		return config.Variables{
			"space_keys": config.ListVariable(config.StringVariable("ENG")),
			"strict":     config.BoolVariable(strict),
		}
	}
	gate := config.StaticDirectory("../../examples/ci-gate")
	summary := func(awsUnreviewed int64) statecheck.StateCheck {
		return statecheck.ExpectKnownOutputValue("findings_by_rule", knownvalue.ObjectExact(map[string]knownvalue.Check{
			"ENG": knownvalue.ObjectExact(map[string]knownvalue.Check{
				"AWS_CLIENT_ID": knownvalue.ObjectExact(map[string]knownvalue.Check{
					"total": knownvalue.Int64Exact(2), "unreviewed": knownvalue.Int64Exact(awsUnreviewed),
				}),
				"EMAIL_ADDRESS": knownvalue.ObjectExact(map[string]knownvalue.Check{
					"total": knownvalue.Int64Exact(1), "unreviewed": knownvalue.Int64Exact(0),
				}),
			}),
		}))
	}

	// The example's provider block makes plugin-testing want the factories
	// on each step rather than on the case.
	factories := testAccFactoriesWithEnv(map[string]string{
		"CONFLUENCE_URL": url, "CONFLUENCE_USERNAME": "admin", "CONFLUENCE_PASSWORD": "admin",
	})
	resource.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: factories,
				ConfigDirectory:          gate,
				ConfigVariables:          variables(true),
				PreConfig:                func() { server.AddReview("ENG", "EMAIL_ADDRESS", "jane@example.com") },
				ExpectError: expectMessage("Resource postcondition failed",
					"Space ENG has 1 unreviewed findings."),
			},
			{
				ProtoV6ProviderFactories: factories,
				ConfigDirectory:          gate,
				ConfigVariables:          variables(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectCheckStatus{"no_unreviewed_findings", tfjson.CheckStatusFail}},
				},
				ConfigStateChecks: []statecheck.StateCheck{summary(1)},
			},
			{
				ProtoV6ProviderFactories: factories,
				ConfigDirectory:          gate,
				ConfigVariables:          variables(true),
				PreConfig:                func() { server.AddReview("ENG", "AWS_CLIENT_ID", awsClientID(1)) },
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectCheckStatus{"no_unreviewed_findings", tfjson.CheckStatusPass}},
				},
				ConfigStateChecks: []statecheck.StateCheck{summary(0)},
			},
		},
	})
}
