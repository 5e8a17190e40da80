package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// spaceFindingsPageSize is the largest page the server hands out, so a listing
// costs as few requests as it can.
const spaceFindingsPageSize = 100

// readSource is the part of *client.Client the cache reads through.
type readSource interface {
	ListRules(ctx context.Context) ([]client.Rule, error)
	ListSpaceFindings(ctx context.Context, spaceKey string, q client.FindingsQuery) ([]client.Finding, client.ListInfo, error)
	GetSpace(ctx context.Context, spaceKey string) (*client.Space, error)
}

// readCache remembers list answers for the life of one provider process,
// which is one terraform command. Resources refreshed in parallel share one
// fetch; a write invalidates what it changed. Errors are never remembered, so
// the next caller tries again.
type readCache struct {
	source readSource
	flight singleflight.Group

	mu               sync.Mutex
	rules            []client.Rule
	rulesLoaded      bool
	rulesGeneration  uint64
	findings         map[findingsKey]*spaceListing
	spaceGenerations map[string]uint64
	spaces           map[string]spaceLookup
}

// spaceListing is one cached listing; index is built with it, and only for
// the unfiltered listing, which is the one that can tell a text's status.
type spaceListing struct {
	findings []client.Finding
	info     client.ListInfo
	index    *findingsIndex
}

// spaceLookup is a remembered answer about a space: found, or not found.
type spaceLookup struct {
	space client.Space
	err   error
}

type findingsKey struct {
	spaceKey string
	reviewed string // "true", "false" or "any"
}

func newReadCache(source readSource) *readCache {
	return &readCache{
		source:           source,
		findings:         map[findingsKey]*spaceListing{},
		spaceGenerations: map[string]uint64{},
		spaces:           map[string]spaceLookup{},
	}
}

// Rules returns every rule the server lists, in its order. The caller owns
// the returned slice.
func (c *readCache) Rules(ctx context.Context) ([]client.Rule, error) {
	c.mu.Lock()
	if c.rulesLoaded {
		rules := slices.Clone(c.rules)
		c.mu.Unlock()
		return rules, nil
	}
	generation := c.rulesGeneration
	c.mu.Unlock()

	// The generation is part of the key so that a caller arriving after an
	// invalidation starts a fresh fetch instead of joining a stale one.
	rules, err := c.shared(ctx, "rules#"+strconv.FormatUint(generation, 10), func(fetchCtx context.Context) (any, error) {
		rules, err := c.source.ListRules(fetchCtx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.rulesGeneration == generation {
			c.rules, c.rulesLoaded = rules, true
		}
		c.mu.Unlock()
		return rules, nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(rules.([]client.Rule)), nil //nolint:forcetypeassert // the function above returns nothing else
}

// SpaceFindings returns the findings of one space, filtered by reviewed state
// when reviewed is not nil. The caller owns the returned slice.
func (c *readCache) SpaceFindings(ctx context.Context, spaceKey string, reviewed *bool) ([]client.Finding, error) {
	findings, _, err := c.SpaceListing(ctx, spaceKey, reviewed)
	return findings, err
}

// SpaceListing is SpaceFindings with how the listing ended, for callers that
// report a list the server may have cut short.
func (c *readCache) SpaceListing(ctx context.Context, spaceKey string, reviewed *bool) ([]client.Finding, client.ListInfo, error) {
	listing, err := c.spaceListing(ctx, spaceKey, reviewed)
	if err != nil {
		return nil, client.ListInfo{}, err
	}
	return slices.Clone(listing.findings), listing.info, nil
}

// SpaceIndex returns the index of every finding of one space, reviewed or
// not. It is shared and read-only: the caller must not change it.
func (c *readCache) SpaceIndex(ctx context.Context, spaceKey string) (*findingsIndex, error) {
	listing, err := c.spaceListing(ctx, spaceKey, nil)
	if err != nil {
		return nil, err
	}
	return listing.index, nil
}

func (c *readCache) spaceListing(ctx context.Context, spaceKey string, reviewed *bool) (*spaceListing, error) {
	key := findingsKey{spaceKey: spaceKey, reviewed: "any"}
	if reviewed != nil {
		key.reviewed = strconv.FormatBool(*reviewed)
	}

	c.mu.Lock()
	if cached, ok := c.findings[key]; ok {
		c.mu.Unlock()
		return cached, nil
	}
	generation := c.spaceGenerations[spaceKey]
	c.mu.Unlock()

	flightKey := fmt.Sprintf("findings#%q#%s#%d", spaceKey, key.reviewed, generation)
	listing, err := c.shared(ctx, flightKey, func(fetchCtx context.Context) (any, error) {
		query := client.FindingsQuery{Size: spaceFindingsPageSize, Reviewed: reviewed}
		findings, info, err := c.source.ListSpaceFindings(fetchCtx, spaceKey, query)
		if err != nil {
			return nil, err
		}
		listing := &spaceListing{findings: findings, info: info}
		if reviewed == nil {
			listing.index = newFindingsIndex(findings)
		}
		c.mu.Lock()
		if c.spaceGenerations[spaceKey] == generation {
			c.findings[key] = listing
		}
		c.mu.Unlock()
		return listing, nil
	})
	if err != nil {
		return nil, err
	}
	return listing.(*spaceListing), nil //nolint:forcetypeassert // the function above returns nothing else
}

// Space looks a space up once per process: spaces are created and deleted
// in Confluence, never by the provider, so neither answer goes stale within
// one terraform command. A space that was not found is remembered too;
// any other error is not, so the next caller tries again.
func (c *readCache) Space(ctx context.Context, spaceKey string) (client.Space, error) {
	c.mu.Lock()
	if cached, ok := c.spaces[spaceKey]; ok {
		c.mu.Unlock()
		return cached.space, cached.err
	}
	c.mu.Unlock()

	answer, err := c.shared(ctx, fmt.Sprintf("space#%q", spaceKey), func(fetchCtx context.Context) (any, error) {
		space, err := c.source.GetSpace(fetchCtx, spaceKey)
		var lookup spaceLookup
		switch {
		case errors.Is(err, client.ErrNotFound):
			lookup.err = err
		case err != nil:
			return nil, err
		default:
			lookup.space = *space
		}
		c.mu.Lock()
		c.spaces[spaceKey] = lookup
		c.mu.Unlock()
		return lookup, nil
	})
	if err != nil {
		return client.Space{}, err
	}
	lookup := answer.(spaceLookup) //nolint:forcetypeassert // the function above returns nothing else
	return lookup.space, lookup.err
}

// InvalidateRules forgets the rule list; call it after changing a rule.
func (c *readCache) InvalidateRules() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rules, c.rulesLoaded = nil, false
	c.rulesGeneration++
}

// InvalidateSpace forgets every listing of one space; call it after a scan or
// a review change in that space.
func (c *readCache) InvalidateSpace(spaceKey string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key := range c.findings {
		if key.spaceKey == spaceKey {
			delete(c.findings, key)
		}
	}
	c.spaceGenerations[spaceKey]++
}

// shared runs fetch once for all concurrent callers of key. The fetch is
// detached from the first caller's cancellation, since other callers may be
// waiting on it; each caller still stops waiting when its own context ends.
func (c *readCache) shared(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	fetchCtx := context.WithoutCancel(ctx)
	results := c.flight.DoChan(key, func() (any, error) { return fetch(fetchCtx) })
	select {
	case result := <-results:
		return result.Val, result.Err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
