package client

import (
	"context"
	"net/http"
	"net/url"
)

// CreateReview marks a match text of a space as reviewed. Reviewing a text
// that is already reviewed succeeds.
func (c *Client) CreateReview(ctx context.Context, spaceKey, ruleName, matchText string) error {
	return c.do(ctx, call{
		method:   http.MethodPost,
		api:      securityAPI,
		segments: []string{"review", "space", spaceKey, "create"},
		body:     ReviewRequest{MatchText: matchText, RuleName: ruleName},
		secrets:  []string{matchText},
	}, nil)
}

// DeleteReview removes the review of a match text; ErrNotFound means the text
// was not reviewed.
func (c *Client) DeleteReview(ctx context.Context, spaceKey, matchText string) error {
	return c.do(ctx, call{
		method:   http.MethodPost,
		api:      securityAPI,
		segments: []string{"review", "space", spaceKey, "delete"},
		body:     ReviewRequest{MatchText: matchText},
		secrets:  []string{matchText},
	}, nil)
}

// DeleteAllReviews removes every review of a space and answers how many
// there were.
func (c *Client) DeleteAllReviews(ctx context.Context, spaceKey string) (int, error) {
	var result DeleteAllReviewsResult
	err := c.do(ctx, call{
		method:   http.MethodDelete,
		api:      securityAPI,
		segments: []string{"review", "space", spaceKey},
		query:    url.Values{"confirm": {"true"}},
	}, &result)
	if err != nil {
		return 0, err
	}
	return result.Deleted, nil
}
