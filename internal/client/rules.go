package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// ListRules lists the built-in and custom scanning rules.
func (c *Client) ListRules(ctx context.Context) ([]Rule, error) {
	rules := []Rule{}
	err := c.do(ctx, call{method: http.MethodGet, api: securityAPI, segments: []string{"rules"}}, &rules)
	if err != nil {
		return nil, err
	}
	if rules == nil {
		rules = []Rule{}
	}
	return rules, nil
}

// SetBuiltInRuleEnabled turns a built-in rule on or off and answers the rule
// as the server stored it.
func (c *Client) SetBuiltInRuleEnabled(ctx context.Context, name string, enabled bool) (*Rule, error) {
	var rule Rule
	err := c.do(ctx, call{
		method:   http.MethodPut,
		api:      securityAPI,
		segments: []string{"rules", "built-in", name},
		query:    url.Values{"enabled": {strconv.FormatBool(enabled)}},
	}, &rule)
	if err != nil {
		return nil, err
	}
	return &rule, nil
}
