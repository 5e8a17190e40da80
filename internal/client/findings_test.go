package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func makeFindings(n int) []Finding {
	findings := make([]Finding, n)
	for i := range findings {
		findings[i] = Finding{RuleName: "JWT", MatchText: fmt.Sprintf("secret-%03d", i), SpaceKey: "DEV", FirstVersion: 1, LastVersion: 1}
	}
	return findings
}

// pagingServer serves findings in pages the way the modeled API does, or in
// one of the ways a misbehaving server might.
type pagingServer struct {
	findings   []Finding
	fixedSize  int  // ignore the size asked for and use this one
	repeatLast bool // answer the last full page for every page past the end
	ignorePage bool // answer page 0 whatever is asked
	hideSize   bool // leave size out of the answer
}

func (p pagingServer) respond(w http.ResponseWriter, r *http.Request, _ int) {
	number, _ := strconv.Atoi(r.URL.Query().Get("page"))
	size, _ := strconv.Atoi(r.URL.Query().Get("size"))
	if size <= 0 {
		size = defaultPageSize
	}
	if p.fixedSize > 0 {
		size = p.fixedSize
	}
	if p.ignorePage {
		number = 0
	}
	if last := (len(p.findings) - 1) / size; p.repeatLast && number > last && len(p.findings) > 0 {
		number = last
	}
	start, end := min(number*size, len(p.findings)), min((number+1)*size, len(p.findings))

	page := FindingsPage{ScanState: ScanStateCompleted, Page: number, Size: size, Findings: p.findings[start:end]}
	if p.hideSize {
		page.Size = 0
	}
	body, _ := json.Marshal(page)
	writeJSON(w, http.StatusOK, string(body))
}

func TestListSpaceFindingsPaging(t *testing.T) {
	const size = 5
	tests := []struct {
		name         string
		server       pagingServer
		querySize    int
		wantCount    int
		wantRequests int
		wantInfo     ListInfo
	}{
		{name: "no findings", server: pagingServer{findings: makeFindings(0)}, querySize: size, wantCount: 0, wantRequests: 1, wantInfo: ListInfo{Pages: 1}},
		{name: "one finding", server: pagingServer{findings: makeFindings(1)}, querySize: size, wantCount: 1, wantRequests: 1, wantInfo: ListInfo{Pages: 1}},
		{name: "one short of a page", server: pagingServer{findings: makeFindings(size - 1)}, querySize: size, wantCount: size - 1, wantRequests: 1, wantInfo: ListInfo{Pages: 1}},
		{name: "exactly a page", server: pagingServer{findings: makeFindings(size)}, querySize: size, wantCount: size, wantRequests: 2, wantInfo: ListInfo{Pages: 2}},
		{name: "one past a page", server: pagingServer{findings: makeFindings(size + 1)}, querySize: size, wantCount: size + 1, wantRequests: 2, wantInfo: ListInfo{Pages: 2}},
		{name: "three pages", server: pagingServer{findings: makeFindings(3 * size)}, querySize: size, wantCount: 3 * size, wantRequests: 4, wantInfo: ListInfo{Pages: 4}},
		{name: "server default size", server: pagingServer{findings: makeFindings(60)}, wantCount: 60, wantRequests: 3, wantInfo: ListInfo{Pages: 3}},
		{name: "server ignores the size", server: pagingServer{findings: makeFindings(25), fixedSize: 10}, querySize: 100, wantCount: 25, wantRequests: 3, wantInfo: ListInfo{Pages: 3}},
		{name: "server hides the size", server: pagingServer{findings: makeFindings(12), hideSize: true}, querySize: size, wantCount: 12, wantRequests: 3, wantInfo: ListInfo{Pages: 3}},
		{name: "server repeats the last page forever", server: pagingServer{findings: makeFindings(2 * size), repeatLast: true}, querySize: size, wantCount: 2 * size, wantRequests: 3, wantInfo: ListInfo{Pages: 3, EndedOnRepeat: true}},
		{name: "server repeats its only full page", server: pagingServer{findings: makeFindings(size), repeatLast: true}, querySize: size, wantCount: size, wantRequests: 2, wantInfo: ListInfo{Pages: 2, EndedOnRepeat: true}},
		{name: "server ignores the page", server: pagingServer{findings: makeFindings(3 * size), ignorePage: true}, querySize: size, wantCount: size, wantRequests: 2, wantInfo: ListInfo{Pages: 2, EndedOnRepeat: true}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.server.respond)
			c := newTestClient(t, fastConfig(rec.server.URL))

			got, info, err := c.ListSpaceFindings(testContext(t), "DEV", FindingsQuery{Size: tt.querySize})
			if err != nil {
				t.Fatalf("ListSpaceFindings: %v", err)
			}
			if info != tt.wantInfo {
				t.Errorf("info = %+v, want %+v", info, tt.wantInfo)
			}
			if want := tt.wantInfo.EndedOnRepeat && tt.wantInfo.Pages == 2; info.PageIgnored() != want {
				t.Errorf("PageIgnored() = %v, want %v", info.PageIgnored(), want)
			}
			if got == nil {
				t.Fatal("ListSpaceFindings returned nil, want a non-nil slice")
			}
			if want := tt.server.findings[:tt.wantCount]; !reflect.DeepEqual(got, want) && len(want) > 0 {
				t.Errorf("findings = %v, want %v", got, want)
			}
			if len(got) != tt.wantCount {
				t.Errorf("got %d findings, want %d", len(got), tt.wantCount)
			}
			if rec.count() != tt.wantRequests {
				t.Errorf("server saw %d requests, want %d", rec.count(), tt.wantRequests)
			}
		})
	}
}

func TestListFindingsReturnsEachFindingOnce(t *testing.T) {
	findings := makeFindings(4)
	pages := [][]Finding{
		{findings[0], findings[1], findings[0]},
		{findings[1], findings[2], findings[3]},
		{},
	}
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, index int) {
		body, _ := json.Marshal(FindingsPage{Size: 3, Findings: pages[min(index, len(pages)-1)]})
		writeJSON(w, http.StatusOK, string(body))
	})
	c := newTestClient(t, fastConfig(rec.server.URL))

	got, _, err := c.ListContentFindings(testContext(t), "98305", "", FindingsQuery{Size: 3})
	if err != nil {
		t.Fatalf("ListContentFindings: %v", err)
	}
	if !reflect.DeepEqual(got, findings) {
		t.Errorf("findings = %v, want %v", got, findings)
	}
}

func TestListFindingsKeepsFindingsThatDifferOnlyInOneField(t *testing.T) {
	first := Finding{RuleName: "JWT", MatchText: "same", ContentID: "1", LastVersion: 1}
	second := first
	second.Reviewed = true
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		body, _ := json.Marshal(FindingsPage{Size: 25, Findings: []Finding{first, second}})
		writeJSON(w, http.StatusOK, string(body))
	})
	c := newTestClient(t, fastConfig(rec.server.URL))

	got, _, err := c.ListSpaceFindings(testContext(t), "DEV", FindingsQuery{})
	if err != nil {
		t.Fatalf("ListSpaceFindings: %v", err)
	}
	if len(got) != 2 {
		t.Errorf("got %d findings, want both", len(got))
	}
}

func TestListFindingsStartsAtTheGivenPageAndKeepsFilters(t *testing.T) {
	reviewed := false
	rec := newRecorder(t, answerJSON(http.StatusOK, `{"scanState":"COMPLETED","size":5,"findings":[]}`))
	c := newTestClient(t, fastConfig(rec.server.URL))

	_, _, err := c.ListContentFindings(testContext(t), "98305", testCreatedWhen,
		FindingsQuery{Page: 3, Size: 5, Reviewed: &reviewed, RuleNames: []string{"JWT"}})
	if err != nil {
		t.Fatalf("ListContentFindings: %v", err)
	}
	want := "/rest/security/latest/scan/content/98305?createdWhen=2021-08-15T17%3A54%3A36.860-05%3A00&page=3&reviewed=false&ruleIds=JWT&size=5"
	if got := rec.all()[0].RequestURI; got != want {
		t.Errorf("request URI = %s, want %s", got, want)
	}
}

func TestListFindingsStopsAtThePageLimit(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		number, _ := strconv.Atoi(r.URL.Query().Get("page"))
		body, _ := json.Marshal(FindingsPage{Size: 1, Findings: []Finding{{MatchText: strconv.Itoa(number)}}})
		writeJSON(w, http.StatusOK, string(body))
	})
	c := newTestClient(t, fastConfig(rec.server.URL))

	got, info, err := c.ListSpaceFindings(testContext(t), "DEV", FindingsQuery{Size: 1})
	if err != nil {
		t.Fatalf("ListSpaceFindings: %v", err)
	}
	if !info.HitPageLimit || info.Pages != MaxFindingPages || info.EndedOnRepeat {
		t.Errorf("info = %+v, want the page limit hit after %d pages", info, MaxFindingPages)
	}
	if len(got) != MaxFindingPages || rec.count() != MaxFindingPages {
		t.Errorf("got %d findings from %d requests, want %d of each", len(got), rec.count(), MaxFindingPages)
	}
}

func TestListFindingsFailsWhenAPageFails(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, index int) {
		if index == 1 {
			writeJSON(w, http.StatusForbidden, `{"message":"not a space admin"}`)
			return
		}
		body, _ := json.Marshal(FindingsPage{Size: 2, Findings: makeFindings(2)})
		writeJSON(w, http.StatusOK, string(body))
	})
	c := newTestClient(t, fastConfig(rec.server.URL))

	got, _, err := c.ListSpaceFindings(testContext(t), "DEV", FindingsQuery{Size: 2})
	if !errors.Is(err, ErrForbidden) || got != nil {
		t.Errorf("got %v, %v; want nil and ErrForbidden", got, err)
	}
}

// TestFindingsAnswerMustHaveItsFields refuses answers that decode without
// error but say nothing: reading them as "no findings" would hide a broken
// server or proxy behind an empty list.
func TestFindingsAnswerMustHaveItsFields(t *testing.T) {
	tests := []struct {
		body    string
		problem string
	}{
		{`{}`, `lacks the "scanState" field`},
		{`null`, `lacks the "scanState" field`},
		{`{"findings":[]}`, `lacks the "scanState" field`},
		{`{"scanState":"COMPLETED"}`, `lacks the "findings" field`},
		{`{"scanState":"COMPLETED","findings":null}`, `lacks the "findings" field`},
		{`{"scanState":null,"findings":[]}`, `lacks the "scanState" field`},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			rec := newRecorder(t, answerJSON(http.StatusOK, tt.body))
			c := newTestClient(t, fastConfig(rec.server.URL))

			page, err := c.GetSpaceFindings(testContext(t), "DEV", FindingsQuery{})
			if !errors.Is(err, ErrUnexpectedContent) || page != nil {
				t.Fatalf("got %+v, %v; want nil and ErrUnexpectedContent", page, err)
			}
			for _, want := range []string{tt.problem, "Security for Confluence is installed"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if _, _, err := c.ListContentFindings(testContext(t), "98305", "", FindingsQuery{}); !errors.Is(err, ErrUnexpectedContent) {
				t.Errorf("listing: error = %v, want ErrUnexpectedContent", err)
			}
		})
	}
}

func TestRulesAnswerMustBeAnArray(t *testing.T) {
	tests := []struct{ body, kind string }{
		{`null`, "is null"},
		{`{"rules":[]}`, "is an object"},
		{`"JWT"`, "is a string"},
		{`7`, "is a number"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			rec := newRecorder(t, answerJSON(http.StatusOK, tt.body))
			c := newTestClient(t, fastConfig(rec.server.URL))

			rules, err := c.ListRules(testContext(t))
			if !errors.Is(err, ErrUnexpectedContent) || rules != nil {
				t.Fatalf("got %v, %v; want nil and ErrUnexpectedContent", rules, err)
			}
			want := "the rules answer " + tt.kind + " where a JSON array of rules was expected"
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		})
	}

	rec := newRecorder(t, answerJSON(http.StatusOK, `[]`))
	rules, err := newTestClient(t, fastConfig(rec.server.URL)).ListRules(testContext(t))
	if err != nil || rules == nil || len(rules) != 0 {
		t.Errorf("an empty array gave %v, %v; want an empty, non-nil list", rules, err)
	}
}
