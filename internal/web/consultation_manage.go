package web

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/consultation"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The body's side of its consultations: the list on a purchase with the
// gate's verdict and the reason for holding none, and the working page of
// one consultation (the draft in each language, opening it, the deadline,
// invitations). Moderation, answers, impacts and the report are in
// consultation_work.go.

type consultPurchaseData struct {
	P         *model.Purchase
	Items     []*consultation.Consultation
	Today     model.Date
	Lang      string
	CanManage bool
	Gate      lifecycle.Result
	Waiver    *consultation.Waiver
	Langs     []langChoice
	Values    map[string]string
	Errors    map[string]string
}

func (s *Server) consultPurchasePage(w http.ResponseWriter, r *http.Request, status int, p *model.Purchase, rel access.Relation, d *consultPurchaseData) error {
	ctx := r.Context()
	d.P, d.Today, d.Lang = p, model.DateOf(s.now()), langOf(r, s)
	d.CanManage = access.CanConsult(currentUser(r), rel, access.ConsultManage) && p.Stage.Open()
	var err error
	if d.Items, err = s.db.PurchaseConsultations(ctx, p.ID); err != nil {
		return err
	}
	f, err := s.db.ConsultationFacts(ctx, p.ID)
	if err != nil {
		return err
	}
	d.Gate, d.Waiver = consultation.Judge(f, d.Today), f.Waiver
	for _, l := range consultation.Langs {
		d.Langs = append(d.Langs, langChoice{Code: l, Name: s.i18n.Catalog(l).Name, Current: l == d.Lang})
	}
	if d.Values == nil {
		d.Values = map[string]string{}
	}
	return s.render(w, r, status, "consultations_purchase", "consult.purchase_title", d)
}

// consultPurchase lists a purchase's consultations for its body and the
// oversight bodies with it in their remit.
func (s *Server) consultPurchase(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	if !access.CanConsult(currentUser(r), rel, access.ConsultRead) {
		return model.Forbidden()
	}
	return s.consultPurchasePage(w, r, http.StatusOK, p, rel, &consultPurchaseData{})
}

// loadConsultPurchase loads the purchase of the URL and checks act.
func (s *Server) loadConsultPurchase(r *http.Request, act access.ConsultAction) (*model.Purchase, access.Relation, error) {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return nil, rel, err
	}
	if !access.CanConsult(currentUser(r), rel, act) {
		return nil, rel, model.Forbidden()
	}
	if act == access.ConsultManage && !p.Stage.Open() {
		return nil, rel, model.Forbidden()
	}
	return p, rel, nil
}

// consultCreate starts a draft with its title in one language.
func (s *Server) consultCreate(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadConsultPurchase(r, access.ConsultManage)
	if err != nil {
		return err
	}
	lang, title := r.PostFormValue("new_lang"), model.CleanLine(r.PostFormValue("new_title"))
	fe := model.FieldErrors{}
	if !contains(consultation.Langs, lang) {
		fe.Add("new_lang", "invalid.choice")
	}
	if title == "" {
		fe.Add("new_title", "invalid.required")
	}
	c := &consultation.Consultation{Texts: []consultation.Text{{Lang: lang, Title: title}}}
	if len(fe) == 0 {
		err := s.db.CreateConsultation(r.Context(), store.ActorOf(currentUser(r)), p, c)
		var e *model.Error
		switch {
		case errors.As(err, &e) && len(e.Fields) > 0:
			fe.Add("new_title", e.Fields[consultation.FieldName("title", lang)])
		case err != nil:
			return err
		}
	}
	if len(fe) > 0 {
		return s.consultPurchasePage(w, r, http.StatusUnprocessableEntity, p, rel, &consultPurchaseData{Errors: fe,
			Values: map[string]string{"new_lang": lang, "new_title": r.PostFormValue("new_title")}})
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/consultations/%d?done=consult_created", p.ID, c.ID), http.StatusSeeOther)
	return nil
}

// consultWaiver records the body's reason for holding no consultation.
func (s *Server) consultWaiver(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadConsultPurchase(r, access.ConsultManage)
	if err != nil {
		return err
	}
	reason := r.PostFormValue("w_reason")
	if err := s.db.RecordConsultationWaiver(r.Context(), store.ActorOf(currentUser(r)), p, reason); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		return s.consultPurchasePage(w, r, http.StatusUnprocessableEntity, p, rel, &consultPurchaseData{Errors: fe, Values: map[string]string{"w_reason": reason}})
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/consultations?done=waived", p.ID), http.StatusSeeOther)
	return nil
}

// langText is one language's part of the draft form.
type langText struct {
	Code, Name string
	Text       consultation.Text
	Questions  string // one per line
}

// manageResponse is a response on the working page.
type manageResponse struct {
	responseView
	Name, Contact string // a named person's, for those who may read them
	Impacts       []int  // impacts of the assessment raised from it
	Excerpt       string
}

type consultManageData struct {
	P            *model.Purchase
	C            *consultation.Consultation
	Text         consultation.Text // the language the page shows questions in
	Phase        consultation.Phase
	Today        model.Date
	CanManage    bool
	CanIdentity  bool
	Langs        []langText
	Formats      []consultation.Format
	Needed       []errItem // what the draft still needs before it can open
	Invited      []*model.Organisation
	Invitable    []*model.Organisation
	Responses    []manageResponse
	Unanswered   []manageResponse // responses an answer may still take
	Answers      []*consultation.Answer
	Counts       consultation.Counts
	Blocking     []errItem // what stops the report
	Rights       []optionView
	Ratings      []int
	Rules        []string
	Outcomes     []consultation.Outcome
	Form         string            // the form the errors belong to
	Values       map[string]string // what that form sent
	Multi        map[string]bool
	Errors       map[string]string
	ErrList      []errItem
	ResponseNums map[int64]int // response id → its number on the page
}

// loadConsultation loads the consultation of the URL, which must belong to
// the purchase of the URL, checking act on the purchase.
func (s *Server) loadConsultation(r *http.Request, act access.ConsultAction) (*model.Purchase, access.Relation, *consultation.Consultation, error) {
	p, rel, err := s.loadConsultPurchase(r, act)
	if err != nil {
		return nil, rel, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("c"), 10, 64)
	if err != nil {
		return nil, rel, nil, model.NotFound("consultation")
	}
	c, err := s.db.Consultation(r.Context(), id)
	if err != nil {
		return nil, rel, nil, err
	}
	if c.PurchaseID != p.ID {
		return nil, rel, nil, model.NotFound("consultation")
	}
	return p, rel, c, nil
}

func (s *Server) consultManage(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultRead)
	if err != nil {
		return err
	}
	return s.manageWith(w, r, http.StatusOK, p, rel, c, "", nil, nil)
}

// manageWith shows the working page; after a refused form, form names it
// and values and fe hold what it sent and what is wrong.
func (s *Server) manageWith(w http.ResponseWriter, r *http.Request, status int, p *model.Purchase, rel access.Relation, c *consultation.Consultation, form string, values map[string][]string, fe model.FieldErrors) error {
	ctx := r.Context()
	u := currentUser(r)
	lang := langOf(r, s)
	today := model.DateOf(s.now())
	d := &consultManageData{P: p, C: c, Phase: c.Phase(today), Today: today, Text: s.shownText(r, c, ""),
		CanManage:   access.CanConsult(u, rel, access.ConsultManage) && p.Stage.Open(),
		CanIdentity: access.CanConsult(u, rel, access.ConsultIdentity),
		Formats:     consultation.Formats, Ratings: []int{1, 2, 3, 4}, Rules: consultation.Rules, Outcomes: consultation.Outcomes,
		Form: form, Values: map[string]string{}, Multi: map[string]bool{}, Errors: fe, ResponseNums: map[int64]int{}}
	for k, vs := range values {
		if len(vs) > 0 {
			d.Values[k] = vs[0]
		}
		for _, v := range vs {
			d.Multi[k+":"+v] = true
		}
	}
	for _, l := range consultation.Langs {
		t, ok := c.In(l)
		if !ok {
			t = consultation.Text{Lang: l}
		}
		d.Langs = append(d.Langs, langText{Code: l, Name: s.i18n.Catalog(l).Name, Text: t, Questions: strings.Join(t.Questions, "\n")})
	}
	if c.Status == consultation.Draft {
		d.Needed = errList("draft", c.OpenProblems(today))
	}
	var err error
	if d.Invited, err = s.db.ConsultationInvitations(ctx, c.ID); err != nil {
		return err
	}
	civil, err := s.civilOrgs(r)
	if err != nil {
		return err
	}
	invited := map[int64]bool{}
	for _, o := range d.Invited {
		invited[o.ID] = true
	}
	for _, o := range civil {
		if !invited[o.ID] {
			d.Invitable = append(d.Invitable, o)
		}
	}
	rs, err := s.db.ConsultationResponses(ctx, c.ID)
	if err != nil {
		return err
	}
	d.Counts = consultation.Count(rs)
	if d.Answers, err = s.db.ConsultationAnswers(ctx, c.ID); err != nil {
		return err
	}
	answers := map[int64]*consultation.Answer{}
	for _, a := range d.Answers {
		answers[a.ID] = a
	}
	impacts, err := s.db.ImpactsFromResponses(ctx, p.ID, c.ID)
	if err != nil {
		return err
	}
	for i, x := range rs {
		m := manageResponse{responseView: viewResponse(x, d.Text, answers), Impacts: impacts[x.ID], Excerpt: x.Excerpt(600)}
		d.ResponseNums[x.ID] = i + 1
		if x.Named && d.CanIdentity && s.box != nil {
			if sealed, err := s.db.ResponseIdentity(ctx, x.ID); err == nil && sealed != nil {
				if plain, err := s.box.Open(sealed, responseRef(x.ID)); err == nil {
					m.Name, m.Contact, _ = strings.Cut(string(plain), "\n")
				}
			}
		}
		d.Responses = append(d.Responses, m)
		if x.Visible() {
			d.Unanswered = append(d.Unanswered, m)
		}
	}
	if d.Phase == consultation.PhaseClosed {
		d.Blocking = errList("report", c.ReportProblems(rs, today))
	}
	set, _ := s.dd.current()
	for _, it := range set.OfKind("right") {
		d.Rights = append(d.Rights, optionView{ID: it.ID, Label: it.Title.In(lang)})
	}
	d.ErrList = errList(form, fe)
	return s.render(w, r, status, "consultation_manage", "consult.manage_title", d)
}

// errList turns a form's problems into the lines of an error summary,
// each linked to its field ("#f-FORM-FIELD"), in a stable order.
func errList(form string, fe model.FieldErrors) []errItem {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]errItem, 0, len(keys))
	for _, k := range keys {
		e := errItem{Href: "#f-" + form + "-" + k, Label: "field." + k, Msg: fe[k]}
		if k == "_form" {
			e.Href, e.Label = "#form-"+form, "consult.this_form"
		}
		out = append(out, e)
	}
	return out
}

// refused shows the working page again after form was refused with err,
// or returns err when it is not about the form's fields.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, c *consultation.Consultation, form string, err error) error {
	var e *model.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	status := http.StatusUnprocessableEntity
	if e.Code == model.EConflict {
		status = http.StatusConflict
	}
	r.ParseForm()
	return s.manageWith(w, r, status, p, rel, c, form, r.PostForm, e.Fields)
}

func (s *Server) backToManage(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, done, anchor string) {
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/consultations/%d?done=%s#%s", c.PurchaseID, c.ID, done, anchor), http.StatusSeeOther)
}

// draftFromForm reads the draft form into c.
func draftFromForm(c *consultation.Consultation, r *http.Request) (formats []consultation.Format, fe model.FieldErrors) {
	fe = model.FieldErrors{}
	v := r.PostFormValue
	d, err := model.ParseDate(v("c_deadline"))
	if err != nil {
		fe.Add("c_deadline", "invalid.date")
	}
	c.Deadline = d
	for _, f := range r.PostForm["c_formats"] {
		formats = append(formats, consultation.Format(f))
	}
	c.Formats = formats
	c.Texts = nil
	for _, l := range consultation.Langs {
		c.Texts = append(c.Texts, consultation.Text{Lang: l,
			Title: v(consultation.FieldName("title", l)), Summary: v(consultation.FieldName("summary", l)), Deciding: v(consultation.FieldName("deciding", l)),
			Questions: consultation.ParseQuestions(v(consultation.FieldName("questions", l))), Use: v(consultation.FieldName("use", l)),
			Access: v(consultation.FieldName("access", l))})
	}
	return formats, fe
}

// consultSaveDraft saves the draft; with "open" it then publishes it.
func (s *Server) consultSaveDraft(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultManage)
	if err != nil {
		return err
	}
	if c.Status != consultation.Draft {
		return model.Errorf(model.EConflict, "consult.not_draft", "this consultation is no longer a draft")
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	rev, _ := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	edited := *c
	edited.Rev = rev
	formats, fe := draftFromForm(&edited, r)
	if len(fe) > 0 {
		return s.refused(w, r, p, rel, c, "draft", fe.Err())
	}
	a := store.ActorOf(currentUser(r))
	if err := s.db.SaveConsultationDraft(r.Context(), a, &edited, formats); err != nil {
		return s.refused(w, r, p, rel, c, "draft", conflictAsField(err))
	}
	if r.PostFormValue("action") == "open" {
		if err := s.db.OpenConsultation(r.Context(), a, &edited); err != nil {
			// The words are saved; show what opening still needs.
			return s.refused(w, r, p, rel, &edited, "draft", conflictAsField(err))
		}
		s.backToManage(w, r, c, "opened", "status")
		return nil
	}
	s.backToManage(w, r, c, "saved", "draft")
	return nil
}

// conflictAsField turns "someone else saved meanwhile" into a problem the
// form shows, so the person keeps what they typed.
func conflictAsField(err error) error {
	var e *model.Error
	if errors.As(err, &e) && e.Code == model.EConflict && len(e.Fields) == 0 {
		return &model.Error{Code: model.EConflict, Key: e.Key, Message: e.Message, Fields: model.FieldErrors{"_form": e.Key}}
	}
	return err
}

// consultOpen publishes a draft as saved.
func (s *Server) consultOpen(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultManage)
	if err != nil {
		return err
	}
	if err := s.db.OpenConsultation(r.Context(), store.ActorOf(currentUser(r)), c); err != nil {
		return s.refused(w, r, p, rel, c, "draft", conflictAsField(err))
	}
	s.backToManage(w, r, c, "opened", "status")
	return nil
}

// consultExtend moves an open consultation's deadline later.
func (s *Server) consultExtend(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultManage)
	if err != nil {
		return err
	}
	d, err := model.ParseDate(r.PostFormValue("c_deadline"))
	if err != nil {
		return s.refused(w, r, p, rel, c, "deadline", model.FieldErrors{"c_deadline": "invalid.date"}.Err())
	}
	if err := s.db.ExtendConsultation(r.Context(), store.ActorOf(currentUser(r)), c, d); err != nil {
		return s.refused(w, r, p, rel, c, "deadline", conflictAsField(err))
	}
	s.backToManage(w, r, c, "saved", "status")
	return nil
}

// consultInvite invites a civil-society organisation.
func (s *Server) consultInvite(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultManage)
	if err != nil {
		return err
	}
	org, err := strconv.ParseInt(r.PostFormValue("inv_org"), 10, 64)
	if err != nil {
		return s.refused(w, r, p, rel, c, "invite", model.FieldErrors{"inv_org": "invalid.choice"}.Err())
	}
	if err := s.db.InviteToConsultation(r.Context(), store.ActorOf(currentUser(r)), c, org); err != nil {
		return s.refused(w, r, p, rel, c, "invite", err)
	}
	s.backToManage(w, r, c, "consult_invited", "invitations")
	return nil
}

// V is the value a field of form shows: what was typed when that form was
// refused, else what is stored.
func (d *consultManageData) V(form, name, stored string) string {
	if d.Form == form {
		return d.Values[name]
	}
	return stored
}

// E is the problem of a field of form, if that form was refused.
func (d *consultManageData) E(form, name string) string {
	if d.Form == form {
		return d.Errors[name]
	}
	return ""
}

// M reports whether a checkbox of form is ticked: as sent when that form
// was refused, else as stored.
func (d *consultManageData) M(form, name, value string, stored bool) bool {
	if d.Form == form {
		return d.Multi[name+":"+value]
	}
	return stored
}

// Stored is the stored value of a part of the text in lang, for the draft
// form.
func (l langText) Stored(part string) string {
	t := l.Text
	switch part {
	case "title":
		return t.Title
	case "summary":
		return t.Summary
	case "deciding":
		return t.Deciding
	case "questions":
		return l.Questions
	case "use":
		return t.Use
	case "access":
		return t.Access
	case "report":
		return t.Report
	}
	return ""
}

// AV is the stored value of a field of answer a, "" when a is nil (the
// form for a new answer).
func (d *consultManageData) AV(a *consultation.Answer, field string) string {
	if a == nil {
		return ""
	}
	switch field {
	case "said":
		return a.Said
	case "did":
		return a.Did
	case "why_not":
		return a.WhyNot
	case "outcome":
		return string(a.Outcome)
	}
	return ""
}

// InAnswer reports whether response m is one of those answer a covers.
func (d *consultManageData) InAnswer(m manageResponse, a *consultation.Answer) bool {
	return a != nil && m.AnswerID == a.ID
}
