package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The views across agencies of an oversight body: every purchase of the
// public bodies in its remit, filtered and sorted, downloadable as CSV and
// JSON; one supplier across bodies and purchases; one kind of technology
// across bodies.

// oversightFilter reads the view's filters from a query string. Unknown or
// malformed values are dropped, never an error: a hand-edited link still
// shows a page.
func oversightFilter(q url.Values) store.OversightFilter {
	f := store.OversightFilter{Sort: "updated"}
	seen := map[int]bool{}
	for _, v := range q["level"] {
		if l, err := strconv.Atoi(v); err == nil && l >= 0 && l <= 4 && !seen[l] {
			seen[l] = true
			f.Levels = append(f.Levels, l)
		}
	}
	if s := model.Stage(q.Get("stage")); s.Valid() {
		f.Stage = s
	}
	for _, x := range model.Technologies {
		if string(x) == q.Get("tech") {
			f.Technology = x
		}
	}
	for _, x := range model.Sectors {
		if string(x) == q.Get("sector") {
			f.Sector = x
		}
	}
	if id, err := strconv.ParseInt(q.Get("body"), 10, 64); err == nil && id > 0 {
		f.OrgID = id
	}
	f.Supplier = model.CleanLine(q.Get("supplier"))
	if rs := []rune(f.Supplier); len(rs) > 200 {
		f.Supplier = strings.TrimSpace(string(rs[:200]))
	}
	f.Overdue, f.OpenOpinion, f.Unscreened = q.Get("overdue") == "1", q.Get("open") == "1", q.Get("unscreened") == "1"
	for _, s := range store.OversightSorts {
		if q.Get("sort") == s {
			f.Sort = s
		}
	}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 0 && p < 1_000_000 {
		f.Page = p
	}
	return f
}

// oversightQuery writes a filter back as a query string (without the
// page), for links to other pages, sorts and downloads of the same view.
func oversightQuery(f store.OversightFilter) url.Values {
	v := url.Values{}
	for _, l := range f.Levels {
		v.Add("level", strconv.Itoa(l))
	}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("stage", string(f.Stage))
	set("tech", string(f.Technology))
	set("sector", string(f.Sector))
	if f.OrgID != 0 {
		v.Set("body", strconv.FormatInt(f.OrgID, 10))
	}
	set("supplier", f.Supplier)
	for k, on := range map[string]bool{"overdue": f.Overdue, "open": f.OpenOpinion, "unscreened": f.Unscreened} {
		if on {
			v.Set(k, "1")
		}
	}
	if f.Sort != "updated" {
		set("sort", f.Sort)
	}
	return v
}

type oversightViewData struct {
	Filter store.OversightFilter
	Level  map[int]bool
	// LevelChoices are the levels offered, highest first; 0 is "not screened".
	LevelChoices []int
	List         *store.OversightList
	Bodies       []*model.Organisation // the public bodies in the remit
	Stages       []model.Stage
	Sectors      []model.Sector
	Techs        []model.Technology
	Sorts        []string
	Query        string // the filter as a query string, without the page
	Prev         string // query strings of the neighbouring pages, "" at the ends
	Next         string
}

// acrossBodies refuses anyone who is not in an oversight body.
func acrossBodies(r *http.Request) (*model.User, error) {
	u := currentUser(r)
	if !access.CanViewAcrossBodies(u) {
		return nil, model.Forbidden()
	}
	return u, nil
}

// remitBodies lists the public bodies in u's remit, by name.
func (s *Server) remitBodies(r *http.Request, u *model.User) ([]*model.Organisation, error) {
	ids, err := s.db.Remit(r.Context(), u.OrgID)
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{}
	for _, id := range ids {
		in[id] = true
	}
	orgs, err := s.db.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	var out []*model.Organisation
	for _, o := range orgs {
		if in[o.ID] {
			out = append(out, o)
		}
	}
	return out, nil
}

func (s *Server) oversightPurchases(w http.ResponseWriter, r *http.Request) error {
	u, err := acrossBodies(r)
	if err != nil {
		return err
	}
	f := oversightFilter(r.URL.Query())
	f.PerPage = 50
	list, err := s.db.OversightPurchases(r.Context(), u, f)
	if err != nil {
		return err
	}
	d := &oversightViewData{Filter: f, List: list, Level: map[int]bool{}, LevelChoices: []int{4, 3, 2, 1, 0}, Stages: model.AllStages, Sectors: model.Sectors,
		Techs: model.Technologies, Sorts: store.OversightSorts}
	for _, l := range f.Levels {
		d.Level[l] = true
	}
	if d.Bodies, err = s.remitBodies(r, u); err != nil {
		return err
	}
	q := oversightQuery(f)
	d.Query = q.Encode()
	page := func(n int) string {
		x := oversightQuery(f)
		x.Set("page", strconv.Itoa(n))
		return x.Encode()
	}
	if list.Page > 1 {
		d.Prev = page(list.Page - 1)
	}
	if list.Page < list.Pages() {
		d.Next = page(list.Page + 1)
	}
	return s.render(w, r, http.StatusOK, "oversight_purchases", "oversight.view.title", d)
}

// viewRecord is one purchase of the view as the downloads write it.
type viewRecord struct {
	ID              int64    `json:"id"`
	URL             string   `json:"url"`
	Title           string   `json:"title"`
	Body            string   `json:"body"`
	Stage           string   `json:"stage"`
	Sector          string   `json:"sector"`
	Technologies    []string `json:"technologies"`
	ImpactLevel     int      `json:"impactLevel"` // 0: not screened
	Suppliers       []string `json:"suppliers"`
	ReviewDate      string   `json:"reviewDate,omitempty"`
	SunsetDate      string   `json:"sunsetDate,omitempty"`
	Overdue         bool     `json:"overdue"`
	OpinionOwed     bool     `json:"opinionOwed"`
	InUseUnscreened bool     `json:"inUseUnscreened"`
	Updated         string   `json:"updated"`
	ValueMinor      int64    `json:"valueMinor"`
	Currency        string   `json:"currency,omitempty"`
	OCID            string   `json:"ocid,omitempty"`
}

func (s *Server) viewRecords(r *http.Request) ([]viewRecord, error) {
	u, err := acrossBodies(r)
	if err != nil {
		return nil, err
	}
	f := oversightFilter(r.URL.Query())
	f.PerPage, f.Page = 0, 1
	list, err := s.db.OversightPurchases(r.Context(), u, f)
	if err != nil {
		return nil, err
	}
	base := baseURL(r)
	out := make([]viewRecord, 0, len(list.Rows))
	for _, row := range list.Rows {
		p := row.Purchase
		techs := make([]string, len(p.Technologies))
		for i, t := range p.Technologies {
			techs[i] = string(t)
		}
		sup := row.Suppliers
		if sup == nil {
			sup = []string{}
		}
		out = append(out, viewRecord{ID: p.ID, URL: fmt.Sprintf("%s/purchases/%d", base, p.ID), Title: p.Title, Body: p.OrgName,
			Stage: string(p.Stage), Sector: string(p.Sector), Technologies: techs, ImpactLevel: row.Level, Suppliers: sup,
			ReviewDate: p.ReviewDate.String(), SunsetDate: p.SunsetDate.String(), Overdue: row.Overdue, OpinionOwed: row.OpenOpinion,
			InUseUnscreened: row.Unscreened, Updated: p.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z"),
			ValueMinor: p.ValueMinor, Currency: p.Currency, OCID: p.OCID})
	}
	return out, nil
}

func (s *Server) oversightPurchasesJSON(w http.ResponseWriter, r *http.Request) error {
	recs, err := s.viewRecords(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="oversight-purchases.json"`)
	return writeJSON(w, http.StatusOK, recs)
}

// oversightPurchasesCSV writes the view with every cell that a
// spreadsheet would run as a formula neutralised, as the register does.
func (s *Server) oversightPurchasesCSV(w http.ResponseWriter, r *http.Request) error {
	recs, err := s.viewRecords(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="oversight-purchases.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "url", "title", "body", "stage", "sector", "technologies", "impact_level", "suppliers", "review_date",
		"sunset_date", "overdue", "opinion_owed", "in_use_unscreened", "estimated_value", "currency", "ocid", "updated"})
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, x := range recs {
		row := []string{strconv.FormatInt(x.ID, 10), x.URL, x.Title, x.Body, x.Stage, x.Sector, strings.Join(x.Technologies, " "),
			strconv.Itoa(x.ImpactLevel), strings.Join(x.Suppliers, "; "), x.ReviewDate, x.SunsetDate, yes(x.Overdue), yes(x.OpinionOwed),
			yes(x.InUseUnscreened), moneyInput(x.ValueMinor), x.Currency, x.OCID, x.Updated}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return nil // the client went away
		}
	}
	cw.Flush()
	return nil
}

type suppliersData struct {
	Suppliers []store.SupplierSummary
}

func (s *Server) oversightSuppliers(w http.ResponseWriter, r *http.Request) error {
	u, err := acrossBodies(r)
	if err != nil {
		return err
	}
	sup, err := s.db.Suppliers(r.Context(), u)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "oversight_suppliers", "oversight.suppliers.title", &suppliersData{Suppliers: sup})
}

// techGroup is one kind of technology across the bodies that buy it.
type techGroup struct {
	Technology model.Technology
	Bodies     []store.TechnologyCount
	Total      int
	HighImpact int
}

func (s *Server) oversightTechnologies(w http.ResponseWriter, r *http.Request) error {
	u, err := acrossBodies(r)
	if err != nil {
		return err
	}
	counts, err := s.db.TechnologyAcrossBodies(r.Context(), u)
	if err != nil {
		return err
	}
	var groups []*techGroup
	for _, c := range counts {
		if len(groups) == 0 || groups[len(groups)-1].Technology != c.Technology {
			groups = append(groups, &techGroup{Technology: c.Technology})
		}
		g := groups[len(groups)-1]
		g.Bodies = append(g.Bodies, c)
		g.Total += c.Count
		g.HighImpact += c.HighImpact
	}
	return s.render(w, r, http.StatusOK, "oversight_technologies", "oversight.tech.title", groups)
}
