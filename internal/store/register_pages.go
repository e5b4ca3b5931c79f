package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// How a register search that many people make at once stays cheap: when a
// story breaks, the press and the public send the same few searches again
// and again, and each used to run its queries anew (a word with two
// facets costs PostgreSQL a bitmap of tens of thousands of entries at a
// million). So whole result pages are kept until the register changes:
//
//   - The key is everything that shapes the page: words, facets, page,
//     and the reader's language (PostgreSQL's stemming depends on it).
//   - The register's version is read from the database on every search
//     (register_changes), as the facet counts do, so a publication,
//     change or withdrawal through any app server empties every server's
//     pages: a withdrawn entry is never shown from the cache.
//   - Requests for a page being computed wait for that one computation
//     instead of repeating it; other searches never wait. A waiter whose
//     leader failed computes the page itself.
//   - A page is kept only when its facet counts are of this version (not
//     the previous version's, served while another request counts them).
//   - Memory is bounded by registerPageBytes; past it the cache starts
//     again empty.

var errNotComputed = errors.New("store: register page not computed")

// registerPageBytes bounds the memory the kept pages hold (estimated from
// their text): about 400 pages of twenty entries with long summaries.
const registerPageBytes = 8 << 20

type pageCache struct {
	mu       sync.Mutex
	version  int64
	bytes    int
	pages    map[string]*RegisterResult
	inflight map[string]*pageCall
	computed atomic.Int64 // pages computed, for tests
	serial   uint64       // the last RegisterResult.Kept given, under mu
}

type pageCall struct {
	done chan struct{}
	res  *RegisterResult
	err  error
}

// get returns the page for key at version, from the cache, from a
// computation under way, or by computing it. compute reports whether its
// result may be kept.
func (c *pageCache) get(ctx context.Context, version int64, key string, compute func() (*RegisterResult, bool, error)) (*RegisterResult, error) {
	c.mu.Lock()
	if version < c.version {
		// Read before a change another request has seen: compute, keep nothing.
		c.mu.Unlock()
		c.computed.Add(1)
		res, _, err := compute()
		return res, err
	}
	if version > c.version || c.pages == nil {
		c.version, c.bytes, c.pages, c.inflight = version, 0, map[string]*RegisterResult{}, map[string]*pageCall{}
	}
	if res, ok := c.pages[key]; ok {
		c.mu.Unlock()
		return res, nil
	}
	if call, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-call.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if call.err == nil {
			return call.res, nil
		}
		c.computed.Add(1)
		res, _, err := compute()
		return res, err
	}
	// Until compute returns, the call counts as failed, so that waiters
	// compute for themselves if it panics.
	call := &pageCall{done: make(chan struct{}), err: errNotComputed}
	c.inflight[key] = call
	c.mu.Unlock()

	keep := false
	defer func() {
		c.mu.Lock()
		if c.version == version && c.inflight[key] == call {
			delete(c.inflight, key)
			if keep {
				size := call.res.size()
				if c.bytes+size > registerPageBytes {
					c.bytes, c.pages = 0, map[string]*RegisterResult{}
				}
				c.serial++
				call.res.Kept = c.serial // before anyone else sees it
				c.pages[key] = call.res
				c.bytes += size
			}
		}
		c.mu.Unlock()
		close(call.done)
	}()
	c.computed.Add(1)
	call.res, keep, call.err = compute()
	keep = keep && call.err == nil
	if call.err != nil {
		// Waiters compute for themselves; nobody reads res.
		return nil, call.err
	}
	return call.res, nil
}

// size estimates the memory a kept page holds.
func (r *RegisterResult) size() int {
	n := 256
	for _, c := range r.Cards {
		n += 96 + len(c.Title) + len(c.OrgName) + len(c.Sector) + len(c.Stage) + len(c.Summary)
	}
	for _, fs := range r.Facets {
		for _, f := range fs {
			n += 40 + len(f.Value)
		}
	}
	return n
}
