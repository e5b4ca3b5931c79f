package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/staterequest"
	"buyright/internal/store"
)

// State requests, recorded by each side: a company the requests public
// authorities made of it, an authority the requests it made of companies.
// Oversight bodies read both sides of the authorities in their remit, and
// the records that do not match.

type requestsPage struct {
	Side       access.Side // the side u records for, "" for none
	CanRecord  bool
	Oversight  bool
	Records    []staterequest.Request
	Mismatches []staterequest.Mismatch
}

func (s *Server) requestList(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !access.ReadsRequests(u) {
		return model.Forbidden()
	}
	d := &requestsPage{Oversight: u.Org.Kind == model.OrgOversight}
	d.Side, d.CanRecord = access.RecordSide(u)
	var err error
	if d.Records, err = s.db.StateRequests(r.Context(), u); err != nil {
		return err
	}
	if d.Mismatches, err = s.db.RequestMismatches(r.Context(), u); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "requests", "sreq.title", d)
}

type requestForm struct {
	ID           int64
	Rev          int64
	Side         access.Side
	Values       map[string]string
	Errors       model.FieldErrors
	Counterparts []*model.Organisation
	Purchases    []*model.Purchase
	Types        []staterequest.Type
	Processes    []staterequest.Process
	Urgencies    []staterequest.Urgency
	Responses    []staterequest.Response
	Notified     []staterequest.Notified
}

// counterpartField is the form field naming the other side.
func counterpartField(side access.Side) string {
	if side == access.CompanySide {
		return "authority_id"
	}
	return "company_id"
}

func (s *Server) showRequestForm(w http.ResponseWriter, r *http.Request, status int, f *requestForm) error {
	u := currentUser(r)
	orgs, err := s.db.Orgs(r.Context())
	if err != nil {
		return err
	}
	want := model.OrgPublicBody
	if f.Side == access.AuthoritySide {
		want = model.OrgSupplier
	}
	for _, o := range orgs {
		if o.Kind == want {
			f.Counterparts = append(f.Counterparts, o)
		}
	}
	list, err := s.db.Purchases(r.Context(), u, store.PurchaseFilter{PerPage: 100, NoTotal: true, Sort: "title"})
	if err != nil {
		return err
	}
	f.Purchases = list.Items
	f.Types, f.Processes, f.Urgencies = staterequest.Types, staterequest.Processes, staterequest.Urgencies
	f.Responses, f.Notified = staterequest.Responses, staterequest.NotifiedValues
	title := "sreq.new_title"
	if f.ID != 0 {
		title = "sreq.edit_title"
	}
	return s.render(w, r, status, "request_form", title, f)
}

func (s *Server) requestNew(w http.ResponseWriter, r *http.Request) error {
	side, ok := access.RecordSide(currentUser(r))
	if !ok {
		return model.Forbidden()
	}
	v := staterequest.FormValues(&staterequest.Request{Urgency: "routine", Response: staterequest.Pending, Notified: "not_yet"})
	v[counterpartField(side)] = ""
	// From a supplier's obligations page: the request is made under that
	// purchase.
	if id, err := strconv.ParseInt(r.URL.Query().Get("purchase"), 10, 64); err == nil && id > 0 {
		v["purchase_id"] = strconv.FormatInt(id, 10)
	}
	return s.showRequestForm(w, r, http.StatusOK, &requestForm{Side: side, Values: v})
}

// supplierDataRequests links a supplier's obligations page to the State
// requests log: where to record a request an authority made of it under
// this purchase, and how many it has recorded so far.
func (s *Server) supplierDataRequests(r *http.Request, p *model.Purchase, supplierOrgID int64) (*dataRequestLink, error) {
	u := currentUser(r)
	if side, ok := access.RecordSide(u); !ok || side != access.CompanySide || u.OrgID != supplierOrgID {
		return nil, nil
	}
	recs, err := s.db.StateRequests(r.Context(), u)
	if err != nil {
		return nil, err
	}
	l := &dataRequestLink{Href: "/requests/new?purchase=" + strconv.FormatInt(p.ID, 10)}
	for _, x := range recs {
		if x.PurchaseID == p.ID && x.Side == access.CompanySide && x.CompanyID == supplierOrgID {
			l.Recorded++
		}
	}
	return l, nil
}

// readRequestForm reads the posted form into rec, keeping what was typed.
func readRequestForm(r *http.Request, side access.Side, rec *staterequest.Request) (*requestForm, model.FieldErrors) {
	fe := staterequest.FromForm(r.PostFormValue, rec)
	f := &requestForm{Side: side, Values: map[string]string{}}
	for _, k := range staterequest.FormFields {
		f.Values[k] = r.PostFormValue(k)
	}
	cf := counterpartField(side)
	f.Values[cf] = r.PostFormValue(cf)
	id, err := strconv.ParseInt(f.Values[cf], 10, 64)
	if err != nil {
		fe.Add(cf, "invalid.choice")
	}
	if side == access.CompanySide {
		rec.AuthorityID = id
	} else {
		rec.CompanyID = id
	}
	return f, fe
}

func (s *Server) requestCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	side, ok := access.RecordSide(u)
	if !ok {
		return model.Forbidden()
	}
	rec := &staterequest.Request{}
	f, fe := readRequestForm(r, side, rec)
	if len(fe) == 0 {
		err := s.db.CreateStateRequest(r.Context(), store.ActorOf(u), u, rec)
		if err == nil {
			http.Redirect(w, r, "/requests/"+strconv.FormatInt(rec.ID, 10)+"?done=saved", http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(fe, err) {
			return err
		}
	}
	f.Errors = fe
	return s.showRequestForm(w, r, http.StatusUnprocessableEntity, f)
}

// loadRequest reads the {id} of the URL as a record u may read.
func (s *Server) loadRequest(r *http.Request) (*staterequest.Request, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, model.NotFound("request")
	}
	return s.db.StateRequest(r.Context(), currentUser(r), id)
}

type requestPage struct {
	R       *staterequest.Request
	CanEdit bool
}

func (s *Server) requestView(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.loadRequest(r)
	if err != nil {
		return err
	}
	d := &requestPage{R: rec, CanEdit: access.CanEditRequest(currentUser(r), rec.Side, rec.CompanyID, rec.AuthorityID)}
	return s.render(w, r, http.StatusOK, "request", "sreq.view_title", d)
}

func (s *Server) requestEdit(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.loadRequest(r)
	if err != nil {
		return err
	}
	if !access.CanEditRequest(currentUser(r), rec.Side, rec.CompanyID, rec.AuthorityID) {
		return model.Forbidden()
	}
	f := &requestForm{ID: rec.ID, Rev: rec.Rev, Side: rec.Side, Values: staterequest.FormValues(rec)}
	f.Values["authority_id"], f.Values["company_id"] = strconv.FormatInt(rec.AuthorityID, 10), strconv.FormatInt(rec.CompanyID, 10)
	return s.showRequestForm(w, r, http.StatusOK, f)
}

func (s *Server) requestUpdate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	old, err := s.loadRequest(r)
	if err != nil {
		return err
	}
	if !access.CanEditRequest(u, old.Side, old.CompanyID, old.AuthorityID) {
		return model.Forbidden()
	}
	rec := &staterequest.Request{ID: old.ID}
	f, fe := readRequestForm(r, old.Side, rec)
	f.ID = old.ID
	rev, _ := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	f.Rev = rev
	if len(fe) == 0 {
		err := s.db.UpdateStateRequest(r.Context(), store.ActorOf(u), u, rec, rev)
		if err == nil {
			http.Redirect(w, r, "/requests/"+strconv.FormatInt(rec.ID, 10)+"?done=saved", http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(fe, err) {
			return err
		}
	}
	f.Errors = fe
	return s.showRequestForm(w, r, http.StatusUnprocessableEntity, f)
}
