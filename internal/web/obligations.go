package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
	"buyright/internal/supplierdd"
)

// A supplier after the award (/purchases/{id}/obligations): the supplier
// holding the contract reads, in its own account, the safeguards it
// signed, the monitoring it must feed, the reviews and the exit plan, and
// its deadlines; it enters the values owed, reports incidents and
// declares its sub-contractors and sub-processors. The body marks which
// invited supplier holds the contract and which indicators it feeds, and
// reads everything the supplier declared; oversight bodies read. An
// invited supplier that does not hold the contract sees none of it.

func (s *Server) afterAwardRoutes(mux *http.ServeMux, page, member func(string, handlerFunc)) {
	member("GET /supplier/due-diligence", s.supplierProfileView)
	member("POST /supplier/due-diligence", s.supplierProfileSave)
	member("GET /purchases/{id}/obligations", s.obligationsView)
	member("POST /purchases/{id}/obligations/award", s.obligationsAward)
	member("POST /purchases/{id}/obligations/feeds", s.obligationsFeed)
	member("POST /purchases/{id}/obligations/values", s.obligationsValue)
	member("POST /purchases/{id}/obligations/incidents", s.obligationsIncident)
	member("POST /purchases/{id}/obligations/subcontractors", s.obligationsSub)
	member("POST /purchases/{id}/obligations/subcontractors/{sub}", s.obligationsSub)
	s.disclosureRoutes(mux, page, member)
}

// signedItem is a safeguard the contract has, in the reader's language.
type signedItem struct {
	ID, Title, Text string
}

// deadline is something the supplier owes by a date.
type deadline struct {
	Key     string // translation key of what is due
	What    string // the indicator or review it concerns
	Due     model.Date
	Overdue bool
	Anchor  string
}

type obligationsPage struct {
	P          *model.Purchase
	Supplier   bool // the reader is the supplier holding the contract
	CanFeed    bool // the supplier may report and declare (not a viewer)
	CanAward   bool // the body marks the holder
	CanAssign  bool // the body assigns indicators
	Holders    []store.InvitedSupplier
	Invited    []store.InvitedSupplier
	Contract   *contract.Contract
	Signed     []signedItem
	Feeds      []store.FeedStatus
	Plan       []*monitoring.Indicator // the body's view: indicators it may assign
	Reviews    []contract.Review
	Exit       *contract.ExitPlan
	Incidents  []monitoring.Incident
	Subs       []supplierdd.Subcontractor
	Decls      []store.Declaration
	Deadlines  []deadline
	DataHook   *dataRequestLink
	Today      model.Date
	Forms      map[string]map[string]string
	Errors     map[string]model.FieldErrors
	Severities []string
	SubRoles   []string
	DataAccess []string
	Cadences   []int
}

// dataRequestLink is where the supplier records a request an authority
// made of it under this contract. The State-requests log is built apart
// (issue 17, part 2); it sets Server.dataRequests, and until it does the
// obligations page leaves the section out rather than link nowhere.
type dataRequestLink struct {
	Href     string
	Recorded int // requests already recorded for this purchase
}

// obligationsAccess loads the purchase for reading its obligations: its
// body and oversight bodies, and the supplier holding the contract.
func (s *Server) obligationsAccess(r *http.Request, act access.Action) (*model.Purchase, access.Relation, error) {
	p, rel, err := s.loadPurchase(r, act)
	if err != nil {
		return nil, rel, err
	}
	if rel == access.Supplier {
		ok, err := s.db.HoldsContract(r.Context(), p.ID, currentUser(r).OrgID)
		if err != nil {
			return nil, rel, err
		}
		if !ok {
			return nil, rel, model.Errorf(model.EForbidden, "afteraward.err.not_holder", "only the supplier holding the contract may see its obligations")
		}
	}
	return p, rel, nil
}

func (s *Server) obligationsState(r *http.Request, p *model.Purchase, rel access.Relation) (*obligationsPage, error) {
	ctx := r.Context()
	u := currentUser(r)
	today := model.DateOf(s.now())
	d := &obligationsPage{P: p, Supplier: rel == access.Supplier, Today: today,
		CanFeed:   rel == access.Supplier && access.Can(u, rel, access.FeedAsSupplier),
		CanAward:  access.Can(u, rel, access.Edit),
		CanAssign: access.Can(u, rel, access.Assess),
		Forms:     map[string]map[string]string{"award": {}, "feed": {}, "value": {}, "incident": {}, "sub": {}},
		Errors:    map[string]model.FieldErrors{}, Severities: monitoring.Severities,
		SubRoles: supplierdd.SubRoles, DataAccess: supplierdd.DataAccess, Cadences: supplierdd.Cadences}
	inv, err := s.db.InvitedSuppliers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range inv {
		if x.Awarded {
			d.Holders = append(d.Holders, x)
		}
	}
	if !d.Supplier {
		d.Invited = inv
	}
	mine := func(orgID int64) bool { return !d.Supplier || orgID == u.OrgID }
	f, err := s.db.ContractFacts(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	d.Contract, d.Exit = f.Contract, f.Exit
	set, _ := s.dd.current()
	lang := langOf(r, s)
	for _, id := range f.Chosen {
		if sg, ok := f.Safeguards[id]; ok && sg.Signed {
			it := signedItem{ID: id, Title: id}
			if item, ok := set.Item(id); ok {
				it.Title, it.Text = item.Title.In(lang), item.Text.In(lang)
			}
			d.Signed = append(d.Signed, it)
		}
	}
	feeds, err := s.db.Feeds(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, fs := range feeds {
		if mine(fs.SupplierOrgID) && fs.Indicator != nil {
			d.Feeds = append(d.Feeds, fs)
			d.Deadlines = append(d.Deadlines, deadline{Key: "afteraward.deadline.values", What: fs.Indicator.Title + " (" + fs.Next.String() + ")",
				Due: fs.Due, Overdue: fs.Overdue(today), Anchor: "feeds"})
		}
	}
	if !d.Supplier {
		if d.Plan, err = s.db.Indicators(ctx, p.ID); err != nil {
			return nil, err
		}
	}
	if d.Reviews, err = s.db.Reviews(ctx, p.ID); err != nil {
		return nil, err
	}
	for _, rv := range d.Reviews {
		if !rv.Held() {
			d.Deadlines = append(d.Deadlines, deadline{Key: "reviews.kind." + rv.Kind, Due: rv.DueOn, Overdue: rv.Overdue(today), Anchor: "reviews"})
		}
	}
	if c := d.Contract; c != nil && !c.EndsOn.IsZero() {
		d.Deadlines = append(d.Deadlines, deadline{Key: "afteraward.deadline.contract_end", Due: c.EndsOn, Anchor: "exit"})
	}
	sort.SliceStable(d.Deadlines, func(i, j int) bool { return d.Deadlines[i].Due.Before(d.Deadlines[j].Due) })
	for _, h := range d.Holders {
		if !mine(h.OrgID) {
			continue
		}
		inc, err := s.db.SupplierIncidents(ctx, p.ID, h.OrgID)
		if err != nil {
			return nil, err
		}
		d.Incidents = append(d.Incidents, inc...)
	}
	subs, err := s.db.Subcontractors(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range subs {
		if mine(x.SupplierOrgID) {
			d.Subs = append(d.Subs, x)
		}
	}
	decls, err := s.db.Declarations(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	keep := map[int64]bool{}
	for _, x := range d.Subs {
		keep[x.ID] = true
	}
	for _, x := range decls {
		if keep[x.SubcontractorID] {
			d.Decls = append(d.Decls, x)
		}
	}
	if d.Supplier && s.dataRequests != nil {
		if d.DataHook, err = s.dataRequests(r, p, u.OrgID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) obligationsView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.obligationsAccess(r, access.ViewObligations)
	if err != nil {
		return err
	}
	d, err := s.obligationsState(r, p, rel)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "obligations", "afteraward.title", d)
}

// refuseObligations shows the page again with one form's problems and
// what was typed in it.
func (s *Server) refuseObligations(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, form string, fields []string, fe model.FieldErrors) error {
	d, err := s.obligationsState(r, p, rel)
	if err != nil {
		return err
	}
	for _, k := range fields {
		d.Forms[form][k] = r.PostFormValue(k)
	}
	d.Errors[form] = fe
	return s.render(w, r, http.StatusUnprocessableEntity, "obligations", "afteraward.title", d)
}

func obligationsBack(w http.ResponseWriter, r *http.Request, p *model.Purchase, anchor string) error {
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/obligations?done=saved#%s", p.ID, anchor), http.StatusSeeOther)
	return nil
}

// formResult turns a store error into the form's problems, or passes it on.
func formResult(err error) (model.FieldErrors, error) {
	if err == nil {
		return nil, nil
	}
	if fe := fieldErrs(err); fe != nil {
		return fe, nil
	}
	return nil, err
}

func (s *Server) obligationsAward(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return model.FieldErrors{"awarded": "invalid.choice"}.Err()
	}
	var ids []int64
	for _, v := range r.PostForm["awarded"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.refuseObligations(w, r, p, rel, "award", nil, model.FieldErrors{"awarded": "invalid.choice"})
		}
		ids = append(ids, id)
	}
	fe, err := formResult(s.db.SetAwarded(r.Context(), store.ActorOf(currentUser(r)), p, ids))
	if err != nil {
		return err
	}
	if fe != nil {
		return s.refuseObligations(w, r, p, rel, "award", nil, fe)
	}
	return obligationsBack(w, r, p, "holder")
}

var feedFields = []string{"indicator", "supplier", "every", "first_period"}

func (s *Server) obligationsFeed(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	id, err := strconv.ParseInt(r.PostFormValue("indicator"), 10, 64)
	if err != nil {
		fe.Add("indicator", "invalid.choice")
	}
	a := store.ActorOf(currentUser(r))
	if r.PostFormValue("remove") != "" && len(fe) == 0 {
		if err := s.db.RemoveFeed(r.Context(), a, p, id); err != nil {
			return err
		}
		return obligationsBack(w, r, p, "feeds")
	}
	f := &supplierdd.Feed{IndicatorID: id, FirstPeriod: formDate(r, "first_period", fe)}
	f.SupplierOrgID, _ = strconv.ParseInt(r.PostFormValue("supplier"), 10, 64)
	f.EveryMonths, _ = strconv.Atoi(r.PostFormValue("every"))
	if len(fe) == 0 {
		if fe, err = formResult(s.db.SetFeed(r.Context(), a, p, f)); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseObligations(w, r, p, rel, "feed", feedFields, fe)
	}
	return obligationsBack(w, r, p, "feeds")
}

var valueFields = []string{"indicator", "period", "group", "value"}

func (s *Server) obligationsValue(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.obligationsAccess(r, access.FeedAsSupplier)
	if err != nil {
		return err
	}
	m, fe := measurementForm(r)
	u := currentUser(r)
	if len(fe) == 0 {
		_, err := s.db.RecordSupplierValues(r.Context(), store.ActorOf(u), p, u.OrgID, []monitoring.Measurement{m})
		if fe, err = formResult(err); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseObligations(w, r, p, rel, "value", valueFields, fe)
	}
	return obligationsBack(w, r, p, "feeds")
}

var supplierIncidentFields = []string{"occurred_on", "severity", "what", "affected", "action", "reported_to"}

func (s *Server) obligationsIncident(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.obligationsAccess(r, access.FeedAsSupplier)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	x := &monitoring.Incident{OccurredOn: formDate(r, "occurred_on", fe), Severity: r.PostFormValue("severity"), What: r.PostFormValue("what"),
		Affected: r.PostFormValue("affected"), Action: r.PostFormValue("action"), ReportedTo: r.PostFormValue("reported_to")}
	u := currentUser(r)
	if len(fe) == 0 {
		if fe, err = formResult(s.db.AddSupplierIncident(r.Context(), store.ActorOf(u), p, u.OrgID, x)); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseObligations(w, r, p, rel, "incident", supplierIncidentFields, fe)
	}
	return obligationsBack(w, r, p, "incidents")
}

var subFields = []string{"sub_name", "sub_role", "sub_work", "sub_data", "sub_country", "sub_since", "sub_ended_on"}

// obligationsSub declares a new third party, or (with {sub}) a change to
// one declared before.
func (s *Server) obligationsSub(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.obligationsAccess(r, access.FeedAsSupplier)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	x := &supplierdd.Subcontractor{Name: r.PostFormValue("sub_name"), Role: r.PostFormValue("sub_role"), Work: r.PostFormValue("sub_work"),
		DataAccess: r.PostFormValue("sub_data"), Country: r.PostFormValue("sub_country"),
		Since: formDate(r, "sub_since", fe), EndedOn: formDate(r, "sub_ended_on", fe)}
	if v := r.PathValue("sub"); v != "" {
		if x.ID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return model.NotFound("subcontractor")
		}
	}
	u := currentUser(r)
	if len(fe) == 0 {
		if fe, err = formResult(s.db.DeclareSubcontractor(r.Context(), store.ActorOf(u), p, u.OrgID, x)); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		form := "sub"
		if x.ID != 0 {
			form = "sub-" + strconv.FormatInt(x.ID, 10)
		}
		d, err := s.obligationsState(r, p, rel)
		if err != nil {
			return err
		}
		d.Forms[form] = map[string]string{}
		for _, k := range subFields {
			d.Forms[form][k] = r.PostFormValue(k)
		}
		d.Errors[form] = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "obligations", "afteraward.title", d)
	}
	return obligationsBack(w, r, p, "subcontractors")
}
