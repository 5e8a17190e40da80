package provider

import (
	"slices"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// findingsIndex answers, by the SHA-256 of a match text, what a space's
// listing says about that text. It is built once per cached listing, so a
// plan of N reviews hashes each listed text once instead of N times, and it
// is never changed after it is built, so readers share it without a lock.
type findingsIndex struct {
	byHash map[string]*indexedText
}

// indexedText is what the listing holds for one match text.
type indexedText struct {
	text string
	// reviewed is true when any finding with the text is: a review covers a
	// text whatever rule found it.
	reviewed bool
	// rules are the rules that found the text, each once, in listing order.
	rules []string
}

// reviewStatus is what a space's listing says about one match text.
type reviewStatus int

const (
	textNotListed reviewStatus = iota
	textListedUnreviewed
	textListedReviewed
)

func newFindingsIndex(findings []client.Finding) *findingsIndex {
	index := &findingsIndex{byHash: make(map[string]*indexedText, len(findings))}
	for _, finding := range findings {
		hash := matchTextSHA256(finding.MatchText)
		entry, ok := index.byHash[hash]
		if !ok {
			entry = &indexedText{text: finding.MatchText}
			index.byHash[hash] = entry
		}
		entry.reviewed = entry.reviewed || finding.Reviewed
		if !slices.Contains(entry.rules, finding.RuleName) {
			entry.rules = append(entry.rules, finding.RuleName)
		}
	}
	return index
}

// Status tells whether the text with this hash is listed, and if so whether
// it is reviewed.
func (ix *findingsIndex) Status(hash string) reviewStatus {
	entry, ok := ix.byHash[hash]
	switch {
	case !ok:
		return textNotListed
	case entry.reviewed:
		return textListedReviewed
	default:
		return textListedUnreviewed
	}
}

// Text returns the listed text with this hash, found by ruleName unless
// ruleName is empty.
func (ix *findingsIndex) Text(ruleName, hash string) (string, bool) {
	entry, ok := ix.byHash[hash]
	if !ok || (ruleName != "" && !slices.Contains(entry.rules, ruleName)) {
		return "", false
	}
	return entry.text, true
}
