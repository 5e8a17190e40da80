package client

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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

// shortSecretRunes is the length below which a secret is masked only where
// it stands as a whole word. Masking a short secret inside other words would
// garble messages, and worse, point at it: a four-letter password "admi"
// turns "User admin" into "User ***n", which gives the password away to
// anyone who knows the user. A short secret that stands alone, as a password
// equal to the username does in "User bob1", is still masked.
const shortSecretRunes = 6

func scrub(text string, secrets []string) string {
	for _, secret := range secrets {
		if utf8.RuneCountInString(secret) < shortSecretRunes {
			text = replaceWholeWords(text, secret)
			continue
		}
		text = strings.ReplaceAll(text, secret, maskReplacement)
	}
	return text
}

// replaceWholeWords masks the occurrences of secret that no letter or digit
// touches on either side.
func replaceWholeWords(text, secret string) string {
	var out strings.Builder
	for {
		i := strings.Index(text, secret)
		if i < 0 {
			out.WriteString(text)
			return out.String()
		}
		end := i + len(secret)
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[end:])
		out.WriteString(text[:i])
		if isWordRune(before) || isWordRune(after) {
			out.WriteString(secret)
		} else {
			out.WriteString(maskReplacement)
		}
		text = text[end:]
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

type contextSecretsKey struct{}

// WithSecrets returns a context whose calls mask secrets in their errors on
// top of the call's own, for a caller that holds more secrets than one call
// carries: a server message about one review may quote another text of the
// same resource. They are not added to the log masks, because log lines never
// carry what the server said, and a resource with thousands of texts would
// otherwise pay for them on every request.
func WithSecrets(ctx context.Context, secrets ...string) context.Context {
	previous, _ := ctx.Value(contextSecretsKey{}).([]string)
	return context.WithValue(ctx, contextSecretsKey{}, append(slices.Clip(previous), secrets...))
}

func contextSecrets(ctx context.Context) []string {
	secrets, _ := ctx.Value(contextSecretsKey{}).([]string)
	return secrets
}
