package fake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// The shapes below follow Atlassian's documentation of Confluence Server and
// Data Center's REST API, trimmed to the fields the provider reads.

type spaceJSON struct {
	ID          int64             `json:"id"`
	Key         string            `json:"key"`
	Name        string            `json:"name"`
	Type        string            `json:"type"`
	Description *descriptionJSON  `json:"description,omitempty"`
	Links       map[string]string `json:"_links"`
}

type descriptionJSON struct {
	Plain representationJSON `json:"plain"`
}

type representationJSON struct {
	Value          string `json:"value"`
	Representation string `json:"representation"`
}

type spacePageJSON struct {
	Results []spaceJSON       `json:"results"`
	Start   int               `json:"start"`
	Limit   int               `json:"limit"`
	Size    int               `json:"size"`
	Links   map[string]string `json:"_links"`
}

type contentJSON struct {
	ID      string            `json:"id"`
	Type    string            `json:"type"`
	Status  string            `json:"status"`
	Title   string            `json:"title"`
	Space   spaceJSON         `json:"space"`
	Version versionJSON       `json:"version"`
	Body    *bodyJSON         `json:"body,omitempty"`
	Links   map[string]string `json:"_links"`
}

type versionJSON struct {
	Number int       `json:"number"`
	When   string    `json:"when,omitempty"`
	By     *userJSON `json:"by,omitempty"`
}

type userJSON struct {
	Type        string `json:"type"`
	Username    string `json:"username"`
	UserKey     string `json:"userKey"`
	DisplayName string `json:"displayName"`
}

type bodyJSON struct {
	Storage representationJSON `json:"storage"`
}

type contentRequest struct {
	Type    string    `json:"type"`
	Title   string    `json:"title"`
	Space   spaceRef  `json:"space"`
	Body    *bodyJSON `json:"body"`
	Version struct {
		Number int `json:"number"`
	} `json:"version"`
}

type spaceRef struct {
	Key string `json:"key"`
}

type spaceRequest struct {
	Key         string           `json:"key"`
	Name        string           `json:"name"`
	Description *descriptionJSON `json:"description"`
}

var globalSpaceKey = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)

func (sp *space) json(baseURL string) spaceJSON {
	out := spaceJSON{
		ID:   sp.id,
		Key:  sp.key,
		Name: sp.name,
		Type: sp.spaceType,
		Links: map[string]string{
			"webui": "/display/" + url.PathEscape(sp.key),
			"self":  baseURL + "/rest/api/space/" + url.PathEscape(sp.key),
		},
	}
	if sp.description != "" {
		out.Description = &descriptionJSON{Plain: representationJSON{Value: sp.description, Representation: "plain"}}
	}
	return out
}

func (s *Server) listSpaces(rq *request) response {
	start, okStart := intParam(rq.query, "start", 0)
	limit, okLimit := intParam(rq.query, "limit", 25)
	if !okStart || !okLimit {
		return errorResponse(http.StatusBadRequest, "start and limit must be non-negative integers.")
	}
	limit = min(max(limit, 1), 500)
	page := spacePageJSON{Results: []spaceJSON{}, Start: start, Limit: limit, Links: map[string]string{"base": rq.baseURL}}
	keys := s.sortedSpaceKeys()
	for i := start; i < len(keys) && i < start+limit; i++ {
		page.Results = append(page.Results, s.spaces[keys[i]].json(rq.baseURL))
	}
	page.Size = len(page.Results)
	return jsonResponse(http.StatusOK, page)
}

func (s *Server) getSpace(rq *request) response {
	sp := s.spaces[rq.params["key"]]
	if sp == nil {
		return spaceNotFound(rq.params["key"])
	}
	return jsonResponse(http.StatusOK, sp.json(rq.baseURL))
}

func spaceNotFound(key string) response {
	return errorResponse(http.StatusNotFound,
		"No space with key : %s. Space keys are case-sensitive.", key)
}

func (s *Server) postSpace(rq *request) response {
	var in spaceRequest
	if err := json.Unmarshal(rq.body, &in); err != nil {
		return errorResponse(http.StatusBadRequest, "The request body is not a valid space: %v.", err)
	}
	if !globalSpaceKey.MatchString(in.Key) || strings.TrimSpace(in.Name) == "" {
		return errorResponse(http.StatusBadRequest,
			"A space needs a key of letters and digits and a non-empty name.")
	}
	if s.spaces[in.Key] != nil {
		return errorResponse(http.StatusBadRequest, "A space already exists with key %s.", in.Key)
	}
	description := ""
	if in.Description != nil {
		description = in.Description.Plain.Value
	}
	sp := s.createSpaceLocked(in.Key, in.Name, description, []string{rq.user.name})
	return jsonResponse(http.StatusOK, sp.json(rq.baseURL))
}

func (s *Server) contentJSON(c *content, v *version, withBody bool, baseURL string) contentJSON {
	out := contentJSON{
		ID:     c.idString(),
		Type:   c.contentType,
		Status: "current",
		Title:  c.title,
		Space:  s.spaces[c.spaceKey].json(baseURL),
		Version: versionJSON{
			Number: v.number,
			When:   formatWhen(v.when),
			By:     &userJSON{Type: "known", Username: v.by, UserKey: v.by, DisplayName: v.by},
		},
		Links: map[string]string{
			"webui": "/pages/viewpage.action?pageId=" + c.idString(),
			"self":  baseURL + "/rest/api/content/" + c.idString(),
		},
	}
	if v != c.latest() {
		out.Status = "historical"
	}
	if withBody {
		out.Body = &bodyJSON{Storage: representationJSON{Value: v.body, Representation: "storage"}}
	}
	return out
}

// getContent answers the latest version, or with ?version=N an older one,
// which is how a caller learns a version's createdWhen.
func (s *Server) getContent(rq *request) response {
	c := s.contentByID(rq.params["id"])
	if c == nil {
		return contentNotFound(rq.params["id"])
	}
	v := c.latest()
	if raw := rq.query.Get("version"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > len(c.versions) {
			return errorResponse(http.StatusNotFound, "Content %s has no version %s.", c.idString(), raw)
		}
		v = &c.versions[n-1]
	}
	withBody := strings.Contains(rq.query.Get("expand"), "body.storage")
	return jsonResponse(http.StatusOK, s.contentJSON(c, v, withBody, rq.baseURL))
}

func contentNotFound(id string) response {
	return errorResponse(http.StatusNotFound, "No content found with id : %s.", id)
}

func (s *Server) postContent(rq *request) response {
	var in contentRequest
	if err := json.Unmarshal(rq.body, &in); err != nil {
		return errorResponse(http.StatusBadRequest, "The request body is not valid content: %v.", err)
	}
	if in.Type != "page" && in.Type != "blogpost" {
		return errorResponse(http.StatusBadRequest, "Content type must be page or blogpost, not %q.", in.Type)
	}
	if strings.TrimSpace(in.Title) == "" {
		return errorResponse(http.StatusBadRequest, "Content needs a non-empty title.")
	}
	sp := s.spaces[in.Space.Key]
	if sp == nil {
		return spaceNotFound(in.Space.Key)
	}
	if s.titleTaken(sp.key, in.Type, in.Title) {
		return errorResponse(http.StatusBadRequest,
			"A %s with this title already exists: A %s already exists with the title %s in this space.", in.Type, in.Type, in.Title)
	}
	c := s.createContentLocked(sp, in.Type, in.Title, storageValue(in.Body), rq.user.name)
	return jsonResponse(http.StatusOK, s.contentJSON(c, c.latest(), true, rq.baseURL))
}

func (s *Server) titleTaken(spaceKey, contentType, title string) bool {
	for _, c := range s.content {
		if c.spaceKey == spaceKey && c.contentType == contentType && c.title == title {
			return true
		}
	}
	return false
}

func storageValue(body *bodyJSON) string {
	if body == nil {
		return ""
	}
	return body.Storage.Value
}

func (s *Server) putContent(rq *request) response {
	c := s.contentByID(rq.params["id"])
	if c == nil {
		return contentNotFound(rq.params["id"])
	}
	var in contentRequest
	if err := json.Unmarshal(rq.body, &in); err != nil {
		return errorResponse(http.StatusBadRequest, "The request body is not valid content: %v.", err)
	}
	current := c.latest().number
	if in.Version.Number != current+1 {
		return errorResponse(http.StatusConflict,
			"Version must be incremented on update. Current version is: %d", current)
	}
	body := c.latest().body
	if in.Body != nil {
		body = in.Body.Storage.Value
	}
	s.updateContentLocked(c, in.Title, body, rq.user.name)
	return jsonResponse(http.StatusOK, s.contentJSON(c, c.latest(), true, rq.baseURL))
}

func (s *Server) deleteContent(rq *request) response {
	c := s.contentByID(rq.params["id"])
	if c == nil {
		return contentNotFound(rq.params["id"])
	}
	s.deleteContentLocked(c)
	return noContent()
}

func (s *Server) currentUser(rq *request) response {
	name := rq.user.name
	return jsonResponse(http.StatusOK, userJSON{Type: "known", Username: name, UserKey: name, DisplayName: name})
}

// intParam reads a non-negative integer parameter; absent or empty means
// the default.
func intParam(q url.Values, name string, def int) (int, bool) {
	raw := q.Get(name)
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
