package fake

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Confluence prints version timestamps with milliseconds and the server's
// offset; a fixed offset keeps the strings reproducible on any machine.
const createdWhenLayout = "2006-01-02T15:04:05.000Z07:00"

var serverZone = time.FixedZone("", -5*60*60)

// demoEpoch is the instant of the vendor page's createdWhen example, used as
// the start of the deterministic clock of NewDemo.
var demoEpoch = time.Date(2021, 8, 15, 17, 54, 36, 860_000_000, serverZone)

type user struct {
	name            string
	password        string
	confluenceAdmin bool
}

type space struct {
	id          int64
	key         string
	name        string
	description string
	spaceType   string
	admins      map[string]bool

	// reviewed maps a reviewed match text to the rule named when it was
	// reviewed. It lives apart from findings so a review outlives the text.
	reviewed map[string]string

	scanned bool
	// rulesGen is the rule-settings generation of the last full scan.
	rulesGen int
	// stale is set when content changed while auto-scan was off.
	stale bool
}

type content struct {
	id          int64
	contentType string
	title       string
	spaceKey    string
	versions    []version
	scan        *contentScan
}

type version struct {
	number int
	when   time.Time
	by     string
	body   string
}

// contentScan holds what the last scan of one content item found, version by
// version, so listings can deduplicate or not at read time.
type contentScan struct {
	rulesGen int
	matches  map[int][]match
}

type match struct {
	rule string
	text string
}

// VersionInfo describes one stored version of a content item.
type VersionInfo struct {
	Number      int
	CreatedWhen string
}

func (c *content) latest() *version {
	return &c.versions[len(c.versions)-1]
}

func (c *content) idString() string {
	return strconv.FormatInt(c.id, 10)
}

// versionAt finds the version created at the given instant, whatever offset
// the caller wrote it in.
func (c *content) versionAt(when time.Time) *version {
	for i := range c.versions {
		if c.versions[i].when.Equal(when) {
			return &c.versions[i]
		}
	}
	return nil
}

func formatWhen(t time.Time) string {
	return t.In(serverZone).Format(createdWhenLayout)
}

// parseWhen accepts the documented form and any RFC 3339 variant. A '+' of
// an offset that was not percent-encoded arrives as a space, so it is put
// back before parsing.
func parseWhen(raw string) (time.Time, bool) {
	raw = strings.ReplaceAll(strings.TrimSpace(raw), " ", "+")
	for _, layout := range []string{createdWhenLayout, time.RFC3339Nano} {
		if t, err := time.Parse(layout, raw); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// nextWhen gives every new version a distinct millisecond, even when the
// clock has not moved since the previous one.
func (s *Server) nextWhen() time.Time {
	now := s.clock().Truncate(time.Millisecond)
	if !now.After(s.lastWhen) {
		now = s.lastWhen.Add(time.Millisecond)
	}
	s.lastWhen = now
	return now
}

func (s *Server) sortedSpaceKeys() []string {
	keys := make([]string, 0, len(s.spaces))
	for key := range s.spaces {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

// spaceContent lists a space's content in id order, which is the order
// findings are reported in.
func (s *Server) spaceContent(spaceKey string) []*content {
	var items []*content
	for _, c := range s.content {
		if c.spaceKey == spaceKey {
			items = append(items, c)
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].id < items[j].id })
	return items
}

func (s *Server) contentByID(id string) *content {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	return s.content[n]
}

func (s *Server) isSpaceAdmin(u *user, sp *space) bool {
	return u.confluenceAdmin || sp.admins[u.name]
}

func (s *Server) createSpaceLocked(key, name, description string, admins []string) *space {
	s.nextSpaceID++
	sp := &space{
		id:          s.nextSpaceID,
		key:         key,
		name:        name,
		description: description,
		spaceType:   "global",
		admins:      map[string]bool{},
		reviewed:    map[string]string{},
	}
	if strings.HasPrefix(key, "~") {
		sp.spaceType = "personal"
		sp.admins[strings.TrimPrefix(key, "~")] = true
	}
	for _, admin := range admins {
		sp.admins[admin] = true
	}
	// With auto-scan on, new spaces are scanned as they are created.
	if s.autoScan {
		sp.scanned = true
		sp.rulesGen = s.rulesGen
	}
	s.spaces[key] = sp
	return sp
}

func (s *Server) createContentLocked(sp *space, contentType, title, body, by string) *content {
	s.nextContentID++
	c := &content{id: s.nextContentID, contentType: contentType, title: title, spaceKey: sp.key}
	c.versions = append(c.versions, version{number: 1, when: s.nextWhen(), by: by, body: body})
	s.content[c.id] = c
	s.contentChanged(sp, c)
	return c
}

func (s *Server) updateContentLocked(c *content, title, body, by string) int {
	if title != "" {
		c.title = title
	}
	number := c.latest().number + 1
	c.versions = append(c.versions, version{number: number, when: s.nextWhen(), by: by, body: body})
	s.contentChanged(s.spaces[c.spaceKey], c)
	return number
}

func (s *Server) deleteContentLocked(c *content) {
	delete(s.content, c.id)
	if sp := s.spaces[c.spaceKey]; sp != nil && sp.scanned && !s.autoScan {
		sp.stale = true
	}
}

// contentChanged is the auto-scan: a space scanned once keeps its report
// current item by item; with auto-scan off the report goes stale instead.
func (s *Server) contentChanged(sp *space, c *content) {
	if !sp.scanned {
		return
	}
	if !s.autoScan {
		sp.stale = true
		return
	}
	s.scanContentLocked(c)
}

// defaultAuthor is who the seeding hooks write content as: the owner of a
// personal space, otherwise the administrator.
func defaultAuthor(spaceKey string) string {
	if strings.HasPrefix(spaceKey, "~") {
		return strings.TrimPrefix(spaceKey, "~")
	}
	return "admin"
}
