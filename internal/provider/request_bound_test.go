package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// The numbers of the request-bound configuration: reviewedPerSpace reviewed
// findings in each of boundSpaces spaces, and in the first space enough
// findings nobody reviewed to need a second page.
const (
	boundSpaces        = 3
	reviewedPerSpace   = 20
	unreviewedInFirst  = 100
	boundReviewedRule  = "AWS_CLIENT_ID"
	boundReviewAddress = "securityforconfluence_reviewed_finding.bound"
)

// boundSeed holds what the fake was seeded with, so the bound can be worked
// out from the same numbers.
type boundSeed struct {
	spaces   []string
	texts    map[string][]string // space key -> reviewed texts
	findings map[string]int      // space key -> findings the space lists
}

func seedBoundFake(srv *fake.Server) boundSeed {
	seed := boundSeed{texts: map[string][]string{}, findings: map[string]int{}}
	for s := range boundSpaces {
		key := fmt.Sprintf("BOUND%d", s)
		seed.spaces = append(seed.spaces, key)
		srv.CreateSpace(key, "Request bound "+key)
		var body strings.Builder
		for i := range reviewedPerSpace {
			text := fmt.Sprintf("AKIABOUND%d%010d", s, i)
			seed.texts[key] = append(seed.texts[key], text)
			fmt.Fprintf(&body, "<p>%s</p>", text)
		}
		srv.CreatePage(key, "Reviewed keys", body.String())
		seed.findings[key] = reviewedPerSpace
	}

	var unreviewed strings.Builder
	for i := range unreviewedInFirst {
		fmt.Fprintf(&unreviewed, "<p>AKIAOPEN%012d</p>", i)
	}
	srv.CreatePage(seed.spaces[0], "Open keys", unreviewed.String())
	seed.findings[seed.spaces[0]] += unreviewedInFirst
	return seed
}

// refreshBound is the most requests a refresh may make: per space one
// listing of as many pages as its findings need (a full last page needs one
// more, empty, page to show the end), plus one GET rules shared by every
// resource and data source that checks rule names. Nothing else: no space
// lookup, no per-resource call.
func (seed boundSeed) refreshBound() int {
	bound := 1
	for _, key := range seed.spaces {
		bound += seed.findings[key]/spaceFindingsPageSize + 1
	}
	return bound
}

func (seed boundSeed) reviewsConfig() string {
	var b strings.Builder
	// count rather than for_each: the testing framework's state shim cannot
	// index instances by string.
	b.WriteString("locals {\n  bound_reviews = [\n")
	for _, key := range seed.spaces {
		for _, text := range seed.texts[key] {
			fmt.Fprintf(&b, "    { space = %q, text = %q },\n", key, text)
		}
	}
	fmt.Fprintf(&b, `  ]
}

resource "securityforconfluence_reviewed_finding" "bound" {
  count      = length(local.bound_reviews)
  space_key  = local.bound_reviews[count.index].space
  rule_name  = %q
  match_text = local.bound_reviews[count.index].text
}
`, boundReviewedRule)
	return b.String()
}

// spaceReviewsConfig holds the same reviews as reviewsConfig, in one
// space_reviewed_findings per space.
func (seed boundSeed) spaceReviewsConfig() string {
	var b strings.Builder
	for s, key := range seed.spaces {
		fmt.Fprintf(&b, "\nresource \"securityforconfluence_space_reviewed_findings\" \"bound%d\" {\n  space_key = %q\n  reviews = [\n", s, key)
		for _, text := range seed.texts[key] {
			fmt.Fprintf(&b, "    { rule_name = %q, match_text = %q },\n", boundReviewedRule, text)
		}
		b.WriteString("  ]\n}\n")
	}
	return b.String()
}

// The rule-side configurations share the rule list with the reviews: the
// rules data source and a few single toggles, or the whole policy.
const (
	boundSingleToggles = `
data "securityforconfluence_rules" "all" {}

resource "securityforconfluence_builtin_rule" "jwt" {
  name    = "JWT"
  enabled = false
}

resource "securityforconfluence_builtin_rule" "email" {
  name    = "EMAIL_ADDRESS"
  enabled = true
}

resource "securityforconfluence_builtin_rule" "slack" {
  name    = "SLACK_TOKEN"
  enabled = true
}
`
	boundPolicy = `
data "securityforconfluence_rules" "all" {}

resource "securityforconfluence_builtin_rules" "policy" {
  disabled_rules = ["JWT"]
}
`
)

// resetRequests is a plan check that only clears the fake's request log, so
// the next command is counted on its own.
type resetRequests struct{ srv *fake.Server }

func (c resetRequests) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	c.srv.ResetRequests()
}

// expectRequestsAtMost fails when the fake served more than limit requests
// since the last reset, and lists them by method and path (never a body).
type expectRequestsAtMost struct {
	srv   *fake.Server
	limit int
	what  string
}

func (c expectRequestsAtMost) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	requests := c.srv.Requests()
	if len(requests) <= c.limit {
		return
	}
	lines := make([]string, 0, len(requests))
	for _, r := range requests {
		lines = append(lines, r.Method+" "+r.RawPath+"?"+r.Query.Encode())
	}
	resp.Error = fmt.Errorf("%s made %d requests, more than the bound of %d:\n%s",
		c.what, len(requests), c.limit, strings.Join(lines, "\n"))
}

// TestAccRequestBound_refresh guards the cost of a refresh: however many
// reviews a configuration holds, a plan lists each space once and the rules
// once. Timings are never asserted; request counts do not depend on the
// machine.
func TestAccRequestBound_refresh(t *testing.T) {
	lastReview := fmt.Sprintf("%s[%d]", boundReviewAddress, boundSpaces*reviewedPerSpace-1)
	lastSpace := fmt.Sprintf("securityforconfluence_space_reviewed_findings.bound%d", boundSpaces-1)
	for name, shape := range map[string]struct {
		ruleConfig string
		reviews    func(boundSeed) string
		created    string
	}{
		"single toggles":                       {boundSingleToggles, boundSeed.reviewsConfig, lastReview},
		"whole policy":                         {boundPolicy, boundSeed.reviewsConfig, lastReview},
		"whole policy, one resource per space": {boundPolicy, boundSeed.spaceReviewsConfig, lastSpace},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newTestFake(t)
			seed := seedBoundFake(srv)
			config := adminConfig(srv) + shape.ruleConfig + shape.reviews(seed)
			bound := seed.refreshBound()
			if want := boundSpaces + 1 + 1; bound != want {
				t.Fatalf("the seeding no longer needs a second page in one space: bound %d, want %d", bound, want)
			}

			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(shape.created, plancheck.ResourceActionCreate),
						}},
					},
					{
						// A plan-only step runs a plan without refresh, then
						// one with refresh; each is counted on its own.
						PreConfig: srv.ResetRequests,
						Config:    config,
						PlanOnly:  true,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPreRefresh: []plancheck.PlanCheck{
								expectRequestsAtMost{srv: srv, limit: 1, what: "A plan without refresh"},
								resetRequests{srv: srv},
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{
								expectRequestsAtMost{srv: srv, limit: bound, what: "A refresh and plan"},
							},
						},
					},
				},
			})
		})
	}
}
