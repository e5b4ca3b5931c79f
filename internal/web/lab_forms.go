package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/lawmap"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Forms to propose law answers and practices (any signed-in person), and
// the review page (a Lab role's queue, and each organisation's own
// proposals).

type labForm struct {
	Values map[string]string
	Multi  map[string]map[string]bool
	Errors map[string]string
	Data   map[string]any
}

var labAnswerFields = []string{"lab_jurisdiction", "lab_question", "lab_answer", "lab_explanation", "lab_as_of",
	"lab_cite_instrument", "lab_cite_article", "lab_cite_url", "lab_cite2_instrument", "lab_cite2_article", "lab_cite2_url", "lab_judgement"}

func (s *Server) labAnswerPage(w http.ResponseWriter, r *http.Request, status int, f *labForm) error {
	q, err := s.labQuestions(r.Context())
	if err != nil {
		return err
	}
	js, err := s.db.Jurisdictions(r.Context())
	if err != nil {
		return err
	}
	f.Data = map[string]any{"Questions": q.Questions, "Jurisdictions": js, "Options": q.Questions[0].Options}
	return s.render(w, r, status, "lab_answer_form", "lab.propose_answer", f)
}

func (s *Server) labAnswerForm(w http.ResponseWriter, r *http.Request) error {
	f := &labForm{Values: map[string]string{
		"lab_jurisdiction": r.URL.Query().Get("j"), "lab_question": r.URL.Query().Get("q"),
		"lab_as_of": s.db.Now().UTC().Format("2006-01-02")}}
	return s.labAnswerPage(w, r, http.StatusOK, f)
}

func (s *Server) labAnswerCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q, err := s.labQuestions(r.Context())
	if err != nil {
		return err
	}
	f := &labForm{Values: map[string]string{}}
	for _, k := range labAnswerFields {
		if k == "lab_explanation" {
			f.Values[k] = model.CleanText(r.PostFormValue(k))
		} else {
			f.Values[k] = model.CleanLine(r.PostFormValue(k))
		}
	}
	v := f.Values
	a := lawmap.Answer{Jurisdiction: v["lab_jurisdiction"], Question: v["lab_question"], Answer: v["lab_answer"],
		Explanation: v["lab_explanation"], AsOf: v["lab_as_of"], Judgement: v["lab_judgement"] == "yes"}
	for _, p := range []string{"lab_cite", "lab_cite2"} {
		c := lawmap.Citation{Instrument: v[p+"_instrument"], Article: v[p+"_article"], URL: v[p+"_url"]}
		if c != (lawmap.Citation{}) {
			a.Citations = append(a.Citations, c)
		}
	}
	fe := lawmap.Check(q, &a, s.db.Now().UTC())
	if len(v["lab_explanation"]) > 10000 {
		fe["lab_explanation"] = "invalid.too_long"
	}
	if len(fe) == 0 {
		err := s.db.CreateLawAnswer(r.Context(), store.ActorOf(u), &store.LawAnswer{Answer: a, Respondent: u.Name})
		var me *model.Error
		if errors.As(err, &me) && len(me.Fields) > 0 {
			fe = me.Fields
		} else if err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		f.Errors = fe
		return s.labAnswerPage(w, r, http.StatusUnprocessableEntity, f)
	}
	http.Redirect(w, r, "/lab/review?done=answer_proposed", http.StatusSeeOther)
	return nil
}

var labPracticeFields = []string{"lab_title", "lab_body", "lab_jurisdiction", "lab_stage", "lab_hub", "lab_what_done", "lab_what_changed",
	"lab_evidence", "lab_tools", "lab_sources"}

func (s *Server) labPracticePage(w http.ResponseWriter, r *http.Request, status int, f *labForm) error {
	js, err := s.db.Jurisdictions(r.Context())
	if err != nil {
		return err
	}
	f.Data = map[string]any{"Jurisdictions": js, "Hubs": store.Hubs, "Rights": store.PracticeRights, "Techs": store.PracticeTechnologies}
	return s.render(w, r, status, "lab_practice_form", "lab.propose_practice", f)
}

func (s *Server) labPracticeForm(w http.ResponseWriter, r *http.Request) error {
	f := &labForm{Values: map[string]string{}, Multi: map[string]map[string]bool{"lab_technologies": {}}}
	if id := r.URL.Query().Get("edit"); id != "" {
		pr, err := s.editablePractice(r, id)
		if err != nil {
			return err
		}
		v := f.Values
		v["edit"] = strconv.FormatInt(pr.ID, 10)
		v["lab_title"], v["lab_body"], v["lab_jurisdiction"], v["lab_stage"], v["lab_hub"] = pr.Title, pr.Body, pr.Jurisdiction, string(pr.Stage), pr.Hub
		v["lab_what_done"], v["lab_what_changed"], v["lab_evidence"], v["lab_tools"], v["lab_sources"] = pr.WhatDone, pr.WhatChanged, pr.Evidence, pr.Tools, pr.Sources
		f.Multi["lab_rights"] = map[string]bool{}
		for _, x := range pr.Rights {
			f.Multi["lab_rights"][x] = true
		}
		for _, x := range pr.Technologies {
			f.Multi["lab_technologies"][x] = true
		}
	}
	if from := r.URL.Query().Get("from"); from != "" {
		p, err := s.ownPurchase(r, from)
		if err != nil {
			return err
		}
		if err := s.prefillFromPurchase(r, f, p); err != nil {
			return err
		}
	}
	return s.labPracticePage(w, r, http.StatusOK, f)
}

// ownPurchase loads the purchase a practice is drawn from: only people who
// may edit it may speak for what their body learned.
func (s *Server) ownPurchase(r *http.Request, id string) (*model.Purchase, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, model.NotFound("purchase")
	}
	u := currentUser(r)
	p, rel, err := s.db.Purchase(r.Context(), u, n)
	if err != nil {
		return nil, err
	}
	if !access.Can(u, rel, access.Edit) {
		return nil, model.Forbidden()
	}
	return p, nil
}

// prefillFromPurchase starts a practice entry from a body's own purchase:
// who, where, the stage and hub, what was done; what changed and the
// evidence are left for the body to write.
func (s *Server) prefillFromPurchase(r *http.Request, f *labForm, p *model.Purchase) error {
	org, err := s.db.Org(r.Context(), p.OrgID)
	if err != nil {
		return err
	}
	stage := p.Stage
	if !stage.Open() {
		stage = model.StageRenewalExit
	}
	v := f.Values
	v["from"] = strconv.FormatInt(p.ID, 10)
	v["lab_title"], v["lab_body"], v["lab_jurisdiction"], v["lab_stage"] = p.Title, org.Name, org.Jurisdiction, string(stage)
	if hubs := hubsFor(p); len(hubs) > 0 {
		v["lab_hub"] = hubs[0]
	}
	v["lab_what_done"] = p.Purpose
	for _, t := range p.Technologies {
		if slices.Contains(store.PracticeTechnologies, string(t)) {
			f.Multi["lab_technologies"][string(t)] = true
		}
	}
	return nil
}

func (s *Server) labPracticeCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if err := r.ParseForm(); err != nil {
		return model.FieldErrors{"_form": "error.invalid"}.Err()
	}
	f := &labForm{Values: map[string]string{}, Multi: map[string]map[string]bool{"lab_rights": {}, "lab_technologies": {}}}
	for _, k := range labPracticeFields {
		switch k {
		case "lab_title", "lab_body", "lab_jurisdiction", "lab_stage", "lab_hub":
			f.Values[k] = model.CleanLine(r.PostFormValue(k))
		default:
			f.Values[k] = model.CleanText(r.PostFormValue(k))
		}
	}
	v := f.Values
	p := &store.Practice{Title: v["lab_title"], Body: v["lab_body"], Jurisdiction: v["lab_jurisdiction"], Stage: model.Stage(v["lab_stage"]),
		Hub: v["lab_hub"], WhatDone: v["lab_what_done"], WhatChanged: v["lab_what_changed"], Evidence: v["lab_evidence"],
		Tools: v["lab_tools"], Sources: v["lab_sources"], AuthorOrg: u.OrgID}
	for _, x := range r.PostForm["lab_rights"] {
		p.Rights = append(p.Rights, x)
		f.Multi["lab_rights"][x] = true
	}
	for _, x := range r.PostForm["lab_technologies"] {
		p.Technologies = append(p.Technologies, x)
		f.Multi["lab_technologies"][x] = true
	}
	if from := r.PostFormValue("from"); from != "" {
		src, err := s.ownPurchase(r, from)
		if err != nil {
			return err
		}
		p.FromPurchase = src
		f.Values["from"] = from
	}
	var err error
	if id := r.PostFormValue("edit"); id != "" {
		old, err := s.editablePractice(r, id)
		if err != nil {
			return err
		}
		p.ID, p.AuthorOrg = old.ID, old.AuthorOrg
		f.Values["edit"] = id
		err = s.db.UpdatePractice(r.Context(), store.ActorOf(u), p)
		if fe := fieldErrs(err); fe != nil {
			f.Errors = fe
			return s.labPracticePage(w, r, http.StatusUnprocessableEntity, f)
		} else if err != nil {
			return err
		}
		http.Redirect(w, r, "/lab/review?done=saved", http.StatusSeeOther)
		return nil
	}
	err = s.db.CreatePractice(r.Context(), store.ActorOf(u), p, false)
	var me *model.Error
	if errors.As(err, &me) && len(me.Fields) > 0 {
		f.Errors = me.Fields
		return s.labPracticePage(w, r, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/lab/review?done=practice_proposed", http.StatusSeeOther)
	return nil
}

// labReviewData is the review page: the queue for people with a Lab role
// (what they may act on, and what they may not because it comes from
// their own organisation), and the person's own organisation's proposals
// with their status and any note. Nobody else sees a proposal before it
// is published.
type labReviewData struct {
	Answers      []labAnswerRow
	Practices    []labPracticeRow
	ReadsQueue   bool // every organisation's proposals, not only one's own
	CanReviewAny bool
	CanPublish   bool
}

type labAnswerRow struct {
	A               *store.LawAnswer
	Question, Label string
	Conflict        string // why the person may not review it, if so
	Review, Publish bool   // the buttons the person gets
}

type labPracticeRow struct {
	P               *store.Practice
	Mine            bool // from the person's own organisation: they may edit it
	Conflict        string
	Review, Publish bool
}

func (s *Server) labReview(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	g, err := s.labGrants(r)
	if err != nil {
		return err
	}
	d := &labReviewData{ReadsQueue: access.LabCan(u, g, access.LabReadQueue, ""), CanPublish: access.LabCan(u, g, access.LabPublish, "")}
	org := u.OrgID
	if d.ReadsQueue {
		org = 0
	}
	answers, err := s.db.UnpublishedLawAnswers(r.Context(), org)
	if err != nil {
		return err
	}
	// A hub lead reads the practices of their hub besides their own
	// organisation's.
	leadsHub := slices.ContainsFunc(g, func(x access.LabGrant) bool { return x.Role == access.LabHubLead })
	porg := org
	if leadsHub {
		porg = 0
	}
	practices, err := s.db.UnpublishedPractices(r.Context(), porg)
	if err != nil {
		return err
	}
	q, err := s.labQuestions(r.Context())
	if err != nil {
		return err
	}
	lang := s.catalog(r).Lang
	for _, a := range answers {
		row := labAnswerRow{A: a, Question: a.Question, Label: labOption(q, a.Question, a.Answer.Answer, lang),
			Conflict: access.LabConflict(u, a.RespondentID, a.RespondentOrg)}
		if it, ok := q.Question(a.Question); ok {
			row.Question = it.Title.In(lang)
		}
		if row.Conflict == "" {
			row.Review = a.Status == store.LawDraft && access.LabCan(u, g, access.LabReviewAnswer, "")
			row.Publish = a.Status == store.LawReviewed && d.CanPublish
		}
		d.CanReviewAny = d.CanReviewAny || access.LabCan(u, g, access.LabReviewAnswer, "")
		d.Answers = append(d.Answers, row)
	}
	for _, p := range practices {
		if !d.ReadsQueue && p.AuthorOrg != u.OrgID && !access.LabCan(u, g, access.LabReviewPractice, p.Hub) {
			continue
		}
		row := labPracticeRow{P: p, Mine: p.AuthorOrg == u.OrgID, Conflict: access.LabConflict(u, p.AuthorID, p.AuthorOrg)}
		if row.Conflict == "" {
			row.Review = p.Status == store.PracticeDraft && access.LabCan(u, g, access.LabReviewPractice, p.Hub)
			row.Publish = p.Status == store.PracticeReviewed && d.CanPublish
		}
		d.CanReviewAny = d.CanReviewAny || access.LabCan(u, g, access.LabReviewPractice, p.Hub)
		d.Practices = append(d.Practices, row)
	}
	return s.render(w, r, http.StatusOK, "lab_review", "lab.review_title", d)
}

// labStep runs one review step on the object with the path's id, for
// someone who may do one of acts; the store checks everything again,
// the conflict rule included, and its refusal carries the reason.
func (s *Server) labStep(w http.ResponseWriter, r *http.Request, what string, step func(a store.Actor, id int64) error, acts ...access.LabAction) error {
	if ok, err := s.labCanAny(r, acts...); err != nil {
		return err
	} else if !ok {
		return store.LabForbidden()
	}
	id, err := pathID(r, what)
	if err != nil {
		return err
	}
	if err := step(store.ActorOf(currentUser(r)), id); err != nil {
		return err
	}
	done := "saved"
	if strings.HasSuffix(r.URL.Path, "/publish") {
		done = "lab_published"
	}
	http.Redirect(w, r, "/lab/review?done="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) labAnswerApprove(w http.ResponseWriter, r *http.Request) error {
	return s.labStep(w, r, "law answer", func(a store.Actor, id int64) error { return s.db.ReviewLawAnswer(r.Context(), a, id) }, access.LabReviewAnswer)
}

func (s *Server) labAnswerPublish(w http.ResponseWriter, r *http.Request) error {
	return s.labStep(w, r, "law answer", func(a store.Actor, id int64) error { return s.db.PublishLawAnswer(r.Context(), a, id) }, access.LabPublish)
}

func (s *Server) labAnswerReturn(w http.ResponseWriter, r *http.Request) error {
	return s.labStep(w, r, "law answer", func(a store.Actor, id int64) error {
		return s.db.ReturnLawAnswer(r.Context(), a, id, r.PostFormValue("note"))
	}, access.LabReviewAnswer, access.LabPublish)
}

// labAnswerConfirm records a reviewer's check of a seed answer, from its
// jurisdiction's page, and goes back there.
func (s *Server) labAnswerConfirm(w http.ResponseWriter, r *http.Request) error {
	if ok, err := s.labCan(r, access.LabReviewAnswer, ""); err != nil {
		return err
	} else if !ok {
		return store.LabForbidden()
	}
	id, err := pathID(r, "law answer")
	if err != nil {
		return err
	}
	if err := s.db.ConfirmSeedAnswer(r.Context(), store.ActorOf(currentUser(r)), id); err != nil {
		return err
	}
	a, err := s.db.LawAnswerByID(r.Context(), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/lab/law/"+a.Jurisdiction+"?done=saved#a-"+a.Question, http.StatusSeeOther)
	return nil
}

func (s *Server) labPracticeApprove(w http.ResponseWriter, r *http.Request) error {
	return s.labStep(w, r, "practice", func(a store.Actor, id int64) error { return s.db.ReviewPractice(r.Context(), a, id) }, access.LabReviewPractice)
}

func (s *Server) labPracticePublish(w http.ResponseWriter, r *http.Request) error {
	return s.labStep(w, r, "practice", func(a store.Actor, id int64) error { return s.db.PublishPractice(r.Context(), a, id) }, access.LabPublish)
}

// labPracticeReturn sends a practice back to its author with a note.
func (s *Server) labPracticeReturn(w http.ResponseWriter, r *http.Request) error {
	return s.labStep(w, r, "practice", func(a store.Actor, id int64) error {
		return s.db.ReturnPractice(r.Context(), a, id, r.PostFormValue("note"))
	}, access.LabReviewPractice, access.LabPublish)
}

// editablePractice loads a draft or returned practice that the person's
// organisation proposed; nobody else edits it, reviewers included.
func (s *Server) editablePractice(r *http.Request, id string) (*store.Practice, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, model.NotFound("practice")
	}
	p, err := s.db.PracticeByID(r.Context(), n, true)
	if err != nil {
		return nil, err
	}
	u := currentUser(r)
	if p.AuthorOrg == 0 || p.AuthorOrg != u.OrgID || (p.Status != store.PracticeDraft && p.Status != store.PracticeReturned) {
		return nil, model.NotFound("practice")
	}
	return p, nil
}
