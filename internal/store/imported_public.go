package store

import (
	"context"
	"fmt"
	"strings"

	"buyright/internal/model"
)

// The public view of imported releases shows, for anyone without an
// account, what buyright took from open contracting data and the red flags
// the screener raised on it. Every column here came from the source
// release (title, ocid, value, dates, the stage it showed) or from the
// screener; nothing people typed into buyright afterwards (who is
// affected, the legal basis, assessments) is read, so the view publishes
// nothing that was not already public in the source.

// ImportedQuery is a search of imported releases.
type ImportedQuery struct {
	Text    string // words in the title or the ocid
	Flag    string // a red flag id
	OrgID   int64  // the body the release was imported into
	Page    int
	PerPage int
	// All returns every match without paging (the downloads).
	All bool
}

// ImportedRelease is one imported release as the public view shows it.
type ImportedRelease struct {
	PurchaseID    int64          `json:"-"`
	OCID          string         `json:"ocid"`
	ReleaseID     string         `json:"release_id"`
	ReleaseDate   string         `json:"release_date"`
	Title         string         `json:"title"`
	OrgID         int64          `json:"-"`
	Buyer         string         `json:"buyer"`
	Stage         model.Stage    `json:"stage"`
	ValueMinor    int64          `json:"-"`
	Currency      string         `json:"currency,omitempty"`
	TenderDate    model.Date     `json:"-"`
	AwardDate     model.Date     `json:"-"`
	ContractStart model.Date     `json:"-"`
	ContractEnd   model.Date     `json:"-"`
	Flags         []PurchaseFlag `json:"flags"`
}

// ImportedResult is one page of imported releases, with the counts of
// each flag and body among everything that matched the text.
type ImportedResult struct {
	Items   []ImportedRelease
	Total   int
	Page    int
	PerPage int
	Flags   []Facet // flag id → releases with it, among the matches
	Bodies  []Facet // org id → releases, among the matches
	Names   map[int64]string
}

func (db *DB) importedWhere(q ImportedQuery, skipFlag, skipOrg bool) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		conds = append(conds, cond)
	}
	for _, w := range strings.Fields(strings.ToLower(q.Text)) {
		if len(conds) > 6 {
			break // five words are plenty; more only slow the query
		}
		pat := "%" + likeEscape(w) + "%"
		add(`(LOWER(p.title) LIKE ? ESCAPE '\' OR LOWER(p.ocid) LIKE ? ESCAPE '\')`, pat, pat)
	}
	if q.Flag != "" && !skipFlag {
		add("EXISTS (SELECT 1 FROM purchase_flags f WHERE f.purchase_id = p.id AND f.flag_id = ?)", q.Flag)
	}
	if q.OrgID != 0 && !skipOrg {
		add("p.org_id = ?", q.OrgID)
	}
	return strings.Join(conds, " AND "), args
}

// importedFrom is every imported purchase; the page query adds the body's
// name, which the counts do not need.
const importedFrom = " FROM purchases p JOIN ocds_sources s ON s.purchase_id = p.id"

// ImportedReleases searches imported releases, newest import first.
func (db *DB) ImportedReleases(ctx context.Context, q ImportedQuery) (*ImportedResult, error) {
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 25
	}
	q.Page = boundPage(q.Page)
	res := &ImportedResult{Page: q.Page, PerPage: q.PerPage, Names: map[int64]string{}}
	where, args := db.importedWhere(q, false, false)
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*)"+importedFrom+" WHERE "+where, args...).Scan(&res.Total); err != nil {
		return nil, fmt.Errorf("store: imported releases: %w", err)
	}
	// Facets count over the other filters, so choosing a flag still shows
	// the other flags to switch to.
	fw, fargs := db.importedWhere(q, true, false)
	if err := db.importedFacet(ctx, &res.Flags, "SELECT f.flag_id, COUNT(*)"+importedFrom+" JOIN purchase_flags f ON f.purchase_id = p.id WHERE "+fw+" GROUP BY f.flag_id ORDER BY COUNT(*) DESC, f.flag_id", fargs); err != nil {
		return nil, err
	}
	ow, oargs := db.importedWhere(q, false, true)
	if err := db.importedFacet(ctx, &res.Bodies, "SELECT CAST(p.org_id AS TEXT), COUNT(*)"+importedFrom+" WHERE "+ow+" GROUP BY p.org_id ORDER BY COUNT(*) DESC, p.org_id", oargs); err != nil {
		return nil, err
	}
	query := "SELECT p.id, p.ocid, s.release_id, s.release_date, p.title, p.org_id, o.name, p.stage, p.value_minor, p.currency, " +
		"p.tender_date, p.award_date, p.contract_start, p.contract_end" + importedFrom + " JOIN organisations o ON o.id = p.org_id WHERE " + where + " ORDER BY p.id DESC"
	if !q.All {
		query += fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)+1, len(args)+2)
		args = append(args, q.PerPage, (q.Page-1)*q.PerPage)
	}
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: imported releases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it ImportedRelease
		if err := rows.Scan(&it.PurchaseID, &it.OCID, &it.ReleaseID, &it.ReleaseDate, &it.Title, &it.OrgID, &it.Buyer, &it.Stage,
			&it.ValueMinor, &it.Currency, &it.TenderDate, &it.AwardDate, &it.ContractStart, &it.ContractEnd); err != nil {
			return nil, err
		}
		res.Names[it.OrgID] = it.Buyer
		res.Items = append(res.Items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := db.importedFlags(ctx, res.Items); err != nil {
		return nil, err
	}
	return res, nil
}

func (db *DB) importedFacet(ctx context.Context, out *[]Facet, query string, args []any) error {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: imported facets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f Facet
		if err := rows.Scan(&f.Value, &f.Count); err != nil {
			return err
		}
		*out = append(*out, f)
	}
	return rows.Err()
}

// importedFlags fills in each release's flags, a chunk of releases per
// query.
func (db *DB) importedFlags(ctx context.Context, items []ImportedRelease) error {
	at := map[int64]int{}
	for i := range items {
		at[items[i].PurchaseID] = i
	}
	for start := 0; start < len(items); start += 500 {
		chunk := items[start:min(start+500, len(items))]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, it := range chunk {
			marks[i] = fmt.Sprintf("$%d", i+1)
			args[i] = it.PurchaseID
		}
		rows, err := db.read.QueryContext(ctx, "SELECT purchase_id, flag_id, reason, path FROM purchase_flags WHERE purchase_id IN ("+strings.Join(marks, ",")+") ORDER BY purchase_id, pos", args...)
		if err != nil {
			return fmt.Errorf("store: imported flags: %w", err)
		}
		for rows.Next() {
			var id int64
			var f PurchaseFlag
			if err := rows.Scan(&id, &f.ID, &f.Reason, &f.Path); err != nil {
				rows.Close()
				return err
			}
			items[at[id]].Flags = append(items[at[id]].Flags, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
