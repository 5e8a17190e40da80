package client

import (
	"context"
	"net/http"
)

// ExportSpaceFindings fetches the CSV export of the findings of one space.
func (c *Client) ExportSpaceFindings(ctx context.Context, spaceKey string) ([]byte, error) {
	return c.export(ctx, []string{"export", "space", spaceKey, "findings"})
}

// ExportAllFindings fetches the CSV export of every space the user
// administers.
func (c *Client) ExportAllFindings(ctx context.Context) ([]byte, error) {
	return c.export(ctx, []string{"export", "findings"})
}

// export uses GET: the vendor page shows DELETE for these calls in one place
// and GET in another, and only GET is safe to retry.
func (c *Client) export(ctx context.Context, segments []string) ([]byte, error) {
	var csv []byte
	err := c.do(ctx, call{method: http.MethodGet, api: securityAPI, segments: segments, accept: mediaCSV}, &csv)
	if err != nil {
		return nil, err
	}
	return csv, nil
}
