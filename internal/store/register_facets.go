package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"buyright/internal/search"
)

// How the register's facet counts stay cheap at a million entries:
//
//   - The whole register's counts live in register_facet_counts, kept by
//     triggers on every write of an entry (migration 0030): the register
//     page without a search reads a few hundred rows, never the entries.
//   - A search reads at most facetSample of its newest matches. When it has
//     no more, the counts are exact; when it has more, the total and the
//     counts are estimated from that sample and shown as "about N".
//   - Counts are cached per search until the register changes. A miss costs
//     each request at most one bounded query; no request waits for another
//     to finish counting (a slow count no longer holds up everyone else).

// facetSample is how many matches a search reads to count its facets. It
// bounds the cost of a cache miss: about 1,000 rows, a few milliseconds.
const facetSample = 1000

// facetCacheValues bounds the cache's memory: the number of facet values
// held across every cached search (about 60 bytes each, so about 12 MB at
// most, twice that with the previous version's). Past it the cache starts
// again empty.
const facetCacheValues = 200_000

// facetCache keeps facet counts per search until the register changes.
// After a change the first request for a search counts it again; requests
// for the same search that arrive meanwhile are served the counts of the
// register before the change, marked as estimates, or count for themselves
// when there are none: nobody waits for anybody.
type facetCache struct {
	mu       sync.Mutex
	version  int64
	values   int
	entries  map[string]counted
	stale    map[string]counted // the previous version's entries
	inflight map[string]bool
	words    map[string][]string // long search words and their expansions
}

type counted struct {
	facets map[string][]Facet
	total  int
	approx bool
	stale  bool // the previous version's counts, served while counted again
	// newest are the ids of the newest matches, newest first, as the
	// sample read them: every match when complete, else the first
	// facetSample. The result pages they cover need no query of their own.
	newest   []int64
	complete bool
}

func (c counted) size() int {
	n := 1 + len(c.newest)/8 // an id takes about an eighth of a value's memory
	for _, fs := range c.facets {
		n += len(fs)
	}
	return n
}

// registerVersion is the newest change to the register, in the database,
// so that several app servers agree on when their caches are stale.
func (db *DB) registerVersion(ctx context.Context) (int64, error) {
	var version int64
	if err := db.read.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM register_changes").Scan(&version); err != nil {
		return 0, fmt.Errorf("store: register version: %w", err)
	}
	return version, nil
}

// cached returns the counts for key at version, or (if staleOK) the
// previous version's counts if another request is counting key now.
// Otherwise it reports a miss and, if nobody is counting key, that this
// request should (own).
func (c *facetCache) cached(version int64, key string, staleOK bool) (hit counted, ok, own bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return counted{}, false, false // read before a newer change another request saw
	}
	c.roll(version)
	if hit, ok := c.entries[key]; ok {
		return hit, true, false
	}
	if c.inflight[key] {
		if !staleOK {
			return counted{}, false, false
		}
		if old, ok := c.stale[key]; ok {
			old.approx, old.stale = true, true
			return old, true, false
		}
		return counted{}, false, false
	}
	c.inflight[key] = true
	return counted{}, false, true
}

// roll starts a new version's cache, keeping the last one's counts to
// serve while they are counted again. The caller holds c.mu.
func (c *facetCache) roll(version int64) {
	if (c.version == version && c.entries != nil) || version < c.version {
		return
	}
	if c.version < version {
		c.stale = c.entries
	}
	c.version, c.values, c.entries, c.words, c.inflight = version, 0, map[string]counted{}, map[string][]string{}, map[string]bool{}
}

// release lets another request count key after this one failed.
func (c *facetCache) release(version int64, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == version {
		delete(c.inflight, key)
	}
}

func (c *facetCache) put(version int64, key string, v counted, own bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return // counted against an older register: do not keep it
	}
	if own {
		delete(c.inflight, key)
	}
	if c.values+v.size() > facetCacheValues {
		c.values, c.entries, c.stale = 0, map[string]counted{}, nil
	}
	c.entries[key] = v
	c.values += v.size()
}

// registerCounts is the whole register's counts, from the counts table.
func (db *DB) registerCounts(ctx context.Context) (counted, error) {
	return db.registerFacets(ctx, RegisterQuery{}, "1 = 1", nil)
}

// searchKey is what names a search in the caches: its words and facets,
// and the reader's language where it changes the matches (only
// PostgreSQL's stemming depends on it).
func (db *DB) searchKey(q RegisterQuery) string {
	terms := search.Terms(q.Text)
	lang := q.Lang
	if db.dialect == SQLite || len(terms) == 0 {
		lang = ""
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%d|%t|%d|%d|%s", lang, strings.Join(terms, " "), q.Sector, q.Technology, q.Stage, q.Level, q.Unscreened, q.OrgID, q.Year, q.Flag)
}

func (db *DB) registerFacets(ctx context.Context, q RegisterQuery, where string, args []any) (counted, error) {
	key := db.searchKey(q)
	version, err := db.registerVersion(ctx)
	if err != nil {
		return counted{}, err
	}
	// The whole register's counts are one cheap read: never stale.
	hit, ok, own := db.facets.cached(version, key, where != "1 = 1")
	if ok {
		return hit, nil
	}
	var c counted
	if where == "1 = 1" {
		c, err = db.countsTable(ctx)
	} else {
		c, err = db.sampleFacets(ctx, q, where, args)
	}
	if err != nil {
		if own {
			db.facets.release(version, key)
		}
		return counted{}, err
	}
	db.facets.put(version, key, c, own)
	return c, nil
}

// countsTable reads the whole register's counts, kept by triggers.
func (db *DB) countsTable(ctx context.Context) (counted, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT facet, value, n FROM register_facet_counts WHERE n > 0")
	if err != nil {
		return counted{}, fmt.Errorf("store: register counts: %w", err)
	}
	defer rows.Close()
	c := counted{facets: emptyFacets()}
	for rows.Next() {
		var f Facet
		var name string
		if err := rows.Scan(&name, &f.Value, &f.Count); err != nil {
			return counted{}, err
		}
		if name == "all" {
			c.total = f.Count
			continue
		}
		c.facets[name] = append(c.facets[name], f)
	}
	if err := rows.Err(); err != nil {
		return counted{}, err
	}
	rows.Close()
	// Red flags are not in the counts table: an entry has any number of
	// them and they belong to the purchase, not the entry. Only imported
	// purchases carry them, so this reads the flag index of published
	// imported purchases, not the register.
	frows, err := db.read.QueryContext(ctx, "SELECT pf.flag_id, COUNT(*) FROM purchase_flags pf JOIN register_entries e ON e.purchase_id = pf.purchase_id GROUP BY pf.flag_id")
	if err != nil {
		return counted{}, fmt.Errorf("store: register flag counts: %w", err)
	}
	defer frows.Close()
	for frows.Next() {
		var f Facet
		if err := frows.Scan(&f.Value, &f.Count); err != nil {
			return counted{}, err
		}
		c.facets["flag"] = append(c.facets["flag"], f)
	}
	if err := frows.Err(); err != nil {
		return counted{}, err
	}
	sortFacets(c.facets)
	return c, nil
}

// sampleFacets counts the facets of a search's newest facetSample matches.
// If there are more, it estimates: the sample covers the newest ids down to
// the last one read, so the share of the register it spans (by id range)
// scales the sample up to the whole. A search on one facet alone takes its
// exact total from the counts table.
func (db *DB) sampleFacets(ctx context.Context, q RegisterQuery, where string, args []any) (counted, error) {
	order := "e.purchase_id DESC"
	from := db.registerFrom(q)
	if strings.Contains(from, "register_fts") {
		order = "f.rowid DESC"
	}
	// An entry's red flags come with it, comma-joined (few rows have any).
	agg := "group_concat(pf.flag_id, ',')"
	if db.dialect == Postgres {
		agg = "string_agg(pf.flag_id, ',')"
	}
	rows, err := db.read.QueryContext(ctx, "SELECT e.purchase_id, e.sector, e.technologies, e.stage, e.impact_level, e.org_id, e.year, COALESCE((SELECT "+agg+" FROM purchase_flags pf WHERE pf.purchase_id = e.purchase_id), '')"+from+
		" WHERE "+where+" ORDER BY "+order+fmt.Sprintf(" LIMIT %d", facetSample+1), db.planEach(args)...)
	if err != nil {
		return counted{}, fmt.Errorf("store: register facets: %w", err)
	}
	defer rows.Close()
	counts := map[string]map[string]int{"sector": {}, "technology": {}, "stage": {}, "level": {}, "org": {}, "year": {}, "flag": {}}
	n, more := 0, false
	var last int64
	newest := make([]int64, 0, 64)
	for rows.Next() {
		if n == facetSample {
			more = true
			break
		}
		var sector, techs, stage, flags string
		var level, year int
		var id, org int64
		if err := rows.Scan(&id, &sector, &techs, &stage, &level, &org, &year, &flags); err != nil {
			return counted{}, err
		}
		n++
		last = id
		newest = append(newest, id)
		counts["sector"][sector]++
		counts["stage"][stage]++
		counts["level"][strconv.Itoa(level)]++
		counts["org"][strconv.FormatInt(org, 10)]++
		counts["year"][strconv.Itoa(year)]++
		for _, t := range strings.Split(strings.Trim(techs, ","), ",") {
			if t != "" {
				counts["technology"][t]++
			}
		}
		for _, f := range strings.Split(flags, ",") {
			if f != "" {
				counts["flag"][f]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return counted{}, err
	}
	rows.Close()
	c := counted{facets: emptyFacets(), total: n, newest: newest, complete: !more}
	scale := 1.0
	if more {
		total, err := db.estimateTotal(ctx, q, last)
		if err != nil {
			return counted{}, err
		}
		scale = float64(total) / float64(n)
		c.approx, c.total = true, total
	}
	for name, m := range counts {
		for v, k := range m {
			if c.approx {
				k = roughly(float64(k) * scale)
			}
			c.facets[name] = append(c.facets[name], Facet{v, k})
		}
	}
	sortFacets(c.facets)
	return c, nil
}

// estimateTotal estimates how many entries a search matches when its
// newest facetSample matches reach down to id last.
func (db *DB) estimateTotal(ctx context.Context, q RegisterQuery, last int64) (int, error) {
	all, err := db.registerCounts(ctx)
	if err != nil {
		return 0, err
	}
	if f, v, ok := oneFacet(q); ok {
		for _, x := range all.facets[f] {
			if x.Value == v {
				return x.Count, nil
			}
		}
	}
	var lo, hi int64
	// Two subqueries: SQLite reads MIN or MAX from the index only when it
	// is the query's one aggregate; both in one SELECT scanned every entry
	// (150 ms of a cold search's 200 ms at a million).
	if err := db.read.QueryRowContext(ctx, "SELECT COALESCE((SELECT MIN(purchase_id) FROM register_entries), 0), COALESCE((SELECT MAX(purchase_id) FROM register_entries), 0)").Scan(&lo, &hi); err != nil {
		return 0, fmt.Errorf("store: register id range: %w", err)
	}
	share := float64(hi-last+1) / float64(hi-lo+1)
	if share <= 0 || share > 1 {
		share = 1
	}
	est := roughly(float64(facetSample) / share)
	return max(min(est, all.total), facetSample+1), nil
}

// oneFacet reports the facet and value of a search on a single facet with
// no words, whose total the counts table holds exactly.
func oneFacet(q RegisterQuery) (string, string, bool) {
	if len(search.Terms(q.Text)) > 0 {
		return "", "", false
	}
	var set [][2]string
	if q.Sector != "" {
		set = append(set, [2]string{"sector", q.Sector})
	}
	if q.Technology != "" {
		set = append(set, [2]string{"technology", q.Technology})
	}
	if q.Stage != "" {
		set = append(set, [2]string{"stage", q.Stage})
	}
	if q.Level != 0 {
		set = append(set, [2]string{"level", strconv.Itoa(q.Level)})
	} else if q.Unscreened {
		set = append(set, [2]string{"level", "0"})
	}
	if q.OrgID != 0 {
		set = append(set, [2]string{"org", strconv.FormatInt(q.OrgID, 10)})
	}
	if q.Year != 0 {
		set = append(set, [2]string{"year", strconv.Itoa(q.Year)})
	}
	if q.Flag != "" {
		set = append(set, [2]string{"flag", q.Flag})
	}
	if len(set) != 1 {
		return "", "", false
	}
	return set[0][0], set[0][1], true
}

// roughly rounds an estimate to two significant figures, so a page never
// shows an estimate more precisely than it was made.
func roughly(x float64) int {
	if x < 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x))-1)
	if p < 1 {
		p = 1
	}
	return int(math.Round(x/p) * p)
}

func emptyFacets() map[string][]Facet {
	return map[string][]Facet{"sector": {}, "technology": {}, "stage": {}, "level": {}, "org": {}, "year": {}, "flag": {}}
}

func sortFacets(out map[string][]Facet) {
	for _, fs := range out {
		sort.Slice(fs, func(i, j int) bool {
			if fs[i].Count != fs[j].Count {
				return fs[i].Count > fs[j].Count
			}
			return fs[i].Value < fs[j].Value
		})
	}
}
