package store

import (
	"context"
	"fmt"
	"slices"
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
	return fetch(ctx, db, func(b *Batch, out **PurchaseList) { b.Purchases(u, f, out) })
}

// Purchases queues the reads of Purchases into out: the page and its
// total go together.
func (b *Batch) Purchases(u *model.User, f PurchaseFilter, out **PurchaseList) {
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
		cond, arg := b.db.titleContains(q)
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
	*out = list
	b.countPurchases(u, f, cond, args, &list.Total)
	// The page's ids are found first, from the index where the order
	// allows it, and only those rows are read whole: a deep page (OFFSET
	// 5,000) skips index entries, not table rows. LIMIT and OFFSET are
	// written as numbers (both are ints bounded above) so that
	// PostgreSQL's reused plan knows the page is small; with parameters
	// it planned for 1,000 rows and joined by reading the whole table.
	q := fmt.Sprintf("SELECT %s%s%s JOIN (SELECT p.id FROM purchases p WHERE %s ORDER BY %s LIMIT %d OFFSET %d) k ON k.id = p.id%s ORDER BY %s",
		purchaseColumns, namesColumns, purchaseFrom, cond, order, f.PerPage, (f.Page-1)*f.PerPage, namesJoin, order)
	b.read("purchases", q, args, appendRow(&list.Items, scanNamed))
}

// countPurchases queues the total of a list: from the kept counts when
// the list is filtered by stage at most, else by counting rows.
func (b *Batch) countPurchases(u *model.User, f PurchaseFilter, cond string, args []any, total *int) {
	if f.NoTotal {
		return
	}
	if f.Query == "" && f.Sector == "" && f.Technology == "" && f.Flag == "" && f.OrgID == 0 && f.LeadUserID == 0 {
		counts := map[model.Stage]int{}
		if b.stageCounts(u, counts) {
			b.Then(func(context.Context) error {
				for s, n := range counts {
					if f.Stage == "" || s == f.Stage {
						*total += n
					}
				}
				return nil
			})
			return
		}
	}
	b.read("count purchases", "SELECT COUNT(*) FROM purchases p WHERE "+cond, args, func(rs rowScanner) error { return rs.Scan(total) })
}

// StageCount is how many visible purchases are in one stage.
type StageCount struct {
	Stage model.Stage
	Count int
}

// CountByStage counts the purchases u may see per stage, in lifecycle
// order, including stages with none. With mine set, only those u leads.
func (db *DB) CountByStage(ctx context.Context, u *model.User, mine bool) ([]StageCount, error) {
	return fetch(ctx, db, func(b *Batch, out *[]StageCount) { b.CountByStage(u, mine, out) })
}

// CountByStage queues the counts of CountByStage into out.
func (b *Batch) CountByStage(u *model.User, mine bool, out *[]StageCount) {
	counts := map[model.Stage]int{}
	if mine || !b.stageCounts(u, counts) {
		q := "SELECT p.stage, COUNT(*) FROM purchases p WHERE " + visible(u, 1)
		args := []any{u.OrgID}
		if mine {
			q += " AND p.lead_user_id = $2"
			args = append(args, u.ID)
		}
		b.read("count by stage", q+" GROUP BY p.stage", args, countRow(counts))
	}
	b.Then(func(context.Context) error {
		*out = inStageOrder(counts)
		return nil
	})
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
	return fetch(ctx, db, func(b *Batch, out *[]Due) { b.DueDates(u, until, limit, out) })
}

// DueDates queues the reads of DueDates into out: the purchases' own
// review and sunset dates and, for those who see the record, the reviews
// scheduled on the contract; each list is short and read with its names.
func (b *Batch) DueDates(u *model.User, until model.Date, limit int, out *[]Due) {
	today := model.DateOf(b.db.now())
	var lists [3][]Due
	for i, kind := range []string{"review", "sunset"} {
		col := "p." + kind + "_date"
		// The ids first, from the index on the date, then their rows with
		// names, as the purchase list does.
		q := fmt.Sprintf("SELECT %s%s%s JOIN (SELECT p.id FROM purchases p WHERE %s AND %s IS NOT NULL AND %s <= $2 AND p.stage NOT IN ('closed', 'cancelled') ORDER BY %s, p.id LIMIT %d) k ON k.id = p.id%s ORDER BY %s, p.id",
			purchaseColumns, namesColumns, purchaseFrom, visible(u, 1), col, col, col, limit, namesJoin, col)
		b.read("due dates", q, []any{u.OrgID, until}, appendRow(&lists[i], func(rs rowScanner) (Due, error) {
			p, err := scanNamed(rs)
			if err != nil {
				return Due{}, err
			}
			d := p.ReviewDate
			if kind == "sunset" {
				d = p.SunsetDate
			}
			return Due{Purchase: p, Kind: kind, Date: d, Overdue: d.Before(today)}, nil
		}))
	}
	// Reviews, sunsets and renewal decisions scheduled on the contract,
	// part of the record, which an invited supplier does not see.
	if seesRecords(u) {
		q := fmt.Sprintf("SELECT %s%s, r.kind, r.due_on%s JOIN contract_reviews r ON r.purchase_id = p.id%s WHERE %s AND r.outcome = '' AND r.due_on <= $2 AND p.stage NOT IN ('closed', 'cancelled') ORDER BY r.due_on, r.id LIMIT %d",
			purchaseColumns, namesColumns, purchaseFrom, namesJoin, visible(u, 1), limit)
		b.read("due dates", q, []any{u.OrgID, until}, appendRow(&lists[2], func(rs rowScanner) (Due, error) {
			var org, lead, kind string
			var due model.Date
			p, err := scanPurchase(extraScan{rs, []any{&org, &lead, &kind, &due}})
			if err != nil {
				return Due{}, err
			}
			p.OrgName, p.LeadName = org, lead
			return Due{Purchase: p, Kind: kind, Date: due, Overdue: due.Before(today)}, nil
		}))
	}
	b.Then(func(context.Context) error {
		all := slices.Concat(lists[0], lists[1], lists[2])
		// Merge the short lists by date.
		slices.SortStableFunc(all, func(a, b Due) int {
			switch {
			case a.Date.Before(b.Date):
				return -1
			case b.Date.Before(a.Date):
				return 1
			}
			return 0
		})
		*out = all[:min(len(all), limit)]
		return nil
	})
}
