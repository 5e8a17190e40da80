package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// ListRules lists the built-in and custom scanning rules.
func (c *Client) ListRules(ctx context.Context) ([]Rule, error) {
	var answer ruleList
	err := c.do(ctx, call{method: http.MethodGet, api: securityAPI, segments: []string{"rules"}}, &answer)
	if err != nil {
		return nil, err
	}
	if answer.rules == nil {
		return []Rule{}, nil
	}
	return answer.rules, nil
}

// ruleList accepts only a JSON array: null or an object would otherwise
// decode as "no rules", and every rule would then look unknown.
type ruleList struct {
	rules   []Rule
	kind    string
	isArray bool
}

func (l *ruleList) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	l.kind = jsonKind(data)
	l.isArray = l.kind == "an array"
	if !l.isArray {
		return nil
	}
	return json.Unmarshal(data, &l.rules)
}

func (l *ruleList) shapeProblem() string {
	if l.isArray {
		return ""
	}
	kind := l.kind
	if kind == "" {
		kind = "null"
	}
	return "the rules answer is " + kind + " where a JSON array of rules was expected"
}

// jsonKind names the kind of a JSON value by its first byte.
func jsonKind(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	switch data[0] {
	case '[':
		return "an array"
	case '{':
		return "an object"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
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
