package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

func expectString(address, attribute, want string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(attribute), knownvalue.StringExact(want))
}

func TestAccScan_eachTarget(t *testing.T) {
	server, url := startFindingsFake(t)
	server.SetAutoScan(false)
	id := server.CreatePage("ENG", "Runbook", "<p>"+awsClientID(1)+"</p>")
	server.UpdateContent(id, "<p>"+awsClientID(1)+" "+awsClientID(2)+"</p>")
	v1 := server.ContentVersions(id)[0].CreatedWhen

	scanned := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
	accTest(t, resource.TestStep{
		PreConfig: server.ResetRequests,
		Config: findingsProvider(url) + fmt.Sprintf(`
resource "securityforconfluence_scan" "space" {
  space_key = "ENG"
}

resource "securityforconfluence_scan" "history" {
  content_id = %[1]q
}

resource "securityforconfluence_scan" "version" {
  content_id   = %[1]q
  created_when = %[2]q
}
`, id, v1),
		ConfigStateChecks: []statecheck.StateCheck{
			expectString("securityforconfluence_scan.space", "id", "space/ENG"),
			expectString("securityforconfluence_scan.space", "scan_state", "COMPLETED"),
			expectInt("securityforconfluence_scan.space", "findings_count", 2),
			statecheck.ExpectKnownValue("securityforconfluence_scan.space", tfjsonpath.New("up_to_date_content"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue("securityforconfluence_scan.space", tfjsonpath.New("up_to_date_settings"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue("securityforconfluence_scan.space", tfjsonpath.New("scanned_at"), knownvalue.StringRegexp(scanned)),
			expectString("securityforconfluence_scan.history", "id", "content/"+id),
			expectInt("securityforconfluence_scan.history", "findings_count", 2),
			expectString("securityforconfluence_scan.version", "id", "content/"+id+"/version/"+v1),
			expectInt("securityforconfluence_scan.version", "findings_count", 1),
		},
		Check: func(*terraform.State) error {
			want := map[string]string{
				"/scan/space":           "key=ENG",
				"/scan/content":         "id=" + id,
				"/scan/content/version": "createdWhen=" + urlQueryEscape(v1) + "&id=" + id,
			}
			for suffix, query := range want {
				if n := countScans(server, suffix, query); n != 1 {
					return fmt.Errorf("POST %s?%s sent %d times, want once", suffix, query, n)
				}
			}
			return nil
		},
	})
}

// countScans counts the scan triggers to exactly this path and query.
func countScans(server *fake.Server, pathSuffix, query string) int {
	n := 0
	for _, r := range server.Requests() {
		if r.Method == http.MethodPost && regexp.MustCompile(regexp.QuoteMeta(pathSuffix)+`$`).MatchString(r.RawPath) &&
			r.Query.Encode() == query {
			n++
		}
	}
	return n
}

func TestAccScan_targetErrors(t *testing.T) {
	_, url := startFindingsFake(t)
	cases := []struct {
		name   string
		config string
		want   []string
	}{
		{"no target", `resource "securityforconfluence_scan" "test" {}`,
			[]string{"Missing Scan Target", "Neither space_key nor content_id is set."}},
		{"two targets", `
resource "securityforconfluence_scan" "test" {
  space_key  = "ENG"
  content_id = "1"
}`, []string{"Conflicting Scan Targets", "Both space_key and content_id are set, but a scan has exactly one target."}},
		{"version of a space", `
resource "securityforconfluence_scan" "test" {
  space_key    = "ENG"
  created_when = "` + createdWhenExample + `"
}`, []string{"Created When Without Content ID", "created_when picks one version", "replace space_key with the content_id"}},
		{"only created_when", `
resource "securityforconfluence_scan" "test" {
  created_when = "` + createdWhenExample + `"
}`, []string{"Missing Scan Target"}},
		{"bad created_when", `
resource "securityforconfluence_scan" "test" {
  content_id   = "1"
  created_when = "2021-08-15T17:54:36Z"
}`, []string{"Invalid Created When Timestamp", `Got "2021-08-15T17:54:36Z", which does not have that form`}},
		{"empty space key", `
resource "securityforconfluence_scan" "test" {
  space_key = ""
}`, []string{"Attribute space_key string length must be at least 1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			accTest(t, resource.TestStep{
				Config:      findingsProvider(url) + c.config,
				ExpectError: expectMessage(c.want...),
			})
		})
	}
}

// TestAccScan_missingSpace plans a scan of a space Confluence does not have:
// the plan must fail on space_key, quoting the key, and no scan may start.
func TestAccScan_missingSpace(t *testing.T) {
	server, url := startFindingsFake(t)
	for _, key := range []string{"NOPE", "eng", "  "} {
		t.Run(key, func(t *testing.T) {
			accTest(t, resource.TestStep{
				Config: findingsProvider(url) + fmt.Sprintf(`
resource "securityforconfluence_scan" "test" {
  space_key = %q
}`, key),
				ExpectError: expectMessage("Space Not Found", "space_key", fmt.Sprintf("%q", key), "case-sensitive"),
			})
		})
	}
	if n := requestsTo(server, http.MethodPost, "/scan/space"); n != 0 {
		t.Errorf("a plan that failed on the space still started %d scans", n)
	}
}

// TestAccScan_spaceCheckedOnlyWhenScanning asks the server about the space
// when the scan is planned, and not on a plan that changes nothing.
func TestAccScan_spaceCheckedOnlyWhenScanning(t *testing.T) {
	server, url := startFindingsFake(t)
	config := findingsProvider(url) + `
resource "securityforconfluence_scan" "test" {
  space_key = "ENG"
}`
	lookups := func() int { return requestsTo(server, http.MethodGet, "/rest/api/space/ENG") }
	accTest(t,
		resource.TestStep{
			Config: config,
			Check: func(*terraform.State) error {
				if n := lookups(); n == 0 {
					return fmt.Errorf("the create was planned without looking up the space")
				}
				server.ResetRequests()
				return nil
			},
		},
		resource.TestStep{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if n := lookups(); n != 0 {
					return fmt.Errorf("a plan without changes looked up the space %d times", n)
				}
				return nil
			},
		},
	)
}

// TestAccScan_triggersReplace changes the triggers, which must replace the
// resource and so scan again, and then destroys it without a request.
func TestAccScan_triggersReplace(t *testing.T) {
	server, url := startFindingsFake(t)
	config := func(policy string) string {
		return findingsProvider(url) + fmt.Sprintf(`
resource "securityforconfluence_scan" "test" {
  space_key = "ENG"
  triggers  = { policy = sha1(%q) }
}`, policy)
	}
	scans := func() int { return requestsTo(server, http.MethodPost, "/scan/space") }

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccFactoriesWithEnv(nil),
		CheckDestroy: func(*terraform.State) error {
			if n := scans(); n != 2 {
				return fmt.Errorf("destroy: %d scans in all, want the 2 of the creates", n)
			}
			for _, r := range server.Requests() {
				if r.Method == http.MethodDelete {
					return fmt.Errorf("destroy sent DELETE %s", r.RawPath)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config("AWS_CLIENT_ID=on"),
				Check: func(*terraform.State) error {
					if n := scans(); n != 1 {
						return fmt.Errorf("%d scans after the create, want 1", n)
					}
					return nil
				},
			},
			{
				Config: config("AWS_CLIENT_ID=on"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: config("AWS_CLIENT_ID=off"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("securityforconfluence_scan.test", plancheck.ResourceActionReplace),
						plancheck.ExpectUnknownValue("securityforconfluence_scan.test", tfjsonpath.New("scanned_at")),
					},
				},
				Check: func(*terraform.State) error {
					if n := scans(); n != 2 {
						return fmt.Errorf("%d scans after the replace, want 2", n)
					}
					return nil
				},
			},
		},
	})
}

// TestAccScan_waitsForScheduledScan answers the trigger with SCHEDULED, as
// a busy server would; the resource must follow the scan to its end.
func TestAccScan_waitsForScheduledScan(t *testing.T) {
	previous := scanPollInterval
	scanPollInterval = 10 * time.Millisecond
	t.Cleanup(func() { scanPollInterval = previous })

	server, url := startFindingsFake(t)
	seedAWSClientIDs(server, 3)
	server.QueueFault(fake.Fault{
		Method: http.MethodPost, PathContains: "/scan/space", Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"scanState":"SCHEDULED","upToDateContent":false,"upToDateSettings":false,"spaceKey":"ENG","findingsCount":0}`,
	})
	server.QueueFault(fake.Fault{
		Method: http.MethodGet, PathContains: "/scan/space/ENG", Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"scanState":"SCANNING","upToDateContent":false,"upToDateSettings":true,"page":0,"size":1,"findings":[]}`,
	})

	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
resource "securityforconfluence_scan" "test" {
  space_key = "ENG"
}`,
		ConfigStateChecks: []statecheck.StateCheck{
			expectString("securityforconfluence_scan.test", "scan_state", "COMPLETED"),
			expectInt("securityforconfluence_scan.test", "findings_count", 3),
			statecheck.ExpectKnownValue("securityforconfluence_scan.test", tfjsonpath.New("up_to_date_content"), knownvalue.Bool(true)),
		},
		Check: func(*terraform.State) error {
			if n := server.PendingFaults(); n != 0 {
				return fmt.Errorf("%d faults never served: the resource did not poll", n)
			}
			return nil
		},
	})
}

func TestAccScan_failedScan(t *testing.T) {
	server, url := startFindingsFake(t)
	server.QueueFault(fake.Fault{
		Method: http.MethodPost, PathContains: "/scan/space", Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"scanState":"FAILED","spaceKey":"ENG","findingsCount":0}`,
	})
	accTest(t, resource.TestStep{
		Config: findingsProvider(url) + `
resource "securityforconfluence_scan" "test" {
  space_key = "ENG"
}`,
		ExpectError: expectMessage("Scan Failed", "reports the scan of space ENG as FAILED", "apply again to rescan"),
	})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// scheduledScanFaults make the server schedule a space scan and then report
// it as running on every look, as a server with a stuck scan queue would.
func scheduledScanFaults(server *fake.Server) {
	json := http.Header{"Content-Type": {"application/json"}}
	server.QueueFault(fake.Fault{
		Method: http.MethodPost, PathContains: "/scan/space", Status: http.StatusOK, Header: json,
		Body: `{"scanState":"SCHEDULED","upToDateContent":false,"upToDateSettings":false,"spaceKey":"ENG","findingsCount":7}`,
	})
	server.QueueFault(fake.Fault{
		Method: http.MethodGet, PathContains: "/scan/space/ENG", Status: http.StatusOK, Header: json, Times: 10000,
		Body: `{"scanState":"SCANNING","upToDateContent":false,"upToDateSettings":true,"page":0,"size":1,"findings":[]}`,
	})
}

// TestAccScan_waitLimitIsAnError keeps the scan running past the wait limit:
// the apply must fail, say the scan may still run, and record nothing.
func TestAccScan_waitLimitIsAnError(t *testing.T) {
	previousPoll, previousLimit := scanPollInterval, scanWaitLimit
	scanPollInterval, scanWaitLimit = 10*time.Millisecond, 300*time.Millisecond
	t.Cleanup(func() { scanPollInterval, scanWaitLimit = previousPoll, previousLimit })

	server, url := startFindingsFake(t)
	scheduledScanFaults(server)
	accTest(t,
		resource.TestStep{
			Config: findingsProvider(url) + `
resource "securityforconfluence_scan" "test" {
  space_key = "ENG"
}`,
			ExpectError: expectMessage("Scan Not Finished", "space ENG was still SCANNING",
				"after 300ms", "may still be running", "resource was not created", "apply again"),
		},
		resource.TestStep{
			// An empty configuration whose state must hold no scan.
			Config: findingsProvider(url),
			Check: func(state *terraform.State) error {
				if n := len(state.RootModule().Resources); n != 0 {
					return fmt.Errorf("%d resources in state after an unfinished scan, want 0", n)
				}
				return nil
			},
		},
	)
}

// TestScanWaitInterrupted cancels the wait as Ctrl-C does: the wait must
// end with an error that says it was interrupted, not with a result.
func TestScanWaitInterrupted(t *testing.T) {
	previous := scanPollInterval
	scanPollInterval = time.Hour
	t.Cleanup(func() { scanPollInterval = previous })

	server, url := startFindingsFake(t)
	scheduledScanFaults(server)
	api, err := client.New(client.Config{BaseURL: url, Username: "admin", Password: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)

	target := scanTarget{spaceKey: "ENG"}
	result, err := target.waitForCompletion(ctx, api, &client.ScanResult{ScanState: client.ScanStateScheduled, FindingsCount: 7})
	var unfinished *scanUnfinishedError
	if !errors.As(err, &unfinished) || !unfinished.interrupted {
		t.Fatalf("waitForCompletion = %+v, %v; want an interrupted scanUnfinishedError", result, err)
	}
	detail := unfinished.detail(target)
	for _, want := range []string{"Terraform was interrupted", "space ENG", "SCHEDULED", "may still be running", "apply again"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail %q lacks %q", detail, want)
		}
	}
}

// TestAccScan_missingContent plans scans of content or a version that does
// not exist: the plan must fail on the attribute at fault, before any scan.
func TestAccScan_missingContent(t *testing.T) {
	server, url := startFindingsFake(t)
	id := server.CreatePage("ENG", "Runbook", "<p>nothing secret</p>")
	deleted := server.CreatePage("ENG", "Old", "<p>gone</p>")
	server.DeleteContent(deleted)
	cases := []struct {
		name, body string
		want       []string
	}{
		{"unknown id", `content_id = "999999"`,
			[]string{"Content Not Found", `content_id is "999999"`, "no page or blog post with that id"}},
		{"deleted content", fmt.Sprintf(`content_id = %q`, deleted),
			[]string{"Content Not Found", fmt.Sprintf("content_id is %q", deleted)}},
		{"unknown version", fmt.Sprintf("content_id = %q\n  created_when = %q", id, "2001-01-01T00:00:00.000+00:00"),
			[]string{"Content Version Not Found", `created_when is "2001-01-01T00:00:00.000+00:00"`,
				"content " + id + " has no version created at that time"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			accTest(t, resource.TestStep{
				Config:      findingsProvider(url) + "resource \"securityforconfluence_scan\" \"test\" {\n  " + c.body + "\n}",
				ExpectError: expectMessage(c.want...),
			})
		})
	}
	if n := requestsTo(server, http.MethodPost, "/scan/content"); n != 0 {
		t.Errorf("plans that failed on the content still started %d scans", n)
	}
}

// TestAccScan_contentCheckedOnlyWhenScanning looks the content and version
// up when the scan is planned, and not on a plan that changes nothing.
func TestAccScan_contentCheckedOnlyWhenScanning(t *testing.T) {
	server, url := startFindingsFake(t)
	id := server.CreatePage("ENG", "Runbook", "<p>"+awsClientID(1)+"</p>")
	v1 := server.ContentVersions(id)[0].CreatedWhen
	config := findingsProvider(url) + fmt.Sprintf(`
resource "securityforconfluence_scan" "test" {
  content_id   = %q
  created_when = %q
}`, id, v1)
	lookups := func() int {
		return requestsTo(server, http.MethodGet, "/rest/api/content/"+id) +
			requestsTo(server, http.MethodGet, "/scan/content/"+id)
	}
	accTest(t,
		resource.TestStep{
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{expectInt("securityforconfluence_scan.test", "findings_count", 1)},
			Check: func(*terraform.State) error {
				if n := lookups(); n < 2 {
					return fmt.Errorf("the create was planned with %d lookups, want the content and its version", n)
				}
				server.ResetRequests()
				return nil
			},
		},
		resource.TestStep{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if n := lookups(); n != 0 {
					return fmt.Errorf("a plan without changes looked the content up %d times", n)
				}
				return nil
			},
		},
	)
}
