package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/ocds"
	"buyright/internal/store"
)

type listData struct {
	Filter    store.PurchaseFilter
	List      *store.PurchaseList
	Stages    []model.Stage
	Sectors   []model.Sector
	Techs     []model.Technology
	Flags     []ocds.FlagInfo
	CanCreate bool
	// Bulk is set for a public body's administrator, who may publish
	// imported purchases from the list (bulk_publish.go).
	Bulk bool
}

// filterFromQuery reads list filters from the URL, ignoring values that are
// not among the known choices rather than failing the page.
func filterFromQuery(r *http.Request) store.PurchaseFilter {
	q := r.URL.Query()
	f := store.PurchaseFilter{Query: model.CleanLine(q.Get("q")), Sort: q.Get("sort")}
	if s := model.Stage(q.Get("stage")); s.Valid() {
		f.Stage = s
	}
	for _, x := range model.Sectors {
		if string(x) == q.Get("sector") {
			f.Sector = x
		}
	}
	for _, x := range model.Technologies {
		if string(x) == q.Get("tech") {
			f.Technology = x
		}
	}
	f.Flag = knownFlag(q.Get("flag"))
	f.Page, _ = strconv.Atoi(q.Get("page"))
	if q.Get("mine") == "1" {
		f.LeadUserID = currentUser(r).ID
	}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	return f
}

func (s *Server) purchaseList(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	f := filterFromQuery(r)
	list, err := s.db.Purchases(r.Context(), u, f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "purchases", "purchases.title", listData{
		Filter: f, List: list, Stages: model.AllStages, Sectors: model.Sectors, Techs: model.Technologies,
		Flags: ocds.FlagKinds, CanCreate: access.CanCreate(u), Bulk: canBulkPublish(u),
	})
}

type dashboardData struct {
	Counts    []store.StageCount
	Mine      []store.StageCount
	Due       []store.Due
	Overrides []model.GateOverride
	Recent    *store.PurchaseList
	CanCreate bool
	Tasks     []store.Task
	Reviews   []store.ReviewDue
	Overdue   []*store.Complaint // complaints past a time limit
	// Escalated complaints on which the body owes the oversight body its
	// account (a public body's staff only).
	Escalations []store.EscalationItem
	Today       model.Date
	// Invitations are a supplier's purchases and its questionnaires.
	Invitations []store.Invitation
}

// dashboard shows what a person needs first: their purchases by stage, what
// is due, and (for approvers and oversight) the gates passed by override.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	d := dashboardData{CanCreate: access.CanCreate(u)}
	today := model.DateOf(s.now())
	// The panels' reads go together (store.Batch).
	b := s.db.NewBatch()
	b.CountByStage(u, false, &d.Counts)
	b.CountByStage(u, true, &d.Mine)
	b.DueDates(u, today.AddDays(90), 10, &d.Due)
	b.Overrides(u, 5, &d.Overrides)
	b.Purchases(u, store.PurchaseFilter{PerPage: 5, NoTotal: true}, &d.Recent)
	b.OpenTasks(u, 10, &d.Tasks)
	b.AssessmentReviewsDue(u, today, &d.Reviews)
	if u.Org != nil && u.Org.Kind == model.OrgSupplier {
		b.Invitations(u.OrgID, &d.Invitations)
	}
	var complaints []*store.Complaint
	b.ComplaintsFor(u, "", 200, &complaints)
	if u.Org != nil && u.Org.Kind == model.OrgPublicBody {
		b.EscalationsFor(u, 50, &d.Escalations)
	}
	if err := b.Run(ctx); err != nil {
		return err
	}
	for _, c := range complaints {
		if c.Overdue(today) {
			d.Overdue = append(d.Overdue, c)
		}
	}
	d.Today = today
	return s.render(w, r, http.StatusOK, "dashboard", "dashboard.title", d)
}

func (s *Server) overrideList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Overrides(r.Context(), currentUser(r), 200)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "overrides", "overrides.title", list)
}
