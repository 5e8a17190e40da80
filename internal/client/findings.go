package client

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// MaxFindingPages bounds how many pages ListSpaceFindings and
// ListContentFindings fetch, so a server that never sends a short page
// cannot keep the provider busy forever.
const MaxFindingPages = 1000

// defaultPageSize is the page size the API uses when none is asked for.
const defaultPageSize = 25

// FindingsQuery selects one page of findings.
type FindingsQuery struct {
	// Page is 0-indexed.
	Page int

	// Size is the page size; 0 leaves it to the server.
	Size int

	// Reviewed filters on the review state; nil lists both.
	Reviewed *bool

	// RuleNames is sent as ruleIds=A,B; empty lists every rule.
	RuleNames []string
}

func (q FindingsQuery) values() url.Values {
	values := url.Values{}
	values.Set("page", strconv.Itoa(q.Page))
	if q.Size > 0 {
		values.Set("size", strconv.Itoa(q.Size))
	}
	if q.Reviewed != nil {
		values.Set("reviewed", strconv.FormatBool(*q.Reviewed))
	}
	if len(q.RuleNames) > 0 {
		values.Set("ruleIds", strings.Join(q.RuleNames, ","))
	}
	return values
}

// GetSpaceFindings fetches one page of the findings of a space.
func (c *Client) GetSpaceFindings(ctx context.Context, spaceKey string, q FindingsQuery) (*FindingsPage, error) {
	return c.getFindings(ctx, call{
		method:   http.MethodGet,
		api:      securityAPI,
		segments: []string{"scan", "space", spaceKey},
		query:    q.values(),
	})
}

// GetContentFindings fetches one page of the findings of a content item; a
// non-empty createdWhen selects one version of it.
func (c *Client) GetContentFindings(ctx context.Context, contentID, createdWhen string, q FindingsQuery) (*FindingsPage, error) {
	query := q.values()
	if createdWhen != "" {
		query.Set("createdWhen", createdWhen)
	}
	return c.getFindings(ctx, call{
		method:   http.MethodGet,
		api:      securityAPI,
		segments: []string{"scan", "content", contentID},
		query:    query,
	})
}

func (c *Client) getFindings(ctx context.Context, cl call) (*FindingsPage, error) {
	var answer findingsAnswer
	if err := c.do(ctx, cl, &answer); err != nil {
		return nil, err
	}
	page := answer.FindingsPage
	page.ScanState = *answer.ScanState
	page.Findings = *answer.Findings
	if page.Findings == nil {
		page.Findings = []Finding{}
	}
	return &page, nil
}

// findingsAnswer decodes a page while noting whether scanState and findings
// were there at all. The shallower fields take those two names from the
// embedded page.
type findingsAnswer struct {
	FindingsPage
	ScanState *string    `json:"scanState"`
	Findings  *[]Finding `json:"findings"`
}

// shapeProblem refuses a page that lacks either field: an empty list is
// only believable next to the state of the scan that produced it.
func (a *findingsAnswer) shapeProblem() string {
	missing := func(field string) string {
		return "the findings answer lacks the " + field + " field (or holds null there), so it " +
			"cannot be told apart from a broken answer; a findings page of Security for " +
			"Confluence carries scanState and a findings list, empty or not"
	}
	switch {
	case a.ScanState == nil:
		return missing(`"scanState"`)
	case a.Findings == nil || *a.Findings == nil:
		return missing(`"findings"`)
	}
	return ""
}

// ListInfo says how a listing of findings ended, so the caller can tell a
// complete list from one a misbehaving server cut short.
type ListInfo struct {
	// Pages counts the pages fetched, the repeated one included.
	Pages int

	// EndedOnRepeat is true when a full page identical to the one before
	// ended the listing.
	EndedOnRepeat bool

	// HitPageLimit is true when MaxFindingPages full pages were read and the
	// server had not run out: the list is incomplete.
	HitPageLimit bool
}

// PageIgnored tells whether the second page repeated the first, which is
// how a server that ignores the page parameter answers. A server whose page
// past the end repeats the last page looks the same when the findings fill
// exactly one page, so this is a suspicion, not a certainty.
func (i ListInfo) PageIgnored() bool {
	return i.EndedOnRepeat && i.Pages == 2
}

// ListSpaceFindings fetches every page of the findings of a space, starting
// at q.Page.
func (c *Client) ListSpaceFindings(ctx context.Context, spaceKey string, q FindingsQuery) ([]Finding, ListInfo, error) {
	return collectFindings(q, func(q FindingsQuery) (*FindingsPage, error) {
		return c.GetSpaceFindings(ctx, spaceKey, q)
	})
}

// ListContentFindings fetches every page of the findings of a content item,
// starting at q.Page.
func (c *Client) ListContentFindings(ctx context.Context, contentID, createdWhen string, q FindingsQuery) ([]Finding, ListInfo, error) {
	return collectFindings(q, func(q FindingsQuery) (*FindingsPage, error) {
		return c.GetContentFindings(ctx, contentID, createdWhen, q)
	})
}

// collectFindings pages until a short or empty page. A full page identical to
// the one before ends the listing too, since a server may repeat its last
// page for any page past the end; MaxFindingPages stops a server that never
// runs out. Both are reported in the ListInfo rather than looped on.
func collectFindings(q FindingsQuery, fetch func(FindingsQuery) (*FindingsPage, error)) ([]Finding, ListInfo, error) {
	all := []Finding{}
	seen := map[Finding]bool{}
	var previous []Finding
	var info ListInfo

	for info.Pages < MaxFindingPages {
		page, err := fetch(q)
		if err != nil {
			return nil, info, err
		}
		info.Pages++
		if len(page.Findings) == 0 {
			return all, info, nil
		}
		if previous != nil && slices.Equal(page.Findings, previous) {
			info.EndedOnRepeat = true
			return all, info, nil
		}
		for _, finding := range page.Findings {
			if !seen[finding] {
				seen[finding] = true
				all = append(all, finding)
			}
		}
		if len(page.Findings) < expectedPageSize(page, q) {
			return all, info, nil
		}
		previous = page.Findings
		q.Page++
	}
	info.HitPageLimit = true
	return all, info, nil
}

// expectedPageSize prefers the size the server says it used, because a
// server may clamp or ignore the size asked for.
func expectedPageSize(page *FindingsPage, q FindingsQuery) int {
	switch {
	case page.Size > 0:
		return page.Size
	case q.Size > 0:
		return q.Size
	default:
		return defaultPageSize
	}
}
