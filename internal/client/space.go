package client

import (
	"context"
	"net/http"
)

// Space is a Confluence space as Confluence's own REST API describes it.
type Space struct {
	ID   int64  `json:"id"`
	Key  string `json:"key"`
	Name string `json:"name"`

	// Type is "global" or "personal".
	Type string `json:"type"`
}

// GetSpace fetches a space from Confluence's own REST API.
func (c *Client) GetSpace(ctx context.Context, spaceKey string) (*Space, error) {
	var space Space
	err := c.do(ctx, call{method: http.MethodGet, api: confluenceAPI, segments: []string{"space", spaceKey}}, &space)
	if err != nil {
		return nil, err
	}
	return &space, nil
}
