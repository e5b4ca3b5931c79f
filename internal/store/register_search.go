package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"buyright/internal/model"
	"buyright/internal/search"
)

// RegisterQuery is a search of the public register.
type RegisterQuery struct {
	Text       string
	Lang       string // the reader's language: its stemming on PostgreSQL
	Sector     string
	Technology string
	Stage      string
	Level      int
	Unscreened bool // only entries with no impact level yet (Level is 0)
	OrgID      int64
	Year       int
	// Flag is a red flag the OCDS screener raised on an imported
	// purchase's release.
	Flag    string
	Page    int
	PerPage int
}

// Facet is one value of a facet with the number of matching entries.
type Facet struct {
	Value string
	Count int
}

// RegisterCard is what a results page shows of an entry.
type RegisterCard struct {
	PurchaseID int64
	Title      string
	OrgName    string
	Sector     string
	Stage      model.Stage
	Level      int
	Summary    string
}

// RegisterResult is one page of entries plus the facet counts of everything
// that matched.
type RegisterResult struct {
	Cards   []RegisterCard
	Total   int
	Page    int
	PerPage int
	Facets  map[string][]Facet // sector, technology, stage, level, org, year, flag
	// Approx is set when Total and the facet counts are estimates, made
	// from the newest 1,000 matches when a search has more, or the counts
	// from before the latest change; the page says "about".
	Approx bool
	// Kept is non-zero when the page is kept until the register changes:
	// a number no other kept page of this process has. A kept page is
	// never modified, so what is drawn from it may be kept under it.
	Kept uint64
}

// registerFrom is the FROM clause for a query: on SQLite a text search
// drives the join from the FTS5 table, which hands back rowids in order.
func (db *DB) registerFrom(q RegisterQuery) string {
	if db.dialect == SQLite && len(search.Terms(q.Text)) > 0 {
		return " FROM register_fts f JOIN register_entries e ON e.purchase_id = f.rowid"
	}
	return " FROM register_entries e"
}

// registerWhere builds the filter shared by the page and the facet queries.
func (db *DB) registerWhere(ctx context.Context, q RegisterQuery) (string, []any, error) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if terms := search.Terms(q.Text); len(terms) > 0 {
		if db.dialect == SQLite {
			m, err := db.ftsMatch(ctx, terms)
			if err != nil {
				return "", nil, err
			}
			if fm := facetMatch(q); fm != "" {
				m += " AND " + fm
			}
			add("f.register_fts MATCH ?", m)
		} else {
			tsq, err := db.pgSearchQuery(ctx, terms, q)
			if err != nil {
				return "", nil, err
			}
			add("e.search_vec @@ CAST(? AS tsquery)", tsq)
		}
	}
	// A text search holds the facets in its index (register_fts_facets.go,
	// register_doc.go); without one, the facets' own indexes serve.
	if len(conds) == 0 {
		if q.Sector != "" {
			add("e.sector = ?", q.Sector)
		}
		if q.Technology != "" {
			add(`e.technologies LIKE ? ESCAPE '\'`, "%,"+likeEscape(q.Technology)+",%")
		}
		if q.Stage != "" {
			add("e.stage = ?", q.Stage)
		}
		if q.Level != 0 {
			add("e.impact_level = ?", q.Level)
		} else if q.Unscreened {
			add("e.impact_level = ?", 0)
		}
		if q.OrgID != 0 {
			add("e.org_id = ?", q.OrgID)
		}
		if q.Year != 0 {
			add("e.year = ?", q.Year)
		}
	}
	if q.Flag != "" {
		add("EXISTS (SELECT 1 FROM purchase_flags pf WHERE pf.purchase_id = e.purchase_id AND pf.flag_id = ?)", q.Flag)
	}
	if len(conds) == 0 {
		return "1 = 1", nil, nil
	}
	return strings.Join(conds, " AND "), args, nil
}

// SearchRegister finds published entries, the most recently registered
// purchase first. The order does not depend on either engine's relevance
// ranking, so SQLite and PostgreSQL give the same page for the same data,
// and it lets SQLite walk the text index backwards and stop after a page.
//
// Pages are kept until the register changes (register_pages.go): the
// result is shared, and callers must not change it.
func (db *DB) SearchRegister(ctx context.Context, q RegisterQuery) (*RegisterResult, error) {
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 20
	}
	q.Page = boundPage(q.Page)
	version, err := db.registerVersion(ctx)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%d|%d", db.searchKey(q), q.Page, q.PerPage)
	return db.pages.get(ctx, version, key, func() (*RegisterResult, bool, error) {
		return db.searchRegister(ctx, q)
	})
}

// searchRegister runs a search; keep reports whether its page may be kept
// for this version of the register.
func (db *DB) searchRegister(ctx context.Context, q RegisterQuery) (res *RegisterResult, keep bool, err error) {
	where, args, err := db.registerWhere(ctx, q)
	if err != nil {
		return nil, false, err
	}
	res = &RegisterResult{Page: q.Page, PerPage: q.PerPage}
	counted, err := db.registerFacets(ctx, q, where, args)
	if err != nil {
		return nil, false, err
	}
	res.Facets, res.Total, res.Approx = counted.facets, counted.total, counted.approx
	offset := (q.Page - 1) * q.PerPage
	if !counted.stale && (offset+q.PerPage <= len(counted.newest) || (counted.complete && counted.newest != nil)) {
		// The facet sample read this page's ids already.
		res.Cards, err = db.registerCards(ctx, counted.newest[min(offset, len(counted.newest)):min(offset+q.PerPage, len(counted.newest))])
	} else {
		res.Cards, err = db.matchesPage(ctx, q, where, args, counted.total)
	}
	if err != nil {
		return nil, false, err
	}
	if res.Approx {
		// An estimate never says fewer than the page shows.
		res.Total = max(res.Total, offset+len(res.Cards))
	}
	return res, !counted.stale, nil
}

// matchesPage reads a page of a search's matches, newest first.
func (db *DB) matchesPage(ctx context.Context, q RegisterQuery, where string, args []any, matches int) ([]RegisterCard, error) {
	n := len(args)
	order := "e.purchase_id DESC"
	if strings.Contains(db.registerFrom(q), "register_fts") {
		order = "f.rowid DESC" // FTS5 yields rowids in this order: no sort
	}
	query := fmt.Sprintf("SELECT e.purchase_id, e.title, e.org_name, e.sector, e.stage, e.impact_level, e.summary%s WHERE %s ORDER BY %s LIMIT $%d OFFSET $%d",
		db.registerFrom(q), where, order, n+1, n+2)
	rare, err := db.rareInRegister(ctx, q, matches)
	if err != nil {
		return nil, err
	}
	if rare {
		// Few matches: find them all through the text index first, then
		// sort. (Walking the register newest-first and testing each entry,
		// which PostgreSQL prefers, reads every row when a word is rare.)
		// The page is cut inside the materialised query, ordered by an
		// expression so that PostgreSQL cannot walk the primary key
		// instead; joined after, it reads 20 rows, where a merge join
		// with all matches walked every entry (1.2 s at 120,000).
		query = fmt.Sprintf("WITH m AS MATERIALIZED (SELECT e.purchase_id FROM register_entries e WHERE %s ORDER BY e.purchase_id + 0 DESC LIMIT $%d OFFSET $%d) "+
			"SELECT e.purchase_id, e.title, e.org_name, e.sector, e.stage, e.impact_level, e.summary FROM register_entries e JOIN m ON m.purchase_id = e.purchase_id "+
			"ORDER BY e.purchase_id DESC", where, n+1, n+2)
	}
	rows, err := db.read.QueryContext(ctx, query, db.planEach(append(args, q.PerPage, (q.Page-1)*q.PerPage))...)
	if err != nil {
		return nil, fmt.Errorf("store: register search: %w", err)
	}
	return scanCards(rows)
}

// registerCards reads the cards of the entries ids, newest first.
func (db *DB) registerCards(ctx context.Context, ids []int64) ([]RegisterCard, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, "SELECT e.purchase_id, e.title, e.org_name, e.sector, e.stage, e.impact_level, e.summary FROM register_entries e WHERE e.purchase_id IN ("+
		joinIDs(ids)+") ORDER BY e.purchase_id DESC")
	if err != nil {
		return nil, fmt.Errorf("store: register cards: %w", err)
	}
	return scanCards(rows)
}

func scanCards(rows *sql.Rows) ([]RegisterCard, error) {
	defer rows.Close()
	var out []RegisterCard
	for rows.Next() {
		var c RegisterCard
		if err := rows.Scan(&c.PurchaseID, &c.Title, &c.OrgName, &c.Sector, &c.Stage, &c.Level, &c.Summary); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// rareInRegister reports whether a PostgreSQL text search should collect
// its matches through the text index and sort them, rather than walk the
// register newest-first testing each entry. Walking reads about
// (offset+page) × entries ÷ matches rows and stops; collecting reads every
// match, each costing several times a tested row (a heap fetch and a
// sort). So the matches are "rare" when walking would read more than four
// times as many rows as there are matches. The facet counts, computed
// first, give the number of matches (or its estimate); the counts table
// gives the number of entries. (A fixed cut-off of 5,000 matches sent a
// common word with a facet, ~1,000 matches in 100,000 entries, down the
// collecting path at 10 ms a query instead of 1 ms walking.)
func (db *DB) rareInRegister(ctx context.Context, q RegisterQuery, matches int) (bool, error) {
	if db.dialect != Postgres || len(search.Terms(q.Text)) == 0 {
		return false, nil
	}
	all, err := db.registerCounts(ctx)
	if err != nil {
		return false, err
	}
	if matches == 0 {
		return true, nil
	}
	walked := int64(q.Page*q.PerPage) * int64(all.total) / int64(matches)
	return int64(matches)*4 < walked, nil
}

// PublicEntry is what the register shows of a purchase.
type PublicEntry struct {
	Purchase    *model.Purchase
	Publication Publication
	Summaries   map[string]string // the summary in other languages
	Level       int
	Findings    []Finding
	Stats       ComplaintStats
	Policy      ComplaintPolicy
	// Assessment is the newest signed-off assessment, nil if none: the
	// register shows its public summary and when it was signed off.
	Assessment *AssessmentVersion
	// Overrides are the gates passed although rules failed: published with
	// the entry, because the public should see where due diligence was cut.
	Overrides []model.GateOverride
	// Consultations are the public consultations on the purchase, with
	// their reports once published.
	Consultations []PublicConsultation
}

// RegisterEntry returns a published entry, or not found.
func (db *DB) RegisterEntry(ctx context.Context, purchaseID int64) (*PublicEntry, error) {
	var level int
	err := db.read.QueryRowContext(ctx, "SELECT impact_level FROM register_entries WHERE purchase_id = $1", purchaseID).Scan(&level)
	if err != nil {
		return nil, model.NotFound("register entry")
	}
	p, err := db.purchaseByID(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	e := &PublicEntry{Purchase: p, Level: level}
	if e.Publication, err = db.Publication(ctx, purchaseID); err != nil {
		return nil, err
	}
	if e.Findings, err = db.Findings(ctx, purchaseID); err != nil {
		return nil, err
	}
	if e.Summaries, err = db.SummaryTranslations(ctx, purchaseID); err != nil {
		return nil, err
	}
	if e.Stats, err = db.ComplaintStats(ctx, purchaseID); err != nil {
		return nil, err
	}
	if e.Policy, err = db.ComplaintPolicy(ctx, p.OrgID); err != nil {
		return nil, err
	}
	if e.Assessment, err = db.SignedAssessment(ctx, purchaseID); err != nil {
		return nil, err
	}
	if e.Consultations, err = db.RegisterConsultations(ctx, purchaseID); err != nil {
		return nil, err
	}
	hist, err := db.StageHistory(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	for _, c := range hist {
		if c.Override != nil {
			e.Overrides = append(e.Overrides, *c.Override)
		}
	}
	return e, nil
}

// RegisterChange is one line of the Atom feed.
type RegisterChange struct {
	ID         int64
	PurchaseID int64
	Title      string
	Kind       string
	At         time.Time
}

// RegisterChanges lists the newest changes to published entries, each with
// the title that was public at the time (never the purchase's current one).
func (db *DB) RegisterChanges(ctx context.Context, limit int) ([]RegisterChange, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.purchase_id, c.title, c.kind, c.at FROM register_changes c
		ORDER BY c.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: register changes: %w", err)
	}
	defer rows.Close()
	var out []RegisterChange
	for rows.Next() {
		var c RegisterChange
		if err := rows.Scan(&c.ID, &c.PurchaseID, &c.Title, &c.Kind, &c.At); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PublishedTitle is the title under which a purchase is, or last was, on
// the public register ("" if it never was), for pages outside an account
// that name it, such as a complainant's follow-up page.
func (db *DB) PublishedTitle(ctx context.Context, purchaseID int64) (string, error) {
	var title string
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT title FROM register_entries WHERE purchase_id = $1),
		(SELECT title FROM register_changes WHERE purchase_id = $1 AND title <> '' ORDER BY id DESC LIMIT 1), '')`, purchaseID).Scan(&title)
	if err != nil {
		return "", fmt.Errorf("store: published title: %w", err)
	}
	return title, nil
}

// AllRegisterIDs lists every published entry, for downloads.
func (db *DB) AllRegisterIDs(ctx context.Context) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT purchase_id FROM register_entries ORDER BY purchase_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SignedAssessment returns the newest signed-off version of a purchase's
// assessment, or nil: drafts never reach the public.
func (db *DB) SignedAssessment(ctx context.Context, purchaseID int64) (*AssessmentVersion, error) {
	v, err := scanAssessment(db.read.QueryRowContext(ctx, "SELECT "+assessmentColumns+" FROM assessment_versions WHERE purchase_id = $1 AND status = $2 ORDER BY version DESC LIMIT 1", purchaseID, AssessmentSigned))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: signed assessment: %w", err)
	}
	return v, nil
}
