package client

import (
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
)

const maskReplacement = "***"

// secretsFor lists what must never leave the client for one call: the
// credentials, the extra secrets of the call (a match text), and the forms a
// server is likely to echo them in (JSON, HTML or URL escaped). Longest come
// first so a secret that contains another is masked whole.
func (c *Client) secretsFor(extra ...string) []string {
	var all []string
	for _, secret := range append(slices.Clone(c.secrets), extra...) {
		if secret == "" {
			continue
		}
		all = append(all, secret, jsonEscaped(secret, true), jsonEscaped(secret, false),
			html.EscapeString(secret), url.QueryEscape(secret), url.PathEscape(secret),
			collapseSpace(secret))
	}

	slices.SortFunc(all, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(all)
}

// jsonEscaped is the body of a JSON string literal holding s, with or without
// the HTML escaping Go applies and Java servers usually do not.
func jsonEscaped(s string, escapeHTML bool) string {
	var out strings.Builder
	encoder := json.NewEncoder(&out)
	encoder.SetEscapeHTML(escapeHTML)
	if err := encoder.Encode(s); err != nil {
		return s
	}
	literal := strings.TrimSuffix(out.String(), "\n")
	return strings.TrimSuffix(strings.TrimPrefix(literal, `"`), `"`)
}

func scrub(text string, secrets []string) string {
	for _, secret := range secrets {
		text = strings.ReplaceAll(text, secret, maskReplacement)
	}
	return text
}
