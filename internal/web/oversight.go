package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The oversight workspace gathers what an oversight body watches across
// the bodies in its remit: purchases by stage, gates passed by override,
// unpublished high-impact purchases, escalated complaints and its open
// change requests.

type oversightData struct {
	Counts      []store.StageCount
	Overrides   []model.GateOverride
	Unpublished []*model.Purchase
	Unscreened  []*model.Purchase  // in use without a current screening
	Complaints  []*store.Complaint // escalated before escalations were recorded apart
	Escalations []store.EscalationItem
	Requests    []store.ChangeRequest
	Signals     []store.Task // open tasks from monitoring, incidents and amendments
	Today       model.Date
}

func (s *Server) oversightHome(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u.Org.Kind != model.OrgOversight {
		return model.Forbidden()
	}
	ctx := r.Context()
	d := oversightData{Today: model.DateOf(s.now())}
	var err error
	if d.Counts, err = s.db.CountByStage(ctx, u, false); err != nil {
		return err
	}
	if d.Overrides, err = s.db.Overrides(ctx, u, 50); err != nil {
		return err
	}
	if d.Unpublished, err = s.db.UnpublishedHighImpact(ctx, u); err != nil {
		return err
	}
	if d.Unscreened, err = s.db.InUseUnscreened(ctx, u); err != nil {
		return err
	}
	if d.Escalations, err = s.db.EscalationsFor(ctx, u, 100); err != nil {
		return err
	}
	complaints, err := s.db.ComplaintsFor(ctx, u, "", 100)
	if err != nil {
		return err
	}
	listed := map[int64]bool{}
	for _, e := range d.Escalations {
		listed[e.ComplaintID] = true
	}
	for _, c := range complaints {
		if !listed[c.ID] {
			d.Complaints = append(d.Complaints, c)
		}
	}
	if d.Requests, err = s.db.ChangeRequests(ctx, u, 0); err != nil {
		return err
	}
	if d.Signals, err = s.db.SignalTasks(ctx, u, 50); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "oversight", "oversight.title", d)
}

// canOversee reports whether u speaks for an oversight body about p.
func canOversee(u *model.User, rel access.Relation) bool {
	return rel == access.Oversight && access.Can(u, rel, access.Comment)
}

func (s *Server) changeRequestCreate(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !canOversee(u, rel) {
		return model.Forbidden()
	}
	due, derr := model.ParseDate(r.PostFormValue("due"))
	err = s.db.RequestChange(r.Context(), store.ActorOf(u), u, p, r.PostFormValue("request"), due)
	if derr != nil {
		err = model.FieldErrors{"due": "invalid.date"}.Err()
	}
	if err != nil {
		return s.purchaseFormError(w, r, p, rel, err, map[string]string{"request": r.PostFormValue("request"), "due": r.PostFormValue("due")})
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=requested#oversight", http.StatusSeeOther)
	return nil
}

func (s *Server) changeRequestAnswer(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	rid, err := strconv.ParseInt(r.PathValue("req"), 10, 64)
	if err != nil {
		return model.NotFound("change request")
	}
	if err := s.db.RespondChange(r.Context(), store.ActorOf(currentUser(r)), p, rid, r.PostFormValue("status"), r.PostFormValue("response")); err != nil {
		return s.purchaseFormError(w, r, p, rel, err, map[string]string{"response": r.PostFormValue("response")})
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=saved#oversight", http.StatusSeeOther)
	return nil
}

func (s *Server) findingCreate(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !canOversee(u, rel) {
		return model.Forbidden()
	}
	if _, err := s.db.PublishFinding(r.Context(), store.ActorOf(u), u, p, r.PostFormValue("title"), r.PostFormValue("finding")); err != nil {
		return s.purchaseFormError(w, r, p, rel, err, map[string]string{"finding_title": r.PostFormValue("title"), "finding": r.PostFormValue("finding")})
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=finding#oversight", http.StatusSeeOther)
	return nil
}

// publish records the body's decision to publish or withdraw a purchase.
func (s *Server) publish(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	on := r.PostFormValue("publish") == "yes"
	typed := map[string]string{"summary": r.PostFormValue("summary")}
	translations := map[string]string{}
	for _, l := range s.i18n.Langs()[1:] {
		translations[l] = r.PostFormValue("summary_" + l)
		typed["summary_"+l] = translations[l]
	}
	if err := s.db.Publish(r.Context(), store.ActorOf(currentUser(r)), p, on, r.PostFormValue("summary"), translations); err != nil {
		return s.purchaseFormError(w, r, p, rel, err, typed)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=published#publication", http.StatusSeeOther)
	return nil
}

// purchaseFormError re-renders the purchase page with a form's problems
// and what was typed, or returns err if it is not about fields.
func (s *Server) purchaseFormError(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, err error, typed map[string]string) error {
	fe := model.FieldErrors{}
	if !mergeErrors(fe, err) {
		return err
	}
	d, derr := s.purchaseData(r, p, rel)
	if derr != nil {
		return derr
	}
	d.Errors, d.Typed = fe, typed
	return s.render(w, r, http.StatusUnprocessableEntity, "purchase", "purchase.title", d)
}
