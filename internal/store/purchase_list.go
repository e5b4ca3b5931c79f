package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"buyright/internal/model"
)

// PurchaseFilter narrows the purchase list. Zero values mean "any".
type PurchaseFilter struct {
	Query      string // words in the title, case-insensitive
	Stage      model.Stage
	Sector     model.Sector
	Technology model.Technology
	Flag       string // a red flag of the OCDS screener on imported purchases
	OrgID      int64  // for oversight bodies with several bodies in remit
	LeadUserID int64
	Sort       string // "updated" (default), "title", "review"
	Page       int    // from 1
	PerPage    int
	NoTotal    bool // skip counting, for short lists such as "recently changed"
}

// PurchaseList is one page of purchases and the total that matched.
type PurchaseList struct {
	Items   []*model.Purchase
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages for the total.
func (l *PurchaseList) Pages() int {
	if l.PerPage == 0 {
		return 0
	}
	return (l.Total + l.PerPage - 1) / l.PerPage
}

// likeEscape makes user text match literally inside LIKE.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// titleContains is the condition "the title contains q, ignoring case",
// with its one argument, answered from an index (migration 0034). On
// SQLite the trigram index is asked for q as a phrase, which for trigrams
// means the text appears as it is; it needs three characters, so shorter
// text reads the titles. On PostgreSQL the LIKE itself uses pg_trgm's
// index where the extension could be installed.
func (db *DB) titleContains(q string) (string, any) {
	if db.dialect == SQLite && utf8.RuneCountInString(q) >= 3 {
		return "p.id IN (SELECT rowid FROM purchase_title_fts WHERE purchase_title_fts MATCH ?)", `"` + strings.ReplaceAll(q, `"`, `""`) + `"`
	}
	return `LOWER(p.title) LIKE ? ESCAPE '\'`, "%" + likeEscape(strings.ToLower(q)) + "%"
}

// Purchases lists the purchases u may see that match f.
func (db *DB) Purchases(ctx context.Context, u *model.User, f PurchaseFilter) (*PurchaseList, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 25
	}
	f.Page = boundPage(f.Page)
	var where []string
	args := []any{u.OrgID}
	where = append(where, visible(u, 1))
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		cond, arg := db.titleContains(q)
		add(cond, arg)
	}
	if f.Stage != "" {
		add("p.stage = ?", f.Stage)
	}
	if f.Sector != "" {
		add("p.sector = ?", f.Sector)
	}
	if f.Technology != "" {
		add(`p.technologies LIKE ? ESCAPE '\'`, "%,"+likeEscape(string(f.Technology))+",%")
	}
	if f.Flag != "" {
		add("EXISTS (SELECT 1 FROM purchase_flags pf WHERE pf.purchase_id = p.id AND pf.flag_id = ?)", f.Flag)
	}
	if f.OrgID != 0 {
		add("p.org_id = ?", f.OrgID)
	}
	if f.LeadUserID != 0 {
		add("p.lead_user_id = ?", f.LeadUserID)
	}
	cond := strings.Join(where, " AND ")
	order := "p.updated_at DESC, p.id DESC"
	switch f.Sort {
	case "title":
		order = "LOWER(p.title), p.id"
	case "review":
		order = "CASE WHEN p.review_date IS NULL THEN 1 ELSE 0 END, p.review_date, p.id"
	}
	list := &PurchaseList{Page: f.Page, PerPage: f.PerPage}
	if err := db.countPurchases(ctx, u, f, cond, args, &list.Total); err != nil {
		return nil, err
	}
	// The page's ids are found first, from the index where the order
	// allows it, and only those rows are read whole: a deep page (OFFSET
	// 5,000) skips index entries, not table rows. LIMIT and OFFSET are
	// written as numbers (both are ints bounded above) so that
	// PostgreSQL's reused plan knows the page is small; with parameters
	// it planned for 1,000 rows and joined by reading the whole table.
	q := fmt.Sprintf("SELECT %s%s%s JOIN (SELECT p.id FROM purchases p WHERE %s ORDER BY %s LIMIT %d OFFSET %d) k ON k.id = p.id%s ORDER BY %s",
		purchaseColumns, namesColumns, purchaseFrom, cond, order, f.PerPage, (f.Page-1)*f.PerPage, namesJoin, order)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: purchases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanNamed(rows)
		if err != nil {
			return nil, fmt.Errorf("store: purchases: %w", err)
		}
		list.Items = append(list.Items, p)
	}
	return list, rows.Err()
}

// countPurchases finds the total for a list: from the kept counts when
// the list is filtered by stage at most, else by counting rows.
func (db *DB) countPurchases(ctx context.Context, u *model.User, f PurchaseFilter, cond string, args []any, total *int) error {
	if f.NoTotal {
		return nil
	}
	if f.Query == "" && f.Sector == "" && f.Technology == "" && f.Flag == "" && f.OrgID == 0 && f.LeadUserID == 0 {
		counts, ok, err := db.stageCounts(ctx, u)
		if err != nil {
			return err
		}
		if ok {
			for s, n := range counts {
				if f.Stage == "" || s == f.Stage {
					*total += n
				}
			}
			return nil
		}
	}
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM purchases p WHERE "+cond, args...).Scan(total); err != nil {
		return fmt.Errorf("store: count purchases: %w", err)
	}
	return nil
}

// StageCount is how many visible purchases are in one stage.
type StageCount struct {
	Stage model.Stage
	Count int
}

// CountByStage counts the purchases u may see per stage, in lifecycle
// order, including stages with none. With mine set, only those u leads.
func (db *DB) CountByStage(ctx context.Context, u *model.User, mine bool) ([]StageCount, error) {
	if !mine {
		counts, ok, err := db.stageCounts(ctx, u)
		if err != nil {
			return nil, err
		}
		if ok {
			return inStageOrder(counts), nil
		}
	}
	q := "SELECT p.stage, COUNT(*) FROM purchases p WHERE " + visible(u, 1)
	args := []any{u.OrgID}
	if mine {
		q += " AND p.lead_user_id = $2"
		args = append(args, u.ID)
	}
	rows, err := db.read.QueryContext(ctx, q+" GROUP BY p.stage", args...)
	if err != nil {
		return nil, fmt.Errorf("store: count by stage: %w", err)
	}
	defer rows.Close()
	counts := map[model.Stage]int{}
	for rows.Next() {
		var s model.Stage
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		counts[s] = n
	}
	return inStageOrder(counts), rows.Err()
}

func inStageOrder(counts map[model.Stage]int) []StageCount {
	out := make([]StageCount, 0, len(model.AllStages))
	for _, s := range model.AllStages {
		out = append(out, StageCount{s, counts[s]})
	}
	return out
}

// Due is a date coming up (or passed) on an open purchase.
type Due struct {
	Purchase *model.Purchase
	Kind     string // "review" or "sunset"
	Date     model.Date
	Overdue  bool
}

// DueDates lists reviews and sunsets of open purchases u may see falling
// on or before until, earliest first (overdue ones included).
func (db *DB) DueDates(ctx context.Context, u *model.User, until model.Date, limit int) ([]Due, error) {
	today := model.DateOf(db.now())
	var out []Due
	for _, kind := range []string{"review", "sunset"} {
		col := "p." + kind + "_date"
		q := fmt.Sprintf("SELECT %s%s WHERE %s AND %s IS NOT NULL AND %s <= $2 AND p.stage NOT IN ('closed', 'cancelled') ORDER BY %s, p.id LIMIT $3",
			purchaseColumns, purchaseFrom, visible(u, 1), col, col, col)
		rows, err := db.read.QueryContext(ctx, q, u.OrgID, until, limit)
		if err != nil {
			return nil, fmt.Errorf("store: due dates: %w", err)
		}
		for rows.Next() {
			p, err := scanPurchase(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			d := p.ReviewDate
			if kind == "sunset" {
				d = p.SunsetDate
			}
			out = append(out, Due{Purchase: p, Kind: kind, Date: d, Overdue: d.Before(today)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// Reviews, sunsets and renewal decisions scheduled on the contract,
	// part of the record, which an invited supplier does not see.
	if seesRecords(u) {
		more, err := db.contractReviewsDue(ctx, u, until, today, limit)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	// Merge the short lists by date.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Date.Before(out[j-1].Date); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	ps := make([]*model.Purchase, len(out))
	for i := range out {
		ps[i] = out[i].Purchase
	}
	return out, db.fillNames(ctx, ps)
}

// contractReviewsDue lists the contract reviews not yet held, due by until.
func (db *DB) contractReviewsDue(ctx context.Context, u *model.User, until, today model.Date, limit int) ([]Due, error) {
	var out []Due
	q := fmt.Sprintf("SELECT %s, r.kind, r.due_on%s JOIN contract_reviews r ON r.purchase_id = p.id WHERE %s AND r.outcome = '' AND r.due_on <= $2 AND p.stage NOT IN ('closed', 'cancelled') ORDER BY r.due_on, r.id LIMIT $3",
		purchaseColumns, purchaseFrom, visible(u, 1))
	rows, err := db.read.QueryContext(ctx, q, u.OrgID, until, limit)
	if err != nil {
		return nil, fmt.Errorf("store: due dates: %w", err)
	}
	for rows.Next() {
		var kind string
		var due model.Date
		p, err := scanPurchase(extraScan{rows, []any{&kind, &due}})
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, Due{Purchase: p, Kind: kind, Date: due, Overdue: due.Before(today)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
