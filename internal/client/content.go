package client

import (
	"context"
	"net/http"
)

// Content is a page or blog post as Confluence's own REST API describes it,
// reduced to what the provider checks.
type Content struct {
	ID string

	// Type is "page" or "blogpost".
	Type     string
	Title    string
	SpaceKey string

	// Version is the number of the latest version.
	Version int
}

// contentAnswer is the part of GET /rest/api/content/{id} the client reads.
type contentAnswer struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"`
	Space struct {
		Key string `json:"key"`
	} `json:"space"`
	Version struct {
		Number int `json:"number"`
	} `json:"version"`
}

// shapeProblem refuses an answer without an id, which any content has; an
// empty object would otherwise pass for content that exists.
func (a *contentAnswer) shapeProblem() string {
	if a.ID == "" {
		return `the content answer lacks the "id" field that every page and blog post carries`
	}
	return ""
}

// GetContent fetches the latest version of a page or blog post; ErrNotFound
// means Confluence has no content with that id that the user may view.
func (c *Client) GetContent(ctx context.Context, contentID string) (*Content, error) {
	var answer contentAnswer
	err := c.do(ctx, call{method: http.MethodGet, api: confluenceAPI, segments: []string{"content", contentID}}, &answer)
	if err != nil {
		return nil, err
	}
	return &Content{
		ID:       answer.ID,
		Type:     answer.Type,
		Title:    answer.Title,
		SpaceKey: answer.Space.Key,
		Version:  answer.Version.Number,
	}, nil
}
