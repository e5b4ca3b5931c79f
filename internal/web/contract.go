package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The signed contract, its safeguards and amendments (one page), and the
// reviews, renewal decisions and exit plan (another). Whoever may see the
// purchase's record reads them; whoever may edit the purchase records them.

func (s *Server) contractRoutes(member func(string, handlerFunc)) {
	member("GET /purchases/{id}/contract", recordPage(s, "contract", "contract.title", s.contractState))
	member("POST /purchases/{id}/contract", s.contractSave)
	member("POST /purchases/{id}/contract/safeguards", s.safeguardsSave)
	member("POST /purchases/{id}/contract/amendments", s.amendmentAdd)
	member("GET /purchases/{id}/reviews", recordPage(s, "reviews", "reviews.title", s.reviewsState))
	member("POST /purchases/{id}/reviews", s.reviewSchedule)
	member("GET /purchases/{id}/reviews/{review}", recordPage(s, "review", "review.title", s.reviewState))
	member("POST /purchases/{id}/reviews/{review}", s.reviewDecide)
	member("POST /purchases/{id}/exit", s.exitSave)
}

// contractPanel is what the purchase page shows about the contract: from
// the award on, or as soon as a contract is recorded.
type contractPanelData struct {
	C          *contract.Contract
	Amendments int
	Rescreen   *contract.Amendment // a widening amendment newer than the screening
	Next       *contract.Review    // the next review not yet held
	Overdue    bool
	Exit       *contract.ExitPlan
	ExitDone   bool
}

func (s *Server) contractPanel(r *http.Request, p *model.Purchase, rel access.Relation, b *store.Batch, sc **store.Screening) panelBuild {
	if !access.Can(currentUser(r), rel, access.ViewRecord) {
		return noPanel
	}
	var c *contract.Contract
	d := &contractPanelData{}
	var ams []contract.Amendment
	var rs []contract.Review
	b.Contract(p.ID, &c)
	b.ExitPlan(p.ID, &d.Exit)
	b.Amendments(p.ID, &ams)
	b.Reviews(p.ID, &rs)
	return func() (any, error) {
		if c == nil && p.Stage.Index() < model.StageAward.Index() {
			return nil, nil
		}
		d.C = c
		d.ExitDone = d.Exit != nil && len(d.Exit.Missing()) == 0
		d.Amendments = len(ams)
		var widening *contract.Amendment
		for i := range ams {
			if ams[i].Widens() {
				widening = &ams[i]
			}
		}
		if widening != nil && (*sc == nil || (*sc).UpdatedAt.Before(widening.CreatedAt)) {
			d.Rescreen = widening
		}
		for i := range rs {
			if !rs[i].Held() {
				d.Next, d.Overdue = &rs[i], rs[i].Overdue(model.DateOf(s.now()))
				break
			}
		}
		return d, nil
	}
}

type safeguardRow struct {
	ID, Title, Part, Decision string
	Marked, Signed            bool
	Note, Error               string
}

type contractPage struct {
	P          *model.Purchase
	CanEdit    bool
	CanUpload  bool
	C          *contract.Contract
	Form       map[string]string // the record form as typed
	Errors     model.FieldErrors
	Safeguards []safeguardRow
	SGErrors   model.FieldErrors
	Amendments []contract.Amendment
	AForm      map[string]string
	AErrors    model.FieldErrors
	Rescreen   *contract.Amendment
	Files      []store.PurchaseFile
}

func (s *Server) contractState(r *http.Request, p *model.Purchase, rel access.Relation) (*contractPage, error) {
	ctx := r.Context()
	u := currentUser(r)
	d := &contractPage{P: p, CanEdit: access.Can(u, rel, access.Edit), CanUpload: access.Can(u, rel, access.Assess),
		Form: map[string]string{}, AForm: map[string]string{"made_on": model.DateOf(s.now()).String()}}
	f, err := s.db.ContractFacts(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	d.C = f.Contract
	if c := d.C; c != nil {
		d.Form = map[string]string{"suppliers": strings.Join(c.Suppliers, "\n"), "reference": c.Reference, "value": moneyInput(c.ValueMinor),
			"currency": c.Currency, "signed_on": c.SignedOn.String(), "starts_on": c.StartsOn.String(), "ends_on": c.EndsOn.String(),
			"rev": strconv.FormatInt(c.Rev, 10)}
	} else {
		d.Form = map[string]string{"currency": p.Currency, "value": moneyInput(p.ValueMinor), "starts_on": p.ContractStart.String(), "ends_on": p.ContractEnd.String(), "rev": "0"}
	}
	if w := f.LastWidening; w != nil && (f.ScreenedAt.IsZero() || f.ScreenedAt.Before(w.CreatedAt)) {
		d.Rescreen = w
	}
	set, _ := s.dd.current()
	lang := langOf(r, s)
	choices, err := s.db.TenderChoices(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, id := range f.Chosen {
		row := safeguardRow{ID: id, Title: itemTitle(set, id, lang), Decision: choices[id].Decision}
		if it, ok := set.Item(id); ok {
			row.Part = it.PartOf()
		}
		if sg, ok := f.Safeguards[id]; ok {
			row.Marked, row.Signed, row.Note = true, sg.Signed, sg.Note
		}
		d.Safeguards = append(d.Safeguards, row)
	}
	if d.Amendments, err = s.db.Amendments(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.Files, err = s.db.PurchaseFiles(ctx, p.ID, "contract"); err != nil {
		return nil, err
	}
	return d, nil
}

// fieldErrs returns the field errors inside err, or nil when err is some
// other failure.
func fieldErrs(err error) model.FieldErrors {
	var e *model.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields
	}
	return nil
}

func formDate(r *http.Request, name string, fe model.FieldErrors) model.Date {
	d, err := model.ParseDate(strings.TrimSpace(r.PostFormValue(name)))
	if err != nil {
		fe.Add(name, "invalid.date")
	}
	return d
}

func (s *Server) contractSave(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	c := &contract.Contract{PurchaseID: p.ID, Suppliers: strings.Split(r.PostFormValue("suppliers"), "\n"), Reference: r.PostFormValue("reference"),
		Currency: r.PostFormValue("currency"), SignedOn: formDate(r, "signed_on", fe), StartsOn: formDate(r, "starts_on", fe), EndsOn: formDate(r, "ends_on", fe)}
	if v, ok := parseMoney(r.PostFormValue("value")); ok {
		c.ValueMinor = v
	} else {
		fe.Add("value", "invalid.money")
	}
	rev, _ := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	if len(fe) == 0 {
		err = s.db.SaveContract(r.Context(), store.ActorOf(currentUser(r)), p, c, rev)
		fe = fieldErrs(err)
		if err != nil && fe == nil {
			return err
		}
	} else {
		for k, v := range c.Validate() {
			if _, ok := fe[k]; !ok {
				fe[k] = v
			}
		}
	}
	if len(fe) > 0 {
		d, err := s.contractState(r, p, rel)
		if err != nil {
			return err
		}
		for _, k := range []string{"suppliers", "reference", "value", "currency", "signed_on", "starts_on", "ends_on", "rev"} {
			d.Form[k] = r.PostFormValue(k)
		}
		d.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "contract", "contract.title", d)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/contract?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) safeguardsSave(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	f, err := s.db.ContractFacts(r.Context(), p.ID)
	if err != nil {
		return err
	}
	var marks []contract.Safeguard
	fe := model.FieldErrors{}
	// Only the items the tender pack chose can be marked; anything else in
	// the form is ignored.
	for _, id := range f.Chosen {
		switch r.PostFormValue("sg_" + id) {
		case "signed":
			marks = append(marks, contract.Safeguard{ItemID: id, Signed: true, Note: r.PostFormValue("note_" + id)})
		case "dropped":
			marks = append(marks, contract.Safeguard{ItemID: id, Note: r.PostFormValue("note_" + id)})
		case "":
		default:
			fe.Add("sg_"+id, "invalid.choice")
		}
	}
	if len(fe) == 0 {
		err = s.db.SaveSafeguards(r.Context(), store.ActorOf(currentUser(r)), p, marks)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.contractState(r, p, rel)
		if err != nil {
			return err
		}
		for i := range d.Safeguards {
			row := &d.Safeguards[i]
			switch r.PostFormValue("sg_" + row.ID) {
			case "signed":
				row.Marked, row.Signed = true, true
			case "dropped":
				row.Marked, row.Signed = true, false
			}
			row.Note = r.PostFormValue("note_" + row.ID)
			row.Error = fe["note_"+row.ID] + fe["sg_"+row.ID]
		}
		d.SGErrors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "contract", "contract.title", d)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/contract?done=saved#safeguards", http.StatusSeeOther)
	return nil
}

func (s *Server) amendmentAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	a := &contract.Amendment{PurchaseID: p.ID, MadeOn: formDate(r, "made_on", fe), Summary: r.PostFormValue("summary"), Reason: r.PostFormValue("reason"),
		WidensScope: r.PostFormValue("widens_scope") != "", WidensData: r.PostFormValue("widens_data") != "", WidensDuration: r.PostFormValue("widens_duration") != "",
		NewEndsOn: formDate(r, "new_ends_on", fe)}
	if v, ok := parseMoney(r.PostFormValue("new_value")); ok {
		a.NewValueMinor = v
	} else {
		fe.Add("new_value", "invalid.money")
	}
	if len(fe) == 0 {
		err = s.db.AddAmendment(r.Context(), store.ActorOf(currentUser(r)), p, a)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.contractState(r, p, rel)
		if err != nil {
			return err
		}
		for _, k := range []string{"made_on", "summary", "reason", "widens_scope", "widens_data", "widens_duration", "new_ends_on", "new_value"} {
			d.AForm[k] = r.PostFormValue(k)
		}
		d.AErrors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "contract", "contract.title", d)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/contract?done=saved#amendments", http.StatusSeeOther)
	return nil
}

type reviewsPage struct {
	P         *model.Purchase
	CanEdit   bool
	CanUpload bool
	Today     model.Date
	Reviews   []contract.Review
	Kinds     []string
	Form      map[string]string
	Errors    model.FieldErrors
	Exit      *contract.ExitPlan
	XForm     map[string]string
	XErrors   model.FieldErrors
	Missing   []string
	Files     []store.PurchaseFile
}

func (s *Server) reviewsState(r *http.Request, p *model.Purchase, rel access.Relation) (*reviewsPage, error) {
	ctx := r.Context()
	u := currentUser(r)
	d := &reviewsPage{P: p, CanEdit: access.Can(u, rel, access.Edit), CanUpload: access.Can(u, rel, access.Assess), Today: model.DateOf(s.now()),
		Kinds: contract.Kinds, Form: map[string]string{"kind": contract.KindReview}, XForm: map[string]string{"rev": "0"}}
	var err error
	if d.Reviews, err = s.db.Reviews(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.Exit, err = s.db.ExitPlan(ctx, p.ID); err != nil {
		return nil, err
	}
	if e := d.Exit; e != nil {
		d.XForm = map[string]string{"data_return": e.DataReturn, "deletion": e.Deletion, "transition": e.Transition,
			"returned_on": e.ReturnedOn.String(), "deleted_on": e.DeletedOn.String(), "rev": strconv.FormatInt(e.Rev, 10)}
	}
	d.Missing = d.Exit.Missing()
	if d.Files, err = s.db.PurchaseFiles(ctx, p.ID, "exit"); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) reviewSchedule(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	due := formDate(r, "due_on", fe)
	if len(fe) == 0 {
		_, err = s.db.ScheduleReview(r.Context(), store.ActorOf(currentUser(r)), p, r.PostFormValue("kind"), due)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.reviewsState(r, p, rel)
		if err != nil {
			return err
		}
		d.Form = map[string]string{"kind": r.PostFormValue("kind"), "due_on": r.PostFormValue("due_on")}
		d.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "reviews", "reviews.title", d)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/reviews?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) exitSave(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	e := &contract.ExitPlan{PurchaseID: p.ID, DataReturn: r.PostFormValue("data_return"), Deletion: r.PostFormValue("deletion"),
		Transition: r.PostFormValue("transition"), ReturnedOn: formDate(r, "returned_on", fe), DeletedOn: formDate(r, "deleted_on", fe)}
	rev, _ := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	if len(fe) == 0 {
		err = s.db.SaveExitPlan(r.Context(), store.ActorOf(currentUser(r)), p, e, rev)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.reviewsState(r, p, rel)
		if err != nil {
			return err
		}
		for _, k := range []string{"data_return", "deletion", "transition", "returned_on", "deleted_on", "rev"} {
			d.XForm[k] = r.PostFormValue(k)
		}
		d.XErrors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "reviews", "reviews.title", d)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/reviews?done=saved#exit", http.StatusSeeOther)
	return nil
}

type reviewPage struct {
	P        *model.Purchase
	CanEdit  bool
	R        contract.Review
	Outcomes []string
	Form     map[string]string
	Errors   model.FieldErrors
	Screened *store.Screening
}

func (s *Server) loadReview(r *http.Request, p *model.Purchase) (*contract.Review, error) {
	id, err := strconv.ParseInt(r.PathValue("review"), 10, 64)
	if err != nil {
		return nil, model.NotFound("review")
	}
	rs, err := s.db.Reviews(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if rs[i].ID == id {
			return &rs[i], nil
		}
	}
	return nil, model.NotFound("review")
}

func (s *Server) reviewState(r *http.Request, p *model.Purchase, rel access.Relation) (*reviewPage, error) {
	rv, err := s.loadReview(r, p)
	if err != nil {
		return nil, err
	}
	d := &reviewPage{P: p, CanEdit: access.Can(currentUser(r), rel, access.Edit) && !rv.Held(), R: *rv, Outcomes: contract.OutcomesFor(rv.Kind),
		Form: map[string]string{"held_on": model.DateOf(s.now()).String()}}
	if d.Screened, err = s.db.Screening(r.Context(), p.ID); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	rv, err := s.loadReview(r, p)
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	x := &contract.Review{ID: rv.ID, PurchaseID: p.ID, Outcome: r.PostFormValue("outcome"), HeldOn: formDate(r, "held_on", fe),
		Findings: r.PostFormValue("findings"), Evidence: r.PostFormValue("evidence"), NewEndsOn: formDate(r, "new_ends_on", fe)}
	if len(fe) == 0 {
		err = s.db.DecideReview(r.Context(), store.ActorOf(currentUser(r)), p, x)
		if fe = fieldErrs(err); err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		d, err := s.reviewState(r, p, rel)
		if err != nil {
			return err
		}
		for _, k := range []string{"outcome", "held_on", "findings", "evidence", "new_ends_on"} {
			d.Form[k] = r.PostFormValue(k)
		}
		d.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "review", "review.title", d)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/reviews?done=saved", http.StatusSeeOther)
	return nil
}
