package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"buyright/internal/access"
	"buyright/internal/catalog"
	"buyright/internal/evidence"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The requirements page lists every requirement the screening made
// mandatory, stage by stage, with how each is met: by a fact buyright
// records (never by a tick), by a tender item or signed safeguard, by
// evidence someone vouched for, or as not applicable by an approver's
// reason. It is where evidence is recorded.

// reqStatus is one requirement as the pages show it.
type reqStatus struct {
	ID, Title, Text string
	Stage           model.Stage
	Computed        bool
	Due             bool // its stage is the purchase's current one or an earlier one
	// Condition marks a condition of an oversight opinion: met by evidence,
	// never declared not applicable by the buying body.
	Condition bool
	evidence.Status
	History []evidence.Evidence // newest first
	Form    *formState          // the evidence form, as typed when refused
}

// requirementStatuses says how each requirement of the purchase's screening
// stands, in stage then catalogue order.
func (s *Server) requirementStatuses(ctx context.Context, p *model.Purchase, lang string) ([]reqStatus, *evidence.Facts, error) {
	f, err := s.db.RequirementFacts(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	set, _ := s.dd.current()
	f.Cover(set)
	return statusesOf(set, f, p, lang), f, nil
}

func statusesOf(set *catalog.Set, f *evidence.Facts, p *model.Purchase, lang string) []reqStatus {
	var out []reqStatus
	for _, row := range evidence.Rows(set, f, p.Stage) {
		rs := reqStatus{ID: row.ID, Title: row.ID, Stage: row.Stage, Computed: evidence.Computed(row.Item), Status: row.Status, Due: row.Due}
		if row.Item != nil {
			rs.Title, rs.Text = row.Item.Title.In(lang), row.Item.Text.In(lang)
		}
		out = append(out, rs)
	}
	return out
}

type requirementsData struct {
	P           *model.Purchase
	Screened    bool
	Reqs        []reqStatus
	Met, Total  int
	CanEdit     bool // record files, links and statements
	CanApprove  bool // accept a requirement as not applicable
	Kinds       []evidence.Kind
	ErrList     []errItem
	Focus       string // the requirement whose form was refused
	EvidenceMax int
}

func (s *Server) requirementsView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	d, err := s.requirementsPage(r, p, rel)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "requirements", "req.title", d)
}

func (s *Server) requirementsPage(r *http.Request, p *model.Purchase, rel access.Relation) (*requirementsData, error) {
	ctx := r.Context()
	u := currentUser(r)
	lang := langOf(r, s)
	reqs, f, err := s.requirementStatuses(ctx, p, lang)
	if err != nil {
		return nil, err
	}
	conds, err := s.conditionStatuses(ctx, p, lang)
	if err != nil {
		return nil, err
	}
	reqs = append(reqs, conds...)
	d := &requirementsData{P: p, Screened: f.Screened, Reqs: reqs, Kinds: evidence.Kinds,
		CanEdit:    access.Can(u, rel, access.Assess) && p.Stage.Open(),
		CanApprove: access.Can(u, rel, access.SignOff) && p.Stage.Open()}
	hist, err := s.db.Evidence(ctx, p.ID, "")
	if err != nil {
		return nil, err
	}
	byReq := map[string][]evidence.Evidence{}
	for i := len(hist) - 1; i >= 0; i-- {
		byReq[hist[i].Requirement] = append(byReq[hist[i].Requirement], hist[i])
	}
	for i := range d.Reqs {
		rq := &d.Reqs[i]
		rq.History = byReq[rq.ID]
		rq.Form = &formState{Key: "ev-" + rq.ID, Values: map[string]string{"kind": string(evidence.Statement)}, Errors: map[string]string{}}
		d.Total++
		if rq.Met {
			d.Met++
		}
	}
	return d, nil
}

// requirementEvidence records evidence for one requirement: a file, a link
// to a record of the same purchase or a written statement, vouched for by
// the person; "not applicable" with a reason, by an approver only; or the
// withdrawal of what was recorded. A refused form comes back with what was
// typed and what is wrong.
func (s *Server) requirementEvidence(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	if !p.Stage.Open() {
		return model.Forbidden()
	}
	u := currentUser(r)
	req := r.PathValue("req")
	// Only a requirement the screening made mandatory takes evidence.
	reqs, _, err := s.requirementStatuses(r.Context(), p, langOf(r, s))
	if err != nil {
		return err
	}
	conds, err := s.conditionStatuses(r.Context(), p, langOf(r, s))
	if err != nil {
		return err
	}
	reqs = append(reqs, conds...)
	var target *reqStatus
	for i := range reqs {
		if reqs[i].ID == req {
			target = &reqs[i]
		}
	}
	if target == nil {
		return model.NotFound("requirement")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload+formSlack)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return model.FieldErrors{"file": tooBigLimit}.Err()
	}
	e := &evidence.Evidence{PurchaseID: p.ID, Requirement: req, Kind: evidence.Kind(r.PostFormValue("kind")),
		Link: r.PostFormValue("link"), Text: r.PostFormValue("text")}
	fe := e.Validate()
	var file *store.PurchaseFile
	switch {
	case e.Kind == evidence.NotApplicable && target.Condition:
		// The oversight body set the condition; the buying body cannot
		// waive it (an override with reasons stays open, and is seen).
		fe.Add("kind", "opinion.cond.no_waiver")
	case e.Kind == evidence.NotApplicable && !access.Can(u, rel, access.SignOff):
		fe.Add("kind", "evidence.na_approver")
	case target.Computed && (e.Kind == evidence.File || e.Kind == evidence.Link || e.Kind == evidence.Statement):
		// What buyright checks itself cannot be vouched for instead.
		fe.Add("kind", "evidence.computed")
	case e.Kind == evidence.File:
		delete(fe, "file")
		up, err := s.oneFile(w, r)
		var me *model.Error
		if errors.As(err, &me) && len(me.Fields) > 0 {
			for k, v := range me.Fields {
				fe.Add(k, v)
			}
		} else if err != nil {
			return err
		} else {
			file = &store.PurchaseFile{Name: up.Name, CType: up.CType, SHA256: up.Blob.SHA256}
			e.FileID = -1 // stored with the record, in one transaction
		}
	}
	if len(fe) == 0 {
		err = s.db.AddEvidence(r.Context(), store.ActorOf(u), p, e, file)
		var me *model.Error
		if errors.As(err, &me) && len(me.Fields) > 0 {
			fe = me.Fields
		} else if err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.requirementsPage(r, p, rel)
		if err != nil {
			return err
		}
		d.Focus = req
		for i := range d.Reqs {
			if d.Reqs[i].ID == req {
				d.Reqs[i].Form = &formState{Key: "ev-" + req, Errors: fe,
					Values: map[string]string{"kind": string(e.Kind), "link": r.PostFormValue("link"), "text": r.PostFormValue("text")}}
			}
		}
		for k, v := range fe {
			d.ErrList = append(d.ErrList, errItem{Href: "#f-ev-" + req + "-" + k, Label: "req.field." + k, Msg: v})
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "requirements", "req.title", d)
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/requirements?done=saved#req-%s", p.ID, req), http.StatusSeeOther)
	return nil
}
