package client

import (
	"context"
	"net/http"
	"net/url"
)

// ScanSpace runs a scan of every content item of a space.
func (c *Client) ScanSpace(ctx context.Context, spaceKey string) (*ScanResult, error) {
	return c.scan(ctx, []string{"scan", "space"}, url.Values{"key": {spaceKey}})
}

// ScanContent runs a scan of the full history of one content item.
func (c *Client) ScanContent(ctx context.Context, contentID string) (*ScanResult, error) {
	return c.scan(ctx, []string{"scan", "content"}, url.Values{"id": {contentID}})
}

// ScanContentVersion runs a scan of the one version of a content item that
// was created at createdWhen.
func (c *Client) ScanContentVersion(ctx context.Context, contentID, createdWhen string) (*ScanResult, error) {
	return c.scan(ctx, []string{"scan", "content", "version"},
		url.Values{"id": {contentID}, "createdWhen": {createdWhen}})
}

func (c *Client) scan(ctx context.Context, segments []string, query url.Values) (*ScanResult, error) {
	var result ScanResult
	err := c.do(ctx, call{method: http.MethodPost, api: securityAPI, segments: segments, query: query}, &result)
	if err != nil {
		return nil, err
	}
	return &result, nil
}
