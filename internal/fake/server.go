// Package fake is an in-memory Confluence Data Center with the Security for
// Confluence app installed. It keeps real state (spaces, versioned content,
// rules, scans and reviews) behind one mutex, so tests can drive it through
// the REST API and the seeding hooks at the same time and check what a
// provider left behind.
package fake

import (
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Server is the fake Confluence. Its zero value is not usable; call New or
// NewDemo.
type Server struct {
	mu sync.Mutex

	users  map[string]*user
	tokens map[string]string

	spaces        map[string]*space
	content       map[int64]*content
	nextSpaceID   int64
	nextContentID int64

	rules    []*rule
	rulesGen int
	autoScan bool

	clock    func() time.Time
	lastWhen time.Time

	contextPath string
	faults      []*pendingFault
	requests    []RecordedRequest
	requestLog  io.Writer

	httpServer *httptest.Server
}

// New returns an empty Confluence: the administrator admin/admin, the
// built-in rules, auto-scan on and no spaces.
func New() *Server {
	s := &Server{
		users:         map[string]*user{},
		tokens:        map[string]string{},
		spaces:        map[string]*space{},
		content:       map[int64]*content{},
		nextSpaceID:   98303,
		nextContentID: 65536,
		rules:         newBuiltInRules(),
		autoScan:      true,
		clock:         time.Now,
	}
	s.users["admin"] = &user{name: "admin", password: "admin", confluenceAdmin: true}
	return s
}

// Start serves the fake on a free port of 127.0.0.1 and returns its base URL
// without a trailing slash.
func (s *Server) Start() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpServer == nil {
		s.httpServer = httptest.NewServer(s)
	}
	return s.httpServer.URL + s.contextPath
}

// Close stops the server started by Start.
func (s *Server) Close() {
	s.mu.Lock()
	srv := s.httpServer
	s.httpServer = nil
	s.mu.Unlock()
	if srv != nil {
		srv.CloseClientConnections()
		srv.Close()
	}
}

// SetClock replaces the clock that stamps new content versions. Versions
// still get distinct, increasing timestamps if the clock stands still.
func (s *Server) SetClock(clock func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = clock
}

// SetContextPath makes the fake answer only under a context path such as
// "/confluence", as a Confluence behind a reverse proxy does. Call it before
// Start.
func (s *Server) SetContextPath(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contextPath = "/" + strings.Trim(path, "/")
	if s.contextPath == "/" {
		s.contextPath = ""
	}
}

// SetAutoScan turns the app's "keep space scans up to date" setting on or
// off. With it off, new spaces stay UNSCANNED and content changes make
// existing reports stale until the next scan.
func (s *Server) SetAutoScan(enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.autoScan = enabled
}

// SetRequestLog writes one line per request (method, path, status, duration)
// to w. Bodies, queries and credentials are never written.
func (s *Server) SetRequestLog(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requestLog = w
}

// AddUser adds a user or replaces its password and role.
func (s *Server) AddUser(name, password string, confluenceAdmin bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[name] = &user{name: name, password: password, confluenceAdmin: confluenceAdmin}
}

// AddToken registers a personal access token for an existing user.
func (s *Server) AddToken(token, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = user
}

// CreateSpace creates a space; a key starting with "~" makes the personal
// space of that user, who administers it.
func (s *Server) CreateSpace(key, name string, spaceAdmins ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.spaces[key]; exists {
		panic(fmt.Sprintf("fake: space %q already exists", key))
	}
	s.createSpaceLocked(key, name, "", spaceAdmins)
}

// SpaceExists tells whether a space with exactly this key exists.
func (s *Server) SpaceExists(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spaces[key] != nil
}

// SpaceAdmins lists the users who administer a space, sorted.
func (s *Server) SpaceAdmins(key string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.adminNames(s.mustSpace(key))
}

// CreatePage creates a page at version 1 and returns its content id.
func (s *Server) CreatePage(spaceKey, title, body string) string {
	return s.seedContent(spaceKey, "page", title, body)
}

// CreateBlogPost creates a blog post at version 1 and returns its content id.
func (s *Server) CreateBlogPost(spaceKey, title, body string) string {
	return s.seedContent(spaceKey, "blogpost", title, body)
}

func (s *Server) seedContent(spaceKey, contentType, title, body string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.mustSpace(spaceKey)
	return s.createContentLocked(sp, contentType, title, body, defaultAuthor(spaceKey)).idString()
}

// UpdateContent stores a new version with the given body and returns its
// number.
func (s *Server) UpdateContent(id, body string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustContent(id)
	return s.updateContentLocked(c, "", body, defaultAuthor(c.spaceKey))
}

// ContentVersions lists a content item's versions, oldest first.
func (s *Server) ContentVersions(id string) []VersionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustContent(id)
	infos := make([]VersionInfo, 0, len(c.versions))
	for _, v := range c.versions {
		infos = append(infos, VersionInfo{Number: v.number, CreatedWhen: formatWhen(v.when)})
	}
	return infos
}

// ContentExists tells whether a content item exists (it was not deleted).
func (s *Server) ContentExists(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.contentByID(id) != nil
}

// DeleteContent deletes a content item; its findings go with it, reviews of
// its texts stay.
func (s *Server) DeleteContent(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteContentLocked(s.mustContent(id))
}

// ScanSpace scans every version of every content item in the space, as the
// API's scan does.
func (s *Server) ScanSpace(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scanSpaceLocked(s.mustSpace(key))
}

// RuleEnabled tells whether a built-in or custom rule is enabled.
func (s *Server) RuleEnabled(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mustRule(name).enabled
}

// SetRuleEnabled toggles a built-in or custom rule as the settings page
// does, making earlier scans outdated.
func (s *Server) SetRuleEnabled(name string, enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setRuleEnabledLocked(s.mustRule(name), enabled)
}

// AddCustomRule adds an enabled custom rule, or replaces the pattern of an
// existing one. The pattern uses Go's regexp syntax.
func (s *Server) AddCustomRule(name, pattern string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	compiled := regexp.MustCompile(pattern)
	if r := s.ruleByName(name); r != nil {
		if r.builtIn {
			panic(fmt.Sprintf("fake: %q is a built-in rule", name))
		}
		r.pattern, r.enabled = compiled, true
	} else {
		s.rules = append(s.rules, &rule{
			name:        name,
			enabled:     true,
			description: "Custom rule.",
			category:    "Custom rules",
			pattern:     compiled,
		})
	}
	s.rulesGen++
}

// AddBuiltInRule adds a built-in rule as an upgrade of the app would ship it,
// switched on or off. Like a rule toggle, it makes earlier scans outdated.
func (s *Server) AddBuiltInRule(name, pattern string, enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ruleByName(name) != nil {
		panic(fmt.Sprintf("fake: a rule named %q exists already", name))
	}
	s.rules = append(s.rules, &rule{
		name:        name,
		builtIn:     true,
		enabled:     enabled,
		description: "Added by an upgrade of the app.",
		category:    "New in this version",
		pattern:     regexp.MustCompile(pattern),
	})
	s.rulesGen++
}

// BuiltInRuleNames lists the built-in rules in the order GET rules answers
// them.
func (s *Server) BuiltInRuleNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for _, r := range s.rules {
		if r.builtIn {
			names = append(names, r.name)
		}
	}
	return names
}

// ReviewedTexts returns a copy of a space's reviewed texts, each mapped to
// the rule it was reviewed under.
func (s *Server) ReviewedTexts(spaceKey string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	reviewed := map[string]string{}
	for text, ruleName := range s.mustSpace(spaceKey).reviewed {
		reviewed[text] = ruleName
	}
	return reviewed
}

// AddReview marks a text reviewed in a space without going through the API.
func (s *Server) AddReview(spaceKey, ruleName, matchText string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustSpace(spaceKey).reviewed[matchText] = ruleName
}

// RemoveReview un-reviews a text in a space without going through the API.
func (s *Server) RemoveReview(spaceKey, matchText string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.mustSpace(spaceKey).reviewed, matchText)
}

// The seeding hooks are called by tests with values they chose; a wrong
// value is a bug in the test, so they panic with a plain message.
func (s *Server) mustSpace(key string) *space {
	sp := s.spaces[key]
	if sp == nil {
		panic(fmt.Sprintf("fake: no space with key %q", key))
	}
	return sp
}

func (s *Server) mustContent(id string) *content {
	c := s.contentByID(id)
	if c == nil {
		panic(fmt.Sprintf("fake: no content with id %q", id))
	}
	return c
}

func (s *Server) mustRule(name string) *rule {
	r := s.ruleByName(name)
	if r == nil {
		panic(fmt.Sprintf("fake: no rule named %q", name))
	}
	return r
}
