package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"buyright/internal/model"
)

// Views across agencies: an oversight body filters and sorts every
// purchase of the public bodies in its remit, follows one supplier across
// bodies and purchases, and sees the same kind of technology across
// bodies.

// OversightFilter narrows the view. Zero values mean "any".
type OversightFilter struct {
	Levels     []int // screened impact levels, 0 for not screened
	Stage      model.Stage
	Technology model.Technology
	Sector     model.Sector
	OrgID      int64
	Supplier   string // a supplier's name, matched whole and without regard to case or spacing
	Overdue    bool   // a review, sunset or contract review date has passed
	// OpenOpinion keeps purchases at a gate where a rule of the viewer's
	// body asks for its opinion and none is recorded.
	OpenOpinion bool
	Unscreened  bool // in use without a current screening
	Sort        string
	Page        int // from 1
	PerPage     int // 0: every match (downloads)
}

// OversightSorts lists the orders the view offers.
var OversightSorts = []string{"updated", "title", "level", "stage", "body", "review"}

// OversightRow is one purchase in the view.
type OversightRow struct {
	Purchase    *model.Purchase
	Level       int
	Suppliers   []string // named in the signed contract, then invited organisations
	Overdue     bool
	OpenOpinion bool
	Unscreened  bool
}

// OversightList is one page of the view and how many matched.
type OversightList struct {
	Rows    []OversightRow
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages for the total.
func (l *OversightList) Pages() int {
	if l.PerPage == 0 {
		return 1
	}
	return (l.Total + l.PerPage - 1) / l.PerPage
}

// overdueSQL holds for an open purchase whose review or sunset date, or a
// contract review not yet held, is before today (a placeholder).
func overdueSQL(today string) string {
	return strings.ReplaceAll(`(p.stage NOT IN ('closed', 'cancelled') AND ((p.review_date IS NOT NULL AND p.review_date < :today)
	OR (p.sunset_date IS NOT NULL AND p.sunset_date < :today)
	OR EXISTS (SELECT 1 FROM contract_reviews cr WHERE cr.purchase_id = p.id AND cr.outcome = '' AND cr.due_on < :today)))`, ":today", today)
}

// unscreenedSQL holds for a system in use with no current screening, as
// InUseUnscreened lists them.
const unscreenedSQL = `(p.stage IN ('implementation', 'renewal_exit') AND NOT EXISTS (SELECT 1 FROM screenings s WHERE s.purchase_id = p.id AND s.status = 'complete'
	AND NOT EXISTS (SELECT 1 FROM contract_amendments a WHERE a.purchase_id = p.id AND a.created_at > s.updated_at
		AND (a.widens_scope OR a.widens_data OR a.widens_duration))))`

// openOpinionSQL holds for a purchase standing at the gate of a rule of
// the body in placeholder $1 that applies to it, with nothing recorded
// for that gate from the body (no opinion, and not recorded as not given).
// opinion.Rule.Applies is the same test in Go.
const openOpinionSQL = `EXISTS (SELECT 1 FROM opinion_rules r WHERE r.org_id = $1 AND r.retired_at IS NULL AND r.gate_stage = p.stage
	AND (r.min_level = 0 OR ` + impactLevelSQL + ` >= r.min_level)
	AND (r.technology = '' OR p.technologies LIKE '%,' || r.technology || ',%')
	AND (r.sector = '' OR r.sector = p.sector)
	AND NOT EXISTS (SELECT 1 FROM opinions o WHERE o.purchase_id = p.id AND o.org_id = r.org_id AND o.before_stage = r.before_stage))`

// stageOrderSQL is a purchase's place in the lifecycle, cancelled last.
func stageOrderSQL() string {
	var b strings.Builder
	b.WriteString("CASE p.stage")
	for i, s := range model.AllStages {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", s, i)
	}
	b.WriteString(" ELSE 99 END")
	return b.String()
}

// OversightPurchases lists the purchases u may see that match f.
func (db *DB) OversightPurchases(ctx context.Context, u *model.User, f OversightFilter) (*OversightList, error) {
	if f.PerPage < 0 || f.PerPage > 500 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	// $1 is u's organisation (visible and openOpinionSQL use it); today
	// gets a number when a condition first needs it, so that no query
	// carries a parameter it does not use (PostgreSQL refuses those).
	args := []any{u.OrgID}
	add := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	todayArg := ""
	today := func() string {
		if todayArg == "" {
			todayArg = add(model.DateOf(db.now()))
		}
		return todayArg
	}
	where := []string{visible(u, 1)}
	if len(f.Levels) > 0 {
		var ls []string
		for _, l := range f.Levels {
			if l >= 0 && l <= 4 {
				ls = append(ls, strconv.Itoa(l))
			}
		}
		if len(ls) > 0 {
			where = append(where, impactLevelSQL+" IN ("+strings.Join(ls, ", ")+")")
		}
	}
	if f.Stage != "" {
		where = append(where, "p.stage = "+add(string(f.Stage)))
	}
	if f.Sector != "" {
		where = append(where, "p.sector = "+add(string(f.Sector)))
	}
	if f.Technology != "" {
		where = append(where, "p.technologies LIKE "+add("%,"+likeEscape(string(f.Technology))+",%")+` ESCAPE '\'`)
	}
	if f.OrgID != 0 {
		where = append(where, "p.org_id = "+add(f.OrgID))
	}
	if f.Supplier != "" {
		ids, err := db.supplierPurchases(ctx, u, f.Supplier)
		if err != nil {
			return nil, err
		}
		where = append(where, idList(ids))
	}
	if f.Overdue {
		where = append(where, overdueSQL(today()))
	}
	if f.OpenOpinion {
		where = append(where, openOpinionSQL)
	}
	if f.Unscreened {
		where = append(where, unscreenedSQL)
	}
	cond := strings.Join(where, " AND ")
	order := "p.updated_at DESC, p.id DESC"
	switch f.Sort {
	case "title":
		order = "LOWER(p.title), p.id"
	case "level":
		order = impactLevelSQL + " DESC, p.id"
	case "stage":
		order = stageOrderSQL() + ", p.id"
	case "body":
		order = "(SELECT name FROM organisations WHERE id = p.org_id), p.id"
	case "review":
		order = "CASE WHEN p.review_date IS NULL THEN 1 ELSE 0 END, p.review_date, p.id"
	}
	list := &OversightList{Page: f.Page, PerPage: f.PerPage}
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM purchases p WHERE "+cond, args...).Scan(&list.Total); err != nil {
		return nil, fmt.Errorf("store: oversight view: %w", err)
	}
	// The page is chosen first, by id alone, and its flags computed only
	// for the purchases on it: computing them for every match before
	// sorting took the first page of 10,000 purchases from about 1 ms to
	// 28 ms on SQLite.
	q := "SELECT p.id FROM purchases p WHERE " + cond + " ORDER BY " + order
	if f.PerPage > 0 {
		q += " LIMIT " + add(f.PerPage) + " OFFSET " + add((f.Page-1)*f.PerPage)
	}
	ids, err := db.ids(ctx, q, args...)
	if err != nil || len(ids) == 0 {
		return list, err
	}
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	list.Rows = make([]OversightRow, len(ids))
	todayArg = ""
	args = args[:1]
	q = fmt.Sprintf(`SELECT %s, %s, CASE WHEN %s THEN 1 ELSE 0 END, CASE WHEN %s THEN 1 ELSE 0 END, CASE WHEN %s THEN 1 ELSE 0 END%s WHERE %s`,
		purchaseColumns, impactLevelSQL, overdueSQL(today()), openOpinionSQL, unscreenedSQL, purchaseFrom, idList(ids))
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: oversight view: %w", err)
	}
	ps := make([]*model.Purchase, len(ids))
	for rows.Next() {
		var r OversightRow
		var overdue, open, unscreened int
		p, err := scanPurchase(extraScan{rows, []any{&r.Level, &overdue, &open, &unscreened}})
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: oversight view: %w", err)
		}
		r.Purchase, r.Overdue, r.OpenOpinion, r.Unscreened = p, overdue == 1, open == 1, unscreened == 1
		list.Rows[pos[p.ID]], ps[pos[p.ID]] = r, p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A purchase gone between the two queries is left out.
	kept := ps[:0]
	rowsKept := list.Rows[:0]
	for i := range ps {
		if ps[i] != nil {
			kept, rowsKept = append(kept, ps[i]), append(rowsKept, list.Rows[i])
		}
	}
	ps, list.Rows = kept, rowsKept
	if err := db.fillNames(ctx, ps); err != nil {
		return nil, err
	}
	sup, err := db.suppliersOf(ctx, ps)
	if err != nil {
		return nil, err
	}
	for i := range list.Rows {
		list.Rows[i].Suppliers = sup[list.Rows[i].Purchase.ID]
	}
	return list, nil
}

// ids runs a query of one id column.
func (db *DB) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: oversight view: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// idList is a condition on p.id for a list of ids the store itself read;
// they are numbers, so they go into the text (no limit on how many).
func idList(ids []int64) string {
	if len(ids) == 0 {
		return "1 = 0"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "p.id IN (" + strings.Join(parts, ", ") + ")"
}

// supplierKey folds a supplier's name for matching: case and runs of space
// do not make two suppliers.
func supplierKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// suppliersOf reads the suppliers of each purchase: those named in its
// signed contract, then the supplier organisations invited to it that the
// contract does not already name.
func (db *DB) suppliersOf(ctx context.Context, ps []*model.Purchase) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ps) == 0 {
		return out, nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	in := idList(ids)
	seen := map[int64]map[string]bool{}
	addName := func(id int64, name string) {
		name = model.CleanLine(name)
		k := supplierKey(name)
		if k == "" || seen[id][k] {
			return
		}
		if seen[id] == nil {
			seen[id] = map[string]bool{}
		}
		seen[id][k] = true
		out[id] = append(out[id], name)
	}
	rows, err := db.read.QueryContext(ctx, "SELECT p.id, c.suppliers FROM contracts c JOIN purchases p ON p.id = c.purchase_id WHERE "+in)
	if err != nil {
		return nil, fmt.Errorf("store: suppliers: %w", err)
	}
	for rows.Next() {
		var id int64
		var names string
		if err := rows.Scan(&id, &names); err != nil {
			rows.Close()
			return nil, err
		}
		for _, n := range strings.Split(names, "\n") {
			addName(id, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.read.QueryContext(ctx, "SELECT p.id, o.name FROM purchase_suppliers ps JOIN purchases p ON p.id = ps.purchase_id JOIN organisations o ON o.id = ps.org_id WHERE "+in+" ORDER BY ps.invited_at, o.name")
	if err != nil {
		return nil, fmt.Errorf("store: suppliers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		addName(id, name)
	}
	return out, rows.Err()
}

// SupplierSummary is one supplier across the purchases u may see.
type SupplierSummary struct {
	Name       string // as first written
	Purchases  int
	Bodies     int
	Contracted int // purchases whose signed contract names it
	Invited    int // purchases it was invited to as an organisation
	ids        map[int64]bool
}

// Suppliers lists every supplier of the purchases u may see, whether named
// in a signed contract or invited as an organisation, with how many
// purchases and bodies each has, most purchases first.
func (db *DB) Suppliers(ctx context.Context, u *model.User) ([]SupplierSummary, error) {
	idx, err := db.supplierIndex(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make([]SupplierSummary, 0, len(idx))
	for _, s := range idx {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Purchases != out[j].Purchases {
			return out[i].Purchases > out[j].Purchases
		}
		return supplierKey(out[i].Name) < supplierKey(out[j].Name)
	})
	return out, nil
}

// supplierPurchases lists the purchases u may see whose supplier is name.
func (db *DB) supplierPurchases(ctx context.Context, u *model.User, name string) ([]int64, error) {
	idx, err := db.supplierIndex(ctx, u)
	if err != nil {
		return nil, err
	}
	s := idx[supplierKey(name)]
	if s == nil {
		return nil, nil
	}
	ids := make([]int64, 0, len(s.ids))
	for id := range s.ids {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// supplierIndex gathers the suppliers of the purchases u may see, keyed by
// supplierKey. Names are matched in Go, not SQL, so that SQLite and
// PostgreSQL (whose LOWER folds different letters) group them the same.
func (db *DB) supplierIndex(ctx context.Context, u *model.User) (map[string]*SupplierSummary, error) {
	idx := map[string]*SupplierSummary{}
	bodies := map[string]map[int64]bool{}
	add := func(name string, purchaseID, orgID int64, contracted bool) {
		name = model.CleanLine(name)
		k := supplierKey(name)
		if k == "" {
			return
		}
		s := idx[k]
		if s == nil {
			s = &SupplierSummary{Name: name, ids: map[int64]bool{}}
			idx[k], bodies[k] = s, map[int64]bool{}
		}
		if !s.ids[purchaseID] {
			s.ids[purchaseID] = true
			s.Purchases++
		}
		if contracted {
			s.Contracted++
		} else {
			s.Invited++
		}
		if !bodies[k][orgID] {
			bodies[k][orgID] = true
			s.Bodies++
		}
	}
	rows, err := db.read.QueryContext(ctx, "SELECT p.id, p.org_id, c.suppliers FROM contracts c JOIN purchases p ON p.id = c.purchase_id WHERE "+visible(u, 1)+" ORDER BY p.id", u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: suppliers: %w", err)
	}
	for rows.Next() {
		var id, org int64
		var names string
		if err := rows.Scan(&id, &org, &names); err != nil {
			rows.Close()
			return nil, err
		}
		seen := map[string]bool{}
		for _, n := range strings.Split(names, "\n") {
			if k := supplierKey(n); !seen[k] {
				seen[k] = true
				add(n, id, org, true)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT p.id, p.org_id, o.name FROM purchase_suppliers ps JOIN purchases p ON p.id = ps.purchase_id
		JOIN organisations o ON o.id = ps.org_id WHERE `+visible(u, 1)+" ORDER BY p.id, o.name", u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: suppliers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, org int64
		var name string
		if err := rows.Scan(&id, &org, &name); err != nil {
			return nil, err
		}
		add(name, id, org, false)
	}
	return idx, rows.Err()
}

// TechnologyCount is how many purchases of one body buy one kind of
// technology.
type TechnologyCount struct {
	Technology model.Technology
	OrgID      int64
	OrgName    string
	Count      int
	HighImpact int // of which screened at level III or IV
}

// TechnologyAcrossBodies counts, for each kind of technology and each
// body whose purchases u may see, the purchases that buy it.
func (db *DB) TechnologyAcrossBodies(ctx context.Context, u *model.User) ([]TechnologyCount, error) {
	// Levels are read per purchase in the inner query, then grouped.
	rows, err := db.read.QueryContext(ctx, `SELECT org_id, name, technologies, high, COUNT(*) FROM (
		SELECT p.org_id, o.name, p.technologies, CASE WHEN `+impactLevelSQL+` >= 3 THEN 1 ELSE 0 END AS high
		FROM purchases p JOIN organisations o ON o.id = p.org_id WHERE `+visible(u, 1)+`) t GROUP BY org_id, name, technologies, high`, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: technology across bodies: %w", err)
	}
	defer rows.Close()
	type key struct {
		t   model.Technology
		org int64
	}
	counts := map[key]*TechnologyCount{}
	for rows.Next() {
		var org int64
		var name, techs string
		var high, n int
		if err := rows.Scan(&org, &name, &techs, &high, &n); err != nil {
			return nil, err
		}
		for _, t := range strings.Split(strings.Trim(techs, ","), ",") {
			if t == "" {
				continue
			}
			k := key{model.Technology(t), org}
			c := counts[k]
			if c == nil {
				c = &TechnologyCount{Technology: k.t, OrgID: org, OrgName: name}
				counts[k] = c
			}
			c.Count += n
			if high == 1 {
				c.HighImpact += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	order := map[model.Technology]int{}
	for i, t := range model.Technologies {
		order[t] = i
	}
	out := make([]TechnologyCount, 0, len(counts))
	for _, c := range counts {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Technology != out[j].Technology {
			return order[out[i].Technology] < order[out[j].Technology]
		}
		return out[i].OrgName < out[j].OrgName
	})
	return out, nil
}

// OwedOpinion is an opinion a rule of the viewer's body asks for on a
// purchase standing at the rule's gate, with nothing recorded yet.
type OwedOpinion struct {
	Purchase *model.Purchase
	Before   model.Stage
	Due      model.Date
	Overdue  bool
}

// OwedOpinions lists the opinions u's oversight body owes now, earliest
// time limit first.
func (db *DB) OwedOpinions(ctx context.Context, u *model.User) ([]OwedOpinion, error) {
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgOversight {
		return nil, nil
	}
	list, err := db.OversightPurchases(ctx, u, OversightFilter{OpenOpinion: true, Sort: "title", PerPage: 500})
	if err != nil {
		return nil, err
	}
	today := model.DateOf(db.now())
	var out []OwedOpinion
	for _, r := range list.Rows {
		f, err := db.OpinionFacts(ctx, r.Purchase)
		if err != nil {
			return nil, err
		}
		before := r.Purchase.Stage.Next()
		for _, s := range f.Standings(r.Purchase, before) {
			if s.OrgID == u.OrgID && s.Asked && s.Opinion == nil {
				out = append(out, OwedOpinion{Purchase: r.Purchase, Before: before, Due: s.Due, Overdue: !s.Due.IsZero() && s.Due.Before(today)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out, nil
}
