package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"buyright/internal/access"
	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/supplierdd"
)

// Supplier due diligence: an invited supplier answers the questionnaire
// from its own account (each submission a new version) with evidence; the
// body reads each supplier's answers, sees what changed since the last
// version, and scores and comments. A supplier sees only its own answers
// and the body's review of them, never another supplier's.

func (s *Server) supplierDDRoutes(member func(string, handlerFunc)) {
	member("GET /purchases/{id}/due-diligence", s.ddHome)
	member("POST /purchases/{id}/due-diligence", s.ddSubmit)
	member("POST /purchases/{id}/due-diligence/files", s.ddFileUpload)
	member("GET /purchases/{id}/due-diligence/files/{file}", s.ddFileDownload)
	member("GET /purchases/{id}/due-diligence/{org}", s.ddSupplier)
	member("POST /purchases/{id}/due-diligence/{org}/review", s.ddReview)
	member("POST /purchases/{id}/invitation", s.invitationRespond)
	member("GET /purchases/{id}/tender/bidders", s.tenderBidders)
}

type ddQuestion struct {
	supplierdd.Question
	Title   string // in the reader's language
	Help    string
	Answer  string
	Changed bool   // differs from the previous version
	Prev    string // the answer in the previous version, when changed
	Score   string
	Files   []store.PurchaseFile
	Error   string
	Shared  bool // part of the company-wide answers, reused by every purchase
}

type ddPart struct {
	Part      string
	Questions []*ddQuestion
}

type ddPage struct {
	P         *model.Purchase
	OrgID     int64
	OrgName   string
	Supplier  bool // the reader is the supplier itself
	CanAnswer bool
	CanReview bool
	Parts     []ddPart
	Versions  []store.SupplierAnswer
	Shown     *store.SupplierAnswer // the version on screen
	Earlier   *store.SupplierAnswer // the newest older version with a review, when Shown has none
	Previous  int                   // the version compared with, 0 for none
	Invited   []store.InvitedSupplier
	Errors    model.FieldErrors
	Comment   string
	Scores    []string
	Titles    map[string]string // question titles by id, for the earlier review
	// Asked is the version of the questions on screen; Newer is set when
	// the version shown answered older questions than those now asked.
	Asked   string
	Newer   string
	Profile *store.SupplierProfile // the company-wide answers, for the supplier
	// Prefilled: nothing answered on this purchase yet, and the company
	// answers fill the form.
	Prefilled bool
	// The supplier's own invitation and its answer form (see
	// supplier_response.go); Draft is its unsubmitted questionnaire.
	Invitation             *store.InvitedSupplier
	InvErrors              model.FieldErrors
	InvResponse, InvReason string
	Draft                  *store.SupplierDraft
}

var ddCache struct {
	sync.Mutex
	set *catalog.Set
	q   *supplierdd.Questionnaire
}

// supplierQuestions is the questionnaire of the catalogue set in force.
func (s *Server) supplierQuestions() *supplierdd.Questionnaire {
	set, _ := s.dd.current()
	ddCache.Lock()
	defer ddCache.Unlock()
	if ddCache.set != set {
		ddCache.set, ddCache.q = set, supplierdd.FromCatalog(set)
	}
	return ddCache.q
}

// questionsOf is the questionnaire a version answered: the one kept with
// it, else (answered before the questions were catalogue data) today's.
func (s *Server) questionsOf(r *http.Request, v *store.SupplierAnswer) (*supplierdd.Questionnaire, error) {
	if v != nil && v.Questionnaire != "" {
		q, err := s.db.SupplierQuestionnaire(r.Context(), v.Questionnaire)
		if err != nil || q != nil {
			return q, err
		}
	}
	return s.supplierQuestions(), nil
}

// ddState builds the questionnaire of one supplier, at version v (0:
// newest). The supplier answering sees today's questions; a version is
// otherwise shown with the questions it answered.
func (s *Server) ddState(r *http.Request, p *model.Purchase, orgID int64, v int, answering bool) (*ddPage, error) {
	ctx := r.Context()
	org, err := s.db.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	d := &ddPage{P: p, OrgID: orgID, OrgName: org.Name, Scores: supplierdd.Scores, Titles: map[string]string{}}
	if d.Versions, err = s.db.SupplierAnswers(ctx, p.ID, orgID); err != nil {
		return nil, err
	}
	var prev *store.SupplierAnswer
	for i := range d.Versions {
		if v == 0 || d.Versions[i].Version == v {
			d.Shown = &d.Versions[i]
			if i+1 < len(d.Versions) {
				prev = &d.Versions[i+1]
				d.Previous = prev.Version
			}
			// A new version has no review yet; the last one given still
			// says what the body asked for.
			for j := i + 1; d.Shown.Review == nil && j < len(d.Versions); j++ {
				if d.Versions[j].Review != nil {
					d.Earlier = &d.Versions[j]
					break
				}
			}
			break
		}
	}
	if v != 0 && d.Shown == nil {
		return nil, model.NotFound("version")
	}
	q := s.supplierQuestions()
	if !answering {
		if q, err = s.questionsOf(r, d.Shown); err != nil {
			return nil, err
		}
	}
	if cur := s.supplierQuestions(); q.Hash() != cur.Hash() {
		d.Newer = cur.Version
	}
	d.Asked = q.Version
	files, err := s.db.PurchaseFiles(ctx, p.ID, "supplier")
	if err != nil {
		return nil, err
	}
	lang := langOf(r, s)
	prefix := strconv.FormatInt(orgID, 10) + ":"
	for _, part := range supplierdd.Parts {
		dp := ddPart{Part: part}
		for _, x := range q.InPart(part) {
			dq := &ddQuestion{Question: x, Title: x.Title.In(lang), Help: x.Help.In(lang), Shared: part == supplierdd.PartSupplier}
			d.Titles[x.ID] = dq.Title
			if d.Shown != nil {
				dq.Answer = d.Shown.Answers[x.ID]
				if prev != nil {
					if dq.Changed = prev.Answers[x.ID] != dq.Answer; dq.Changed {
						dq.Prev = prev.Answers[x.ID]
					}
				}
				if d.Shown.Review != nil {
					dq.Score = d.Shown.Review.Scores[x.ID]
				}
			}
			for _, f := range files {
				if f.Ref == prefix+x.ID {
					dq.Files = append(dq.Files, f)
				}
			}
			dp.Questions = append(dp.Questions, dq)
		}
		d.Parts = append(d.Parts, dp)
	}
	return d, nil
}

// ddSupplierState is the supplier's own form: its newest answers on this
// purchase or, before it answered here, its company-wide answers (a
// company-wide update reaches every purchase it answered, so those are
// never older than the company's).
func (s *Server) ddSupplierState(r *http.Request, p *model.Purchase, u *model.User, rel access.Relation) (*ddPage, error) {
	d, err := s.ddState(r, p, u.OrgID, 0, true)
	if err != nil {
		return nil, err
	}
	d.Supplier, d.CanAnswer = true, access.Can(u, rel, access.AnswerDD)
	inv, err := s.db.InvitedSuppliers(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	if d.Invitation = invitationOf(inv, u.OrgID); d.Invitation != nil {
		d.InvResponse, d.InvReason = d.Invitation.Response, d.Invitation.ResponseReason
	}
	if d.Draft, err = s.db.SupplierDraftOf(r.Context(), p.ID, u.OrgID); err != nil {
		return nil, err
	}
	if d.Draft != nil {
		// The draft is what the supplier typed last: it fills the form.
		for _, part := range d.Parts {
			for _, q := range part.Questions {
				q.Answer = d.Draft.Answers[q.ID]
			}
		}
		return d, nil
	}
	if d.Profile, err = s.db.SupplierProfile(r.Context(), u.OrgID); err != nil || d.Profile == nil {
		return d, err
	}
	if d.Shown == nil {
		d.Prefilled = true
		for _, part := range d.Parts {
			for _, q := range part.Questions {
				if q.Shared {
					q.Answer = d.Profile.Answers[q.ID]
				}
			}
		}
	}
	return d, nil
}

// ddHome is the supplier's questionnaire for a supplier, and the list of
// invited suppliers for the body and its oversight.
func (s *Server) ddHome(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if rel == access.Supplier {
		d, err := s.ddSupplierState(r, p, u, rel)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "due_diligence", "supplierdd.title", d)
	}
	if !access.Can(u, rel, access.ViewRecord) {
		return model.Forbidden()
	}
	d := &ddPage{P: p}
	if d.Invited, err = s.db.InvitedSuppliers(r.Context(), p.ID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "due_diligence_list", "supplierdd.title", d)
}

func (s *Server) ddSubmit(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.AnswerDD)
	if err != nil {
		return err
	}
	u := currentUser(r)
	q := s.supplierQuestions()
	in := map[string]string{}
	for _, x := range q.Questions {
		in[x.ID] = r.PostFormValue("q_" + x.ID)
	}
	if r.PostFormValue("draft") == "yes" {
		// Kept as typed, unchecked: it is checked when submitted.
		if err := s.db.SaveSupplierDraft(r.Context(), store.ActorOf(u), p, u.OrgID, in); err != nil {
			return err
		}
		http.Redirect(w, r, fmt.Sprintf("/purchases/%d/due-diligence?done=saved#answers", p.ID), http.StatusSeeOther)
		return nil
	}
	_, err = s.db.SubmitSupplierAnswers(r.Context(), store.ActorOf(u), p, u.OrgID, q, in)
	if fe := fieldErrs(err); fe != nil {
		d, err := s.ddSupplierState(r, p, u, rel)
		if err != nil {
			return err
		}
		d.Errors = fe
		for _, part := range d.Parts {
			for _, q := range part.Questions {
				q.Answer, q.Error = in[q.ID], fe["q_"+q.ID]
			}
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "due_diligence", "supplierdd.title", d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/due-diligence?done=saved", p.ID), http.StatusSeeOther)
	return nil
}

// ddOrg reads the supplier of the path; it must be invited to the purchase.
func (s *Server) ddOrg(r *http.Request, p *model.Purchase) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("org"), 10, 64)
	if err != nil {
		return 0, model.NotFound("supplier")
	}
	inv, err := s.db.InvitedSuppliers(r.Context(), p.ID)
	if err != nil {
		return 0, err
	}
	for _, x := range inv {
		if x.OrgID == id {
			return id, nil
		}
	}
	return 0, model.NotFound("supplier")
}

func (s *Server) ddSupplier(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	orgID, err := s.ddOrg(r, p)
	if err != nil {
		return err
	}
	v, _ := strconv.Atoi(r.URL.Query().Get("v"))
	d, err := s.ddState(r, p, orgID, v, false)
	if err != nil {
		return err
	}
	d.CanReview = access.Can(currentUser(r), rel, access.ReviewDD) && d.Shown != nil
	return s.render(w, r, http.StatusOK, "due_diligence", "supplierdd.title", d)
}

func (s *Server) ddReview(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ReviewDD)
	if err != nil {
		return err
	}
	orgID, err := s.ddOrg(r, p)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return model.NotFound("version")
	}
	d, err := s.ddState(r, p, orgID, v, false)
	if err != nil {
		return err
	}
	q, err := s.questionsOf(r, d.Shown)
	if err != nil {
		return err
	}
	scores := map[string]string{}
	for _, x := range q.Questions {
		scores[x.ID] = r.PostFormValue("score_" + x.ID)
	}
	err = s.db.ReviewSupplierAnswers(r.Context(), store.ActorOf(currentUser(r)), p, orgID, v, q, scores, r.PostFormValue("comment"))
	if fe := fieldErrs(err); fe != nil {
		d, err := s.ddState(r, p, orgID, v, false)
		if err != nil {
			return err
		}
		d.CanReview, d.Errors, d.Comment = access.Can(currentUser(r), rel, access.ReviewDD), fe, r.PostFormValue("comment")
		return s.render(w, r, http.StatusUnprocessableEntity, "due_diligence", "supplierdd.title", d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/due-diligence/%d?v=%d&done=saved", p.ID, orgID, v), http.StatusSeeOther)
	return nil
}

// ddFileUpload attaches evidence to one of the supplier's answers.
func (s *Server) ddFileUpload(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.AnswerDD)
	if err != nil {
		return err
	}
	u := currentUser(r)
	up, err := s.oneFile(w, r)
	q := r.FormValue("question")
	if r.MultipartForm != nil && !s.supplierQuestions().Known(q) {
		return model.FieldErrors{"question": "invalid.choice"}.Err()
	}
	if err != nil {
		return err
	}
	f := &store.PurchaseFile{Kind: "supplier", Ref: strconv.FormatInt(u.OrgID, 10) + ":" + q, Name: up.Name, CType: up.CType, SHA256: up.Blob.SHA256}
	if err := s.db.AddPurchaseFile(r.Context(), store.ActorOf(u), p, f); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/due-diligence?done=saved#q-%s", p.ID, q), http.StatusSeeOther)
	return nil
}

// ddFileDownload serves evidence to the body and its oversight, and to
// the supplier that uploaded it; to anyone else it does not exist.
func (s *Server) ddFileDownload(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.View)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return model.NotFound("file")
	}
	f, err := s.db.PurchaseFileData(r.Context(), p.ID, id)
	if err != nil {
		return err
	}
	u := currentUser(r)
	own := rel == access.Supplier && strings.HasPrefix(f.Ref, strconv.FormatInt(u.OrgID, 10)+":")
	if f.Kind != "supplier" || !(own || access.Can(u, rel, access.ViewRecord)) {
		return model.NotFound("file")
	}
	s.serveDownload(w, r, f.Name, f.CType, f.SHA256, f.Size)
	return nil
}

type supplierPanelData struct {
	Supplier bool
	Versions int
	Reviewed bool
	Awarded  bool // the supplier reading holds the contract
	Invited  []store.InvitedSupplier
	Response string // the supplier's answer to its invitation
}

// supplierPanel is what the purchase page shows about supplier due
// diligence: the supplier's own status, or every invited supplier's.
func (s *Server) supplierPanel(r *http.Request, p *model.Purchase, rel access.Relation, b *store.Batch) panelBuild {
	u := currentUser(r)
	if rel != access.Supplier && !access.Can(u, rel, access.ViewRecord) {
		return noPanel
	}
	var inv []store.InvitedSupplier
	b.InvitedSuppliers(p.ID, &inv)
	return func() (any, error) {
		if rel == access.Supplier {
			for _, x := range inv {
				if x.OrgID == u.OrgID {
					return &supplierPanelData{Supplier: true, Versions: x.Versions, Reviewed: x.Reviewed, Awarded: x.Awarded, Response: x.Response}, nil
				}
			}
			return nil, nil
		}
		if len(inv) == 0 {
			return nil, nil
		}
		return &supplierPanelData{Invited: inv}, nil
	}
}
