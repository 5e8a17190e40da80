package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

const (
	reviewSpace   = "OPS"
	reviewAWSRule = "AWS_CLIENT_ID"
	reviewAddress = "securityforconfluence_reviewed_finding.test"

	// reviewMarker is in every secret text of the error tests and nowhere
	// else, so an error output without it cannot contain the text.
	reviewMarker = "☃"
)

type reviewFixture struct {
	server *fake.Server
	url    string
	pageID string
}

// startReviewFake starts a fake with space OPS holding one page of three
// AWS client ids, already scanned so the space lists their findings.
func startReviewFake(t *testing.T) *reviewFixture {
	t.Helper()
	server := newTestFake(t)
	url := server.Start()
	server.CreateSpace(reviewSpace, "Operations", "admin")
	pageID := server.CreatePage(reviewSpace, "Keys", "<p>"+reviewKey(1)+" "+reviewKey(2)+" "+reviewKey(3)+"</p>")
	server.ScanSpace(reviewSpace)
	return &reviewFixture{server: server, url: url, pageID: pageID}
}

// reviewKey is the n-th of a family of distinct AWS_CLIENT_ID matches.
func reviewKey(n int) string {
	return fmt.Sprintf("AKIAREVIEW%010d", n)
}

// reviewProviderBlock is providerConfig without retries, so a single
// queued fault is enough to make a call fail.
func reviewProviderBlock(url, username, password string) string {
	return fmt.Sprintf(`
provider "securityforconfluence" {
  url         = %q
  username    = %q
  password    = %q
  max_retries = 0
}
`, url, username, password)
}

// reviewConfig is one reviewed_finding whose text comes from a sensitive
// variable, as real configurations should pass it.
func (f *reviewFixture) reviewConfig(spaceKey, ruleName string) string {
	return reviewProviderBlock(f.url, "admin", "admin") + fmt.Sprintf(`
variable "text" {
  type      = string
  sensitive = true
}

resource "securityforconfluence_reviewed_finding" "test" {
  space_key  = %q
  rule_name  = %q
  match_text = var.text
}
`, spaceKey, ruleName)
}

func textVariable(text string) config.Variables {
	return config.Variables{"text": config.StringVariable(text)}
}

func reviewID(spaceKey, ruleName, text string) string {
	return reviewedFindingID{SpaceKey: spaceKey, RuleName: ruleName, MatchTextHash: matchTextSHA256(text)}.String()
}

// expectReviewed checks the fake holds exactly these reviews in the space.
func (f *reviewFixture) expectReviewed(spaceKey string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := f.server.ReviewedTexts(spaceKey)
		if !maps.Equal(got, want) {
			return fmt.Errorf("space %s has %d review(s) with rules %v, want %d with rules %v",
				spaceKey, len(got), slices.Sorted(maps.Values(got)), len(want), slices.Sorted(maps.Values(want)))
		}
		return nil
	}
}

// errorWithout matches pattern only in an output that has no reviewMarker,
// so ExpectError also proves the secret text is not echoed.
func errorWithout(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)\A[^` + reviewMarker + `]*` + pattern + `[^` + reviewMarker + `]*\z`)
}

func TestAccReviewedFinding_lifecycle(t *testing.T) {
	f := startReviewFake(t)
	text := reviewKey(1)
	id := reviewID(reviewSpace, reviewAWSRule, text)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(reviewSpace, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
				ConfigVariables: textVariable(text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("id"), knownvalue.StringExact(id)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("match_text_sha256"),
						knownvalue.StringExact(matchTextSHA256(text))),
				},
				Check: f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
			},
			{
				// terraform import with the hash form, which names no secret.
				Config:            f.reviewConfig(reviewSpace, reviewAWSRule),
				ConfigVariables:   textVariable(text),
				ResourceName:      reviewAddress,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
			{
				Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
				ConfigVariables: textVariable(text),
				ResourceName:    reviewAddress,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   id,
			},
			{
				// Someone un-reviews the text: the plan creates the review again.
				PreConfig:       func() { f.server.RemoveReview(reviewSpace, text) },
				Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
				ConfigVariables: textVariable(text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionCreate),
				}},
				Check: f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
			},
			{
				// The page goes away: the review cannot be seen, and stays.
				PreConfig:       func() { f.server.DeleteContent(f.pageID) },
				Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
				ConfigVariables: textVariable(text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("id"), knownvalue.StringExact(id)),
				},
				Check: f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
			},
		},
	})
}

// reviewImportBlockConfig imports the exact text from a sensitive variable
// through a JSON id, so the text is never typed on a command line.
func (f *reviewFixture) reviewImportBlockConfig(spaceKey string) string {
	return f.reviewConfig(spaceKey, "${var.rule}") + fmt.Sprintf(`
variable "rule" {
  type = string
}

import {
  to = securityforconfluence_reviewed_finding.test
  id = jsonencode({
    space_key  = %q
    rule_name  = var.rule
    match_text = var.text
  })
}
`, spaceKey)
}

// Terraform imports the exact text from a sensitive variable; OpenTofu
// refuses any import id derived from a sensitive value, so there the plan
// fails, nothing is imported, and the review stays on the server.
func TestAccReviewedFinding_importBlockWithExactText(t *testing.T) {
	f := startReviewFake(t)
	text := reviewKey(2)
	f.server.AddReview(reviewSpace, reviewAWSRule, text)
	step := resource.TestStep{
		Config:          f.reviewImportBlockConfig(reviewSpace),
		ConfigVariables: config.Variables{"text": config.StringVariable(text), "rule": config.StringVariable(reviewAWSRule)},
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionNoop),
			plancheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("id"),
				knownvalue.StringExact(reviewID(reviewSpace, reviewAWSRule, text))),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("match_text"), knownvalue.StringExact(text)),
		},
	}
	left := map[string]string{}
	if testCLI(t).openTofu {
		step = resource.TestStep{Config: step.Config, ConfigVariables: step.ConfigVariables, ExpectError: sensitiveImportIDRefused}
		left = map[string]string{text: reviewAWSRule}
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(reviewSpace, left),
		Steps:                    []resource.TestStep{step},
	})
}

// reviewHashImportConfig imports through the hash form of the id, built in
// HCL as the example shows: the rule name percent-encoded, the text hashed
// and the hash declared not sensitive, which OpenTofu requires.
func (f *reviewFixture) reviewHashImportConfig(spaceKey string) string {
	return f.reviewConfig(spaceKey, "${var.rule}") + fmt.Sprintf(`
variable "rule" {
  type = string
}

import {
  to = securityforconfluence_reviewed_finding.test
  id = "%s/${replace(urlencode(var.rule), "+", "%%20")}/sha256:${nonsensitive(sha256(var.text))}"
}
`, spaceKey)
}

// reviewForgetConfig drops the review from state and leaves it on the
// server, so the next step imports it into an empty state.
func (f *reviewFixture) reviewForgetConfig() string {
	return reviewProviderBlock(f.url, "admin", "admin") + `
variable "text" {
  type      = string
  sensitive = true
}

variable "rule" {
  type = string
}

removed {
  from = securityforconfluence_reviewed_finding.test
  lifecycle {
    destroy = false
  }
}
`
}

// TestAccReviewedFinding_specialCharacters uses a personal space and a custom
// rule whose name holds every separator an id could trip over, and a text
// with a newline, quotes and non-ASCII characters.
func TestAccReviewedFinding_specialCharacters(t *testing.T) {
	f := startReviewFake(t)
	const space = "~jdoe"
	const rule = "ci:key|env=prod/ü 密钥"
	text := "☃line one\nlïne \"two\" 'three' 密钥☃"
	f.server.AddUser("jdoe", "jdoe", false)
	f.server.CreateSpace(space, "John Doe")
	f.server.AddCustomRule(rule, `(?s)☃.*?☃`)
	f.server.CreatePage(space, "Notes", "<p>"+text+"</p>")
	f.server.ScanSpace(space)
	id := reviewID(space, rule, text)
	vars := config.Variables{"text": config.StringVariable(text), "rule": config.StringVariable(rule)}
	cfg := f.reviewConfig(space, "${var.rule}") + "variable \"rule\" {\n  type = string\n}\n"

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(space, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("rule_name"), knownvalue.StringExact(rule)),
				},
				Check: f.expectReviewed(space, map[string]string{text: rule}),
			},
			{
				Config:            cfg,
				ConfigVariables:   vars,
				ResourceName:      reviewAddress,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
			exactTextImportStep(t, f.reviewImportBlockConfig(space), vars),
			{
				Config:          f.reviewForgetConfig(),
				ConfigVariables: vars,
				Check:           f.expectReviewed(space, map[string]string{text: rule}),
			},
			{
				// The hash form, from HCL, finds the review again.
				Config:          f.reviewHashImportConfig(space),
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("id"), knownvalue.StringExact(id)),
				}},
			},
		},
	})
	if want := "~jdoe/ci%3Akey%7Cenv%3Dprod%2F%C3%BC%20%E5%AF%86%E9%92%A5/sha256:"; !strings.HasPrefix(id, want) {
		t.Errorf("id %q does not start with %q", id, want)
	}
}

// exactTextImportStep reads an already managed review back through an
// exact-text import block: an empty plan under Terraform, and OpenTofu's
// refusal of the sensitive id under OpenTofu.
func exactTextImportStep(t *testing.T, cfg string, vars config.Variables) resource.TestStep {
	step := resource.TestStep{Config: cfg, ConfigVariables: vars}
	if testCLI(t).openTofu {
		step.ExpectError = sensitiveImportIDRefused
		return step
	}
	step.ConfigPlanChecks = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	return step
}

// reviewManyConfig reviews every text of a sensitive list with for_each.
func (f *reviewFixture) reviewManyConfig(n int) string {
	return reviewProviderBlock(f.url, "admin", "admin") + fmt.Sprintf(`
variable "texts" {
  type      = list(string)
  sensitive = true
}

resource "securityforconfluence_reviewed_finding" "many" {
  for_each   = toset([for i in range(%d) : tostring(i)])
  space_key  = %q
  rule_name  = %q
  match_text = var.texts[tonumber(each.key)]
}
`, n, reviewSpace, reviewAWSRule)
}

func TestAccReviewedFinding_fiftyInParallelWithSlowServer(t *testing.T) {
	const n = 50
	f := startReviewFake(t)
	texts := make([]string, n)
	want := map[string]string{}
	var body strings.Builder
	for i := range texts {
		texts[i] = reviewKey(100 + i)
		want[texts[i]] = reviewAWSRule
		body.WriteString(" " + texts[i])
	}
	f.server.CreatePage(reviewSpace, "Many keys", "<p>"+body.String()+"</p>")
	f.server.QueueFault(fake.Fault{Method: "POST", PathContains: "/review/space/OPS/create", Delay: 300 * time.Millisecond, Times: n})

	textValues := make([]config.Variable, n)
	for i, text := range texts {
		textValues[i] = config.StringVariable(text)
	}
	vars := config.Variables{"texts": config.ListVariable(textValues...)}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(reviewSpace, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:          f.reviewManyConfig(n),
				ConfigVariables: vars,
				// for_each instances need state checks: the legacy Check shim
				// cannot address them.
				ConfigStateChecks: []statecheck.StateCheck{
					checkNow(f.expectReviewed(reviewSpace, want)),
					checkNow(func(*terraform.State) error {
						if pending := f.server.PendingFaults(); pending != 0 {
							return fmt.Errorf("%d delayed create(s) never reached the server", pending)
						}
						return nil
					}),
				},
			},
			{
				// A refresh of fifty reviews in one space lists that space once.
				PreConfig:       f.server.ResetRequests,
				Config:          f.reviewManyConfig(n),
				ConfigVariables: vars,
				PlanOnly:        true,
			},
			{
				PreConfig: func() {
					if got := countRequests(f.server, "GET", "/scan/space/OPS"); got == 0 || got > 3 {
						t.Errorf("refreshing %d reviews listed the space %d times, want 1 to 3 (one per terraform command)", n, got)
					}
				},
				Config:          f.reviewManyConfig(n),
				ConfigVariables: vars,
				PlanOnly:        true,
			},
			{
				// The harness cannot shim for_each instances into its legacy
				// state, which it does after the last step, so the last step
				// removes them; that also deletes fifty reviews in parallel.
				Config: reviewProviderBlock(f.url, "admin", "admin"),
				ConfigStateChecks: []statecheck.StateCheck{
					checkNow(f.expectReviewed(reviewSpace, map[string]string{})),
				},
			},
		},
	})
}

// checkNow runs a check that looks at the fake rather than at state.
type checkNow resource.TestCheckFunc

func (c checkNow) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c(nil)
}

func countRequests(server *fake.Server, method, pathPart string) int {
	count := 0
	for _, request := range server.Requests() {
		if request.Method == method && strings.Contains(request.RawPath, pathPart) {
			count++
		}
	}
	return count
}

// reviewWOConfig passes the text write-only, so state keeps only its hash.
func (f *reviewFixture) reviewWOConfig(version int) string {
	return reviewProviderBlock(f.url, "admin", "admin") + fmt.Sprintf(`
variable "text" {
  type      = string
  sensitive = true
}

resource "securityforconfluence_reviewed_finding" "test" {
  space_key             = %q
  rule_name             = %q
  match_text_wo         = var.text
  match_text_wo_version = %d
}
`, reviewSpace, reviewAWSRule, version)
}

func TestAccReviewedFinding_writeOnly(t *testing.T) {
	f := startReviewFake(t)
	text := reviewKey(3)

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(reviewSpace, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:          f.reviewWOConfig(1),
				ConfigVariables: textVariable(text),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("match_text"), knownvalue.Null()),
					statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("match_text_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("match_text_sha256"),
						knownvalue.StringExact(matchTextSHA256(text))),
				},
				Check: f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
			},
			{
				// Removed behind Terraform's back: found by hash, planned again.
				PreConfig:       func() { f.server.RemoveReview(reviewSpace, text) },
				Config:          f.reviewWOConfig(1),
				ConfigVariables: textVariable(text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionCreate),
				}},
				Check: f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
			},
			{
				Config:          f.reviewWOConfig(2),
				ConfigVariables: textVariable(text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
			},
			{
				// A different text is seen through its hash and replaces the review.
				Config:          f.reviewWOConfig(2),
				ConfigVariables: textVariable(reviewKey(2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: f.expectReviewed(reviewSpace, map[string]string{reviewKey(2): reviewAWSRule}),
			},
		},
	})
}

// A write-only review whose text is no longer listed cannot be named to the
// server on destroy: it leaves state and stays on the server.
func TestAccReviewedFinding_writeOnlyDestroyAfterContentGone(t *testing.T) {
	f := startReviewFake(t)
	text := reviewKey(1)

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
		Steps: []resource.TestStep{
			{
				Config:          f.reviewWOConfig(1),
				ConfigVariables: textVariable(text),
				Check:           f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
			},
			{
				PreConfig:       func() { f.server.DeleteContent(f.pageID) },
				Config:          f.reviewWOConfig(1),
				ConfigVariables: textVariable(text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

func TestAccReviewedFinding_deleteOfReviewAlreadyGone(t *testing.T) {
	f := startReviewFake(t)
	text := reviewKey(1)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(reviewSpace, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
				ConfigVariables: textVariable(text),
				// Gone between apply and destroy; the page is gone too, so
				// refresh keeps it and destroy meets a 404.
				Check: func(*terraform.State) error {
					f.server.DeleteContent(f.pageID)
					f.server.RemoveReview(reviewSpace, text)
					return nil
				},
			},
		},
	})
}

func TestAccReviewedFinding_createOfTextAlreadyReviewed(t *testing.T) {
	f := startReviewFake(t)
	text := reviewKey(1)
	f.server.AddReview(reviewSpace, reviewAWSRule, text)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
			ConfigVariables: textVariable(text),
			Check:           f.expectReviewed(reviewSpace, map[string]string{text: reviewAWSRule}),
		}},
	})
}

func (f *reviewFixture) rawReviewConfig(body string) string {
	return reviewProviderBlock(f.url, "admin", "admin") + `
variable "text" {
  type      = string
  sensitive = true
}

resource "securityforconfluence_reviewed_finding" "test" {
` + body + `
}
`
}

func TestAccReviewedFinding_planErrors(t *testing.T) {
	f := startReviewFake(t)
	secret := reviewMarker + "hunter2" + reviewMarker
	cases := []struct {
		name, body, text, want string
		// writeOnly marks a case that sets match_text_wo, which Terraform
		// before 1.11 refuses before the provider sees it.
		writeOnly bool
	}{
		{"empty text", `space_key = "OPS"
rule_name = "AWS_CLIENT_ID"
match_text = ""`, secret, `Empty Match Text`, false},
		{"no text", `space_key = "OPS"
rule_name = "AWS_CLIENT_ID"`, secret, `Missing Match Text`, false},
		{"both texts", `space_key = "OPS"
rule_name = "AWS_CLIENT_ID"
match_text = var.text
match_text_wo = var.text`, secret, `Conflicting Match Text`, true},
		{"version without write-only", `space_key = "OPS"
rule_name = "AWS_CLIENT_ID"
match_text = var.text
match_text_wo_version = 1`, secret, `Version Without Write-Only Text`, false},
		{"unknown space", `space_key = "NOPE"
rule_name = "AWS_CLIENT_ID"
match_text = var.text`, secret, `Space Not Found.*"NOPE"`, false},
		{"unknown rule", `space_key = "OPS"
rule_name = "AWS_CLIENT_lD"
match_text = var.text`, secret, `Unknown Rule Name.*"AWS_CLIENT_ID"`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var versionChecks []tfversion.TerraformVersionCheck
			if tc.writeOnly {
				versionChecks = append(versionChecks, tfversion.SkipBelow(tfversion.Version1_11_0))
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				TerraformVersionChecks:   versionChecks,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:          f.rawReviewConfig(tc.body),
					ConfigVariables: textVariable(tc.text),
					ExpectError:     errorWithout(tc.want),
				}},
			})
		})
	}
	if reviews := f.server.ReviewedTexts(reviewSpace); len(reviews) != 0 {
		t.Errorf("a failed plan created %d review(s)", len(reviews))
	}
}

func TestAccReviewedFinding_createServerError(t *testing.T) {
	f := startReviewFake(t)
	f.server.QueueFault(fake.Fault{Method: "POST", PathContains: "/review/space/OPS/create", Status: 500,
		Body: `{"statusCode":500,"message":"boom"}`})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
			ConfigVariables: textVariable(reviewKey(1)),
			ExpectError:     regexp.MustCompile(`Create Review Error`),
		}},
	})
}

// Errors while refreshing fail the plan and never drop the review from state.
func TestAccReviewedFinding_refreshErrorsKeepState(t *testing.T) {
	f := startReviewFake(t)
	f.server.AddUser("bob", "bob", false)
	text := reviewKey(1)
	withUser := func(username, password string) string {
		return strings.Replace(f.reviewConfig(reviewSpace, reviewAWSRule),
			reviewProviderBlock(f.url, "admin", "admin"), reviewProviderBlock(f.url, username, password), 1)
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.expectReviewed(reviewSpace, map[string]string{}),
		Steps: []resource.TestStep{
			{Config: withUser("admin", "admin"), ConfigVariables: textVariable(text)},
			{
				Config: withUser("admin", "wrong"), ConfigVariables: textVariable(text),
				ExpectError: regexp.MustCompile(`(?s)List Space Findings Error.*rejected`),
			},
			{
				Config: withUser("bob", "bob"), ConfigVariables: textVariable(text),
				ExpectError: regexp.MustCompile(`(?s)List Space Findings Error.*permission`),
			},
			{
				PreConfig: func() {
					f.server.QueueFault(fake.Fault{Method: "GET", PathContains: "/scan/space/OPS", Status: 503})
				},
				Config: withUser("admin", "admin"), ConfigVariables: textVariable(text),
				ExpectError: regexp.MustCompile(`List Space Findings Error`),
			},
			{
				PreConfig: func() {
					if pending := f.server.PendingFaults(); pending != 0 {
						t.Errorf("%d queued fault(s) were never served", pending)
					}
				},
				Config:          withUser("admin", "admin"),
				ConfigVariables: textVariable(text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

func TestAccReviewedFinding_importErrors(t *testing.T) {
	f := startReviewFake(t)
	secret := reviewMarker + "hunter2" + reviewMarker
	unreviewedJSON := fmt.Sprintf(`{"space_key":%q,"rule_name":%q,"match_text":%q}`, reviewSpace, reviewAWSRule, reviewKey(1))
	cases := []struct {
		name, id, want string
	}{
		{"secret typed as id", secret, `Invalid Import ID`},
		{"hash not listed", reviewID(reviewSpace, reviewAWSRule, secret), `Reviewed Finding Not Found`},
		{"wrong rule for hash", reviewID(reviewSpace, "EMAIL_ADDRESS", reviewKey(1)), `Reviewed Finding Not Found`},
		{"hash of unreviewed text", reviewID(reviewSpace, reviewAWSRule, reviewKey(1)), `Finding Not Reviewed`},
		{"JSON of unreviewed text", unreviewedJSON, `Finding Not Reviewed`},
		{"malformed JSON", `{"space_key":"OPS","match_text":"` + secret + `"`, `Invalid Import ID`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:          f.reviewConfig(reviewSpace, reviewAWSRule),
					ConfigVariables: textVariable(reviewKey(1)),
					ResourceName:    reviewAddress,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   tc.id,
					ExpectError:     errorWithout(tc.want),
				}},
			})
		})
	}
}
