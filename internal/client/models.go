package client

// The vendor documents the paths, methods and query parameters of its REST API
// but has never published a response body. Every JSON shape in this file is
// therefore modeled: field names follow what the vendor's other products and
// audit events are known to use (ruleName, spaceKey, scanState,
// upToDateContent, upToDateSettings), and everything else is our choice. The
// fake server in internal/fake encodes these same types, so the provider and
// the fake cannot disagree about a shape; a real server that differs is
// tolerated as far as possible because decoding ignores unknown fields and
// treats most missing ones as zero values. The exceptions are the fields that
// tell an empty answer from a broken one: a findings page must carry
// scanState and findings, and the rule list must be a JSON array.

// Rule is one scanning rule as listed by GET rules.
type Rule struct {
	// Name identifies the rule. Built-in rules use UPPER_SNAKE_CASE names
	// such as AWS_CLIENT_ID; custom rules carry the name their author chose.
	Name string `json:"name"`

	// BuiltIn is true for the rules that ship with the app and false for
	// custom rules defined on the settings page.
	BuiltIn bool `json:"builtIn"`

	Enabled bool `json:"enabled"`

	// Description is the human-readable explanation shown in the settings UI.
	Description string `json:"description,omitempty"`

	// Category groups built-in rules in the settings UI, for example
	// "Cloud providers" or "Private keys".
	Category string `json:"category,omitempty"`
}

// FindingsPage is one page of GET scan/space/{key} or scan/content/{id}.
type FindingsPage struct {
	ScanState        string `json:"scanState"`
	UpToDateContent  bool   `json:"upToDateContent"`
	UpToDateSettings bool   `json:"upToDateSettings"`

	// Page and Size echo what the server used, which may differ from what
	// was asked for when the server clamps the page size.
	Page int `json:"page"`
	Size int `json:"size"`

	Findings []Finding `json:"findings"`
}

// Finding is one deduplicated match of a rule in one content item. Findings of
// the same match text across the versions of one item are merged into one,
// whose version range runs from the first to the last version containing it.
type Finding struct {
	RuleName string `json:"ruleName"`

	// MatchText is the exact text the rule captured. It is a secret: callers
	// must never log it or put it into an error message.
	MatchText string `json:"matchText"`

	SpaceKey     string `json:"spaceKey"`
	ContentID    string `json:"contentId"`
	ContentTitle string `json:"contentTitle"`

	// ContentType is "page" or "blogpost".
	ContentType string `json:"contentType"`

	FirstVersion int `json:"firstVersion"`
	LastVersion  int `json:"lastVersion"`

	Reviewed bool `json:"reviewed"`

	// Historical is true when the latest version of the content no longer
	// contains the match.
	Historical bool `json:"historical"`
}

// ScanResult is the answer to a POST that triggers a scan.
type ScanResult struct {
	ScanState        string `json:"scanState"`
	UpToDateContent  bool   `json:"upToDateContent"`
	UpToDateSettings bool   `json:"upToDateSettings"`

	SpaceKey  string `json:"spaceKey,omitempty"`
	ContentID string `json:"contentId,omitempty"`

	// CreatedWhen is set when a single content version was scanned.
	CreatedWhen string `json:"createdWhen,omitempty"`

	// FindingsCount counts the deduplicated findings the scan produced,
	// reviewed ones included.
	FindingsCount int `json:"findingsCount"`
}

// Scan states reported in ScanState.
const (
	ScanStateScheduled = "SCHEDULED"
	ScanStateScanning  = "SCANNING"
	ScanStateCompleted = "COMPLETED"
	ScanStateUnscanned = "UNSCANNED"
	ScanStateFailed    = "FAILED"
)

// ReviewRequest is the body of POST review/space/{key}/create and, with only
// MatchText set, of POST review/space/{key}/delete. Both fields are documented
// by the vendor.
type ReviewRequest struct {
	MatchText string `json:"matchText"`
	RuleName  string `json:"ruleName,omitempty"`
}

// Review is what the server answers to a created review. The server echoes
// the match text back; callers must treat it as a secret.
type Review struct {
	SpaceKey  string `json:"spaceKey"`
	RuleName  string `json:"ruleName"`
	MatchText string `json:"matchText"`
}

// DeleteAllReviewsResult answers DELETE review/space/{key}?confirm=true.
type DeleteAllReviewsResult struct {
	Deleted int `json:"deleted"`
}

// ErrorBody is the error shape Confluence uses for REST errors, and which the
// app is assumed to share.
type ErrorBody struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
}

// ExportColumns are the columns of the CSV export, in order. The header row of
// the export names them exactly like this.
var ExportColumns = []string{
	"Space Key",
	"Content ID",
	"Content Title",
	"Content Type",
	"Rule Name",
	"Match Text",
	"First Version",
	"Last Version",
	"Reviewed",
	"Historical",
}
