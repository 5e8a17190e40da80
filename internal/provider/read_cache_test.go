package provider

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// countingSource answers like the client and counts every call. When gate is
// set, each call waits for it, so a test can hold a fetch in flight.
type countingSource struct {
	ruleCalls     atomic.Int32
	findingsCalls atomic.Int32
	spaceCalls    atomic.Int32
	gate          chan struct{}

	mu       sync.Mutex
	rules    []client.Rule
	fail     error
	queries  []client.FindingsQuery
	findings map[string][]client.Finding
	// listInfo is what every listing reports about how it ended.
	listInfo client.ListInfo
	// spaces holds the keys GetSpace finds; any other key is not found.
	spaces map[string]bool
}

func (s *countingSource) ListRules(ctx context.Context) ([]client.Rule, error) {
	s.ruleCalls.Add(1)
	s.wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	return append([]client.Rule(nil), s.rules...), nil
}

func (s *countingSource) ListSpaceFindings(ctx context.Context, spaceKey string, q client.FindingsQuery) ([]client.Finding, client.ListInfo, error) {
	s.findingsCalls.Add(1)
	s.wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, q)
	if s.fail != nil {
		return nil, client.ListInfo{}, s.fail
	}
	var out []client.Finding
	for _, f := range s.findings[spaceKey] {
		if q.Reviewed == nil || f.Reviewed == *q.Reviewed {
			out = append(out, f)
		}
	}
	return out, s.listInfo, nil
}

func (s *countingSource) GetSpace(ctx context.Context, spaceKey string) (*client.Space, error) {
	s.spaceCalls.Add(1)
	s.wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	if !s.spaces[spaceKey] {
		return nil, &client.APIError{StatusCode: 404, Err: client.ErrNotFound}
	}
	return &client.Space{Key: spaceKey, Name: "Space " + spaceKey, Type: "global"}, nil
}

func (s *countingSource) wait() {
	if s.gate != nil {
		<-s.gate
	}
}

func (s *countingSource) setRules(rules ...client.Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = rules
}

func (s *countingSource) setFail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

func TestReadCacheRulesFetchedOnce(t *testing.T) {
	source := &countingSource{rules: []client.Rule{{Name: "AWS_CLIENT_ID", BuiltIn: true, Enabled: true}}}
	cache := newReadCache(source)

	for range 3 {
		rules, err := cache.Rules(t.Context())
		if err != nil {
			t.Fatalf("Rules: %v", err)
		}
		if len(rules) != 1 || rules[0].Name != "AWS_CLIENT_ID" {
			t.Fatalf("Rules = %+v, want the one rule AWS_CLIENT_ID", rules)
		}
	}
	if got := source.ruleCalls.Load(); got != 1 {
		t.Errorf("ListRules called %d times, want 1", got)
	}
}

func TestReadCacheRulesCallerOwnsSlice(t *testing.T) {
	source := &countingSource{rules: []client.Rule{{Name: "JWT", BuiltIn: true}}}
	cache := newReadCache(source)

	first, _ := cache.Rules(t.Context())
	first[0].Name = "CHANGED"
	second, _ := cache.Rules(t.Context())
	if second[0].Name != "JWT" {
		t.Errorf("a caller's change leaked into the cache: got %q, want JWT", second[0].Name)
	}
}

func TestReadCacheRulesConcurrentCallersShareOneFetch(t *testing.T) {
	source := &countingSource{rules: []client.Rule{{Name: "JWT", BuiltIn: true}}, gate: make(chan struct{})}
	cache := newReadCache(source)

	const callers = 20
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			rules, err := cache.Rules(context.Background())
			if err == nil && len(rules) != 1 {
				err = errors.New("wrong number of rules")
			}
			errs <- err
		})
	}

	waitFor(t, func() bool { return source.ruleCalls.Load() == 1 })
	// Give the other callers time to join the fetch in flight.
	time.Sleep(50 * time.Millisecond)
	close(source.gate)
	wg.Wait()
	close(errs)

	for err := range errs {
		if err != nil {
			t.Errorf("Rules: %v", err)
		}
	}
	if got := source.ruleCalls.Load(); got != 1 {
		t.Errorf("ListRules called %d times by %d concurrent callers, want 1", got, callers)
	}
}

func TestReadCacheRulesErrorsAreNotCached(t *testing.T) {
	source := &countingSource{rules: []client.Rule{{Name: "JWT", BuiltIn: true}}}
	source.setFail(client.ErrServer)
	cache := newReadCache(source)

	if _, err := cache.Rules(t.Context()); !errors.Is(err, client.ErrServer) {
		t.Fatalf("Rules error = %v, want ErrServer", err)
	}
	source.setFail(nil)
	rules, err := cache.Rules(t.Context())
	if err != nil || len(rules) != 1 {
		t.Fatalf("Rules after recovery = %+v, %v; want one rule and no error", rules, err)
	}
	if got := source.ruleCalls.Load(); got != 2 {
		t.Errorf("ListRules called %d times, want 2 (the failure must not be cached)", got)
	}
}

func TestReadCacheInvalidateRules(t *testing.T) {
	source := &countingSource{rules: []client.Rule{{Name: "JWT", BuiltIn: true, Enabled: true}}}
	cache := newReadCache(source)

	if _, err := cache.Rules(t.Context()); err != nil {
		t.Fatal(err)
	}
	source.setRules(client.Rule{Name: "JWT", BuiltIn: true, Enabled: false})
	cache.InvalidateRules()

	rules, err := cache.Rules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rules[0].Enabled {
		t.Error("Rules after InvalidateRules still answers the old list")
	}
	if got := source.ruleCalls.Load(); got != 2 {
		t.Errorf("ListRules called %d times, want 2", got)
	}
}

// A fetch that started before an invalidation may hold the old answer, so it
// must not be stored, and later callers must not join it.
func TestReadCacheInvalidateDuringFetch(t *testing.T) {
	source := &countingSource{rules: []client.Rule{{Name: "JWT", BuiltIn: true, Enabled: true}}, gate: make(chan struct{})}
	cache := newReadCache(source)

	stale := make(chan []client.Rule, 1)
	go func() {
		rules, _ := cache.Rules(context.Background())
		stale <- rules
	}()
	waitFor(t, func() bool { return source.ruleCalls.Load() == 1 })

	cache.InvalidateRules()
	close(source.gate) // from here on every fetch answers at once
	<-stale

	source.setRules(client.Rule{Name: "JWT", BuiltIn: true, Enabled: false})
	rules, err := cache.Rules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rules[0].Enabled {
		t.Error("the fetch begun before InvalidateRules was cached")
	}
	if got := source.ruleCalls.Load(); got != 2 {
		t.Errorf("ListRules called %d times, want 2", got)
	}
}

func TestReadCacheWaiterStopsOnItsOwnCancellation(t *testing.T) {
	source := &countingSource{gate: make(chan struct{})}
	defer close(source.gate)
	cache := newReadCache(source)

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := cache.Rules(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Rules error = %v, want context.DeadlineExceeded", err)
	}
}

func TestReadCacheSpaceFindings(t *testing.T) {
	source := &countingSource{findings: map[string][]client.Finding{
		"DEV": {{RuleName: "JWT", SpaceKey: "DEV", Reviewed: true}, {RuleName: "AWS_CLIENT_ID", SpaceKey: "DEV"}},
		"OPS": {{RuleName: "JWT", SpaceKey: "OPS"}},
	}}
	cache := newReadCache(source)
	reviewed := true

	cases := []struct {
		space    string
		reviewed *bool
		want     int
	}{
		{"DEV", nil, 2},
		{"DEV", &reviewed, 1},
		{"OPS", nil, 1},
	}
	for range 2 {
		for _, tc := range cases {
			findings, err := cache.SpaceFindings(t.Context(), tc.space, tc.reviewed)
			if err != nil {
				t.Fatalf("SpaceFindings(%s): %v", tc.space, err)
			}
			if len(findings) != tc.want {
				t.Errorf("SpaceFindings(%s, %v) = %d findings, want %d", tc.space, tc.reviewed, len(findings), tc.want)
			}
		}
	}
	if got := source.findingsCalls.Load(); got != int32(len(cases)) {
		t.Errorf("ListSpaceFindings called %d times, want %d (one per space and reviewed state)", got, len(cases))
	}
	for _, q := range source.queries {
		if q.Size != 100 || q.Page != 0 {
			t.Errorf("query = %+v, want page 0 and size 100", q)
		}
	}
}

func TestReadCacheInvalidateSpace(t *testing.T) {
	source := &countingSource{findings: map[string][]client.Finding{
		"DEV": {{RuleName: "JWT", SpaceKey: "DEV"}},
		"OPS": {{RuleName: "JWT", SpaceKey: "OPS"}},
	}}
	cache := newReadCache(source)
	unreviewed := false

	for _, space := range []string{"DEV", "OPS"} {
		if _, err := cache.SpaceFindings(t.Context(), space, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cache.SpaceFindings(t.Context(), "DEV", &unreviewed); err != nil {
		t.Fatal(err)
	}

	cache.InvalidateSpace("DEV")
	for _, space := range []string{"DEV", "OPS"} {
		if _, err := cache.SpaceFindings(t.Context(), space, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cache.SpaceFindings(t.Context(), "DEV", &unreviewed); err != nil {
		t.Fatal(err)
	}

	// 3 first fetches, then DEV twice again; OPS stays cached.
	if got := source.findingsCalls.Load(); got != 5 {
		t.Errorf("ListSpaceFindings called %d times, want 5", got)
	}
}

func TestReadCacheSpaceFindingsErrorsAreNotCached(t *testing.T) {
	source := &countingSource{findings: map[string][]client.Finding{"DEV": {{RuleName: "JWT"}}}}
	source.setFail(client.ErrForbidden)
	cache := newReadCache(source)

	if _, err := cache.SpaceFindings(t.Context(), "DEV", nil); !errors.Is(err, client.ErrForbidden) {
		t.Fatalf("SpaceFindings error = %v, want ErrForbidden", err)
	}
	source.setFail(nil)
	findings, err := cache.SpaceFindings(t.Context(), "DEV", nil)
	if err != nil || len(findings) != 1 {
		t.Fatalf("SpaceFindings after recovery = %d findings, %v; want 1 and no error", len(findings), err)
	}
}

func waitFor(t *testing.T, condition func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !condition() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestReadCacheSpaceLookedUpOncePerKey(t *testing.T) {
	source := &countingSource{spaces: map[string]bool{"DEV": true}}
	cache := newReadCache(source)

	for range 3 {
		space, err := cache.Space(t.Context(), "DEV")
		if err != nil || space.Key != "DEV" {
			t.Fatalf("Space(DEV) = %+v, %v; want the space and no error", space, err)
		}
		if _, err := cache.Space(t.Context(), "GONE"); !errors.Is(err, client.ErrNotFound) {
			t.Fatalf("Space(GONE) error = %v, want ErrNotFound", err)
		}
	}
	if got := source.spaceCalls.Load(); got != 2 {
		t.Errorf("GetSpace called %d times for two keys asked three times each, want 2", got)
	}
}

func TestReadCacheSpaceConcurrentCallersShareOneLookup(t *testing.T) {
	source := &countingSource{spaces: map[string]bool{"DEV": true}, gate: make(chan struct{})}
	cache := newReadCache(source)

	const callers = 20
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			_, err := cache.Space(context.Background(), "DEV")
			errs <- err
		})
	}
	waitFor(t, func() bool { return source.spaceCalls.Load() == 1 })
	time.Sleep(50 * time.Millisecond)
	close(source.gate)
	wg.Wait()
	close(errs)

	for err := range errs {
		if err != nil {
			t.Errorf("Space: %v", err)
		}
	}
	if got := source.spaceCalls.Load(); got != 1 {
		t.Errorf("GetSpace called %d times by %d concurrent callers, want 1", got, callers)
	}
}

func TestReadCacheSpaceErrorsOtherThanNotFoundAreNotCached(t *testing.T) {
	source := &countingSource{spaces: map[string]bool{"DEV": true}}
	source.setFail(client.ErrServer)
	cache := newReadCache(source)

	if _, err := cache.Space(t.Context(), "DEV"); !errors.Is(err, client.ErrServer) {
		t.Fatalf("Space error = %v, want ErrServer", err)
	}
	source.setFail(nil)
	if _, err := cache.Space(t.Context(), "DEV"); err != nil {
		t.Fatalf("Space after recovery: %v", err)
	}
	if got := source.spaceCalls.Load(); got != 2 {
		t.Errorf("GetSpace called %d times, want 2 (the failure must not be cached)", got)
	}
}

func TestReadCacheSpaceIndex(t *testing.T) {
	reviewedText, unreviewedText, bothText := "ghp_reviewed", "AKIAUNREVIEWED", "shared-text"
	source := &countingSource{findings: map[string][]client.Finding{
		"DEV": {
			{RuleName: "GITHUB_TOKEN", MatchText: reviewedText, Reviewed: true},
			{RuleName: "AWS_CLIENT_ID", MatchText: unreviewedText},
			// The same text under two rules, reviewed under one of them only.
			{RuleName: "JWT", MatchText: bothText},
			{RuleName: "GENERIC_API_KEY", MatchText: bothText, Reviewed: true},
		},
	}}
	cache := newReadCache(source)

	index, err := cache.SpaceIndex(t.Context(), "DEV")
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]reviewStatus{
		reviewedText:   textListedReviewed,
		unreviewedText: textListedUnreviewed,
		bothText:       textListedReviewed,
		"not listed":   textNotListed,
	}
	for text, want := range statuses {
		if got := index.Status(matchTextSHA256(text)); got != want {
			t.Errorf("Status of the text %q = %d, want %d", text, got, want)
		}
	}

	lookups := []struct {
		rule, text string
		found      bool
	}{
		{"", bothText, true},
		{"JWT", bothText, true},
		{"GENERIC_API_KEY", bothText, true},
		{"AWS_CLIENT_ID", bothText, false},
		{"AWS_CLIENT_ID", unreviewedText, true},
		{"", "not listed", false},
	}
	for _, lookup := range lookups {
		text, ok := index.Text(lookup.rule, matchTextSHA256(lookup.text))
		if ok != lookup.found || (ok && text != lookup.text) {
			t.Errorf("Text(%q, hash of %q) = %q, %v; want found %v", lookup.rule, lookup.text, text, ok, lookup.found)
		}
	}

	again, err := cache.SpaceIndex(t.Context(), "DEV")
	if err != nil {
		t.Fatal(err)
	}
	if again != index {
		t.Error("a second SpaceIndex built a new index instead of sharing the cached one")
	}
	if _, err := cache.SpaceFindings(t.Context(), "DEV", nil); err != nil {
		t.Fatal(err)
	}
	if got := source.findingsCalls.Load(); got != 1 {
		t.Errorf("ListSpaceFindings called %d times, want 1: the index and the listing share one fetch", got)
	}
}

func TestReadCacheInvalidateSpaceDropsIndex(t *testing.T) {
	text := "ghp_reviewed_later"
	source := &countingSource{findings: map[string][]client.Finding{
		"DEV": {{RuleName: "GITHUB_TOKEN", MatchText: text}},
	}}
	cache := newReadCache(source)

	before, err := cache.SpaceIndex(t.Context(), "DEV")
	if err != nil {
		t.Fatal(err)
	}
	source.mu.Lock()
	source.findings["DEV"] = []client.Finding{{RuleName: "GITHUB_TOKEN", MatchText: text, Reviewed: true}}
	source.mu.Unlock()
	cache.InvalidateSpace("DEV")

	after, err := cache.SpaceIndex(t.Context(), "DEV")
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Status(matchTextSHA256(text)); got != textListedReviewed {
		t.Errorf("Status after InvalidateSpace = %d, want reviewed (%d)", got, textListedReviewed)
	}
	if got := before.Status(matchTextSHA256(text)); got != textListedUnreviewed {
		t.Errorf("the index handed out before the write changed: Status = %d, want unreviewed", got)
	}
	if got := source.findingsCalls.Load(); got != 2 {
		t.Errorf("ListSpaceFindings called %d times, want 2", got)
	}
}

// A listing begun before a write must not leave its index in the cache.
func TestReadCacheInvalidateSpaceDuringFetchDropsIndex(t *testing.T) {
	text := "ghp_reviewed_mid_fetch"
	source := &countingSource{
		findings: map[string][]client.Finding{"DEV": {{RuleName: "GITHUB_TOKEN", MatchText: text}}},
		gate:     make(chan struct{}),
	}
	cache := newReadCache(source)

	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = cache.SpaceIndex(context.Background(), "DEV")
	}()
	waitFor(t, func() bool { return source.findingsCalls.Load() == 1 })
	cache.InvalidateSpace("DEV")
	close(source.gate)
	<-done

	source.mu.Lock()
	source.findings["DEV"] = []client.Finding{{RuleName: "GITHUB_TOKEN", MatchText: text, Reviewed: true}}
	source.mu.Unlock()
	index, err := cache.SpaceIndex(t.Context(), "DEV")
	if err != nil {
		t.Fatal(err)
	}
	if got := index.Status(matchTextSHA256(text)); got != textListedReviewed {
		t.Errorf("Status = %d, want reviewed: the index fetched before InvalidateSpace was cached", got)
	}
}

// TestReadCacheKeepsListInfo hands every caller of a cached listing the way
// it ended, so a cut-short list is reported however often it is read.
func TestReadCacheKeepsListInfo(t *testing.T) {
	want := client.ListInfo{Pages: 2, EndedOnRepeat: true}
	source := &countingSource{
		findings: map[string][]client.Finding{"DEV": {{RuleName: "JWT", MatchText: "a"}}},
		listInfo: want,
	}
	cache := newReadCache(source)
	for range 2 {
		findings, info, err := cache.SpaceListing(t.Context(), "DEV", nil)
		if err != nil || len(findings) != 1 || info != want {
			t.Fatalf("SpaceListing = %d findings, %+v, %v; want 1, %+v", len(findings), info, err, want)
		}
	}
	if got := source.findingsCalls.Load(); got != 1 {
		t.Errorf("ListSpaceFindings called %d times, want 1", got)
	}
}
