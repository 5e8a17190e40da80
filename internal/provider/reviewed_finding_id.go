package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// The id of a reviewed finding names the space, the rule and the SHA-256 of
// the match text, never the text itself:
//
//	<space key>/<rule name>/sha256:<64 lowercase hex digits>
//
// The space key and the rule name are each percent-encoded so that only
// letters, digits and "-", ".", "_", "~" stay as they are. Any "/" inside a
// part is therefore "%2F", and splitting on "/" always yields the three parts
// whatever characters the names contain. Parsing accepts any valid
// percent-encoding, so a hand-typed id that leaves ":" or "=" unencoded still
// works as long as it encodes "/" and "%".
const reviewedFindingHashPrefix = "sha256:"

// reviewedFindingID is the parsed form of the id.
type reviewedFindingID struct {
	SpaceKey      string
	RuleName      string
	MatchTextHash string
}

// matchTextSHA256 is the lowercase hex SHA-256 of the exact match text.
func matchTextSHA256(matchText string) string {
	sum := sha256.Sum256([]byte(matchText))
	return hex.EncodeToString(sum[:])
}

// String renders the id in its documented form.
func (id reviewedFindingID) String() string {
	return escapeIDPart(id.SpaceKey) + "/" + escapeIDPart(id.RuleName) +
		"/" + reviewedFindingHashPrefix + id.MatchTextHash
}

// escapeIDPart percent-encodes everything outside RFC 3986's unreserved set.
func escapeIDPart(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreservedByte(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func isUnreservedByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '.' || c == '_' || c == '~'
}

var errReviewedFindingIDFormat = errors.New(
	"expected <space key>/<rule name>/sha256:<64 hex digits>, with the space key " +
		"and the rule name percent-encoded (a \"/\" inside a name written as %2F)")

// parseReviewedFindingID reads the documented id form. Its errors never quote
// the id, because a mistaken id could be the match text itself.
func parseReviewedFindingID(raw string) (reviewedFindingID, error) {
	parts := strings.Split(raw, "/")
	if len(parts) != 3 {
		return reviewedFindingID{}, fmt.Errorf("the id has %d part(s) separated by \"/\": %w",
			len(parts), errReviewedFindingIDFormat)
	}
	space, err := unescapeIDPart(parts[0], "space key")
	if err != nil {
		return reviewedFindingID{}, err
	}
	rule, err := unescapeIDPart(parts[1], "rule name")
	if err != nil {
		return reviewedFindingID{}, err
	}
	hash, err := parseHashPart(parts[2])
	if err != nil {
		return reviewedFindingID{}, err
	}
	return reviewedFindingID{SpaceKey: space, RuleName: rule, MatchTextHash: hash}, nil
}

func unescapeIDPart(part, name string) (string, error) {
	value, err := url.PathUnescape(part)
	if err != nil {
		return "", fmt.Errorf("the %s part is not valid percent-encoding: %w", name, errReviewedFindingIDFormat)
	}
	if value == "" {
		return "", fmt.Errorf("the %s part is empty: %w", name, errReviewedFindingIDFormat)
	}
	return value, nil
}

func parseHashPart(part string) (string, error) {
	if !strings.HasPrefix(part, reviewedFindingHashPrefix) {
		return "", fmt.Errorf("the last part does not start with %q: %w",
			reviewedFindingHashPrefix, errReviewedFindingIDFormat)
	}
	hash := strings.ToLower(strings.TrimPrefix(part, reviewedFindingHashPrefix))
	decoded, err := hex.DecodeString(hash)
	if err != nil || len(decoded) != sha256.Size {
		return "", fmt.Errorf("the last part is not sha256: followed by 64 hex digits: %w",
			errReviewedFindingIDFormat)
	}
	return hash, nil
}

// reviewedFindingImportJSON is the exact-text import form, meant to be built
// with jsonencode() from a sensitive variable inside an import block so the
// text is never typed on a command line.
type reviewedFindingImportJSON struct {
	SpaceKey  string `json:"space_key"`
	RuleName  string `json:"rule_name"`
	MatchText string `json:"match_text"`
}

// isJSONImportID tells the exact-text form from the hash form: a percent-
// encoded space key can never start with "{".
func isJSONImportID(raw string) bool {
	return strings.HasPrefix(strings.TrimSpace(raw), "{")
}

// parseReviewedFindingImportJSON reads the exact-text form. Its errors name
// the fields only; a decoder error could quote the text, so it is dropped.
func parseReviewedFindingImportJSON(raw string) (reviewedFindingImportJSON, error) {
	var parsed reviewedFindingImportJSON
	decoder := json.NewDecoder(strings.NewReader(raw))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&parsed); err != nil {
		return parsed, errors.New("the id is not a JSON object with exactly the string keys " +
			"space_key, rule_name and match_text")
	}
	if decoder.More() {
		return parsed, errors.New("the id holds more than one JSON value; expected a single object")
	}
	var missing []string
	for _, field := range []struct{ name, value string }{
		{"space_key", parsed.SpaceKey}, {"rule_name", parsed.RuleName}, {"match_text", parsed.MatchText},
	} {
		if field.value == "" {
			missing = append(missing, field.name)
		}
	}
	if len(missing) > 0 {
		return parsed, fmt.Errorf("the JSON object has no non-empty %s", strings.Join(missing, ", "))
	}
	return parsed, nil
}
