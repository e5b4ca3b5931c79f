package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/consultation"
	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The public side of a consultation: its page in the languages the body
// wrote it in, the response form for anyone (anonymous or named, with the
// complaints channel's protections) and for the people of invited
// civil-society organisations (under the organisation's name, with
// files), the receipt, and reading one's response and its answer with
// the receipt code. Nothing here stores an IP address.

// consultCard is a consultation in a list: its words in the language
// shown and where it stands.
type consultCard struct {
	C     *consultation.Consultation
	Text  consultation.Text
	Phase consultation.Phase
}

func (s *Server) cards(r *http.Request, cs []*consultation.Consultation) []consultCard {
	today := model.DateOf(s.now())
	out := make([]consultCard, 0, len(cs))
	for _, c := range cs {
		out = append(out, consultCard{C: c, Text: s.shownText(r, c, ""), Phase: c.Phase(today)})
	}
	return out
}

func (s *Server) consultList(w http.ResponseWriter, r *http.Request) error {
	items, err := s.db.PublicConsultations(r.Context(), 200)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "consultations", "consult.list_title", s.cards(r, items))
}

// publicConsultation loads the consultation of the URL if anyone may read
// it; a draft is not found, exactly like one that does not exist.
func (s *Server) publicConsultation(r *http.Request) (*consultation.Consultation, error) {
	id, err := strconv.ParseInt(r.PathValue("c"), 10, 64)
	if err != nil {
		return nil, model.NotFound("consultation")
	}
	c, err := s.db.Consultation(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !c.Public() {
		return nil, model.NotFound("consultation")
	}
	return c, nil
}

// shownText picks the language a consultation is shown in: the one asked
// for with ?in=, else the visitor's, else the first the body wrote.
func (s *Server) shownText(r *http.Request, c *consultation.Consultation, asked string) consultation.Text {
	if asked != "" {
		if t, ok := c.In(asked); ok {
			return t
		}
	}
	t, _ := c.In(langOf(r, s))
	return t
}

// qa is one question with a response's answer to it.
type qa struct {
	N    int
	Q, A string
}

// responseView is a response as a page shows it.
type responseView struct {
	*consultation.Response
	N      int // its number in the consultation, from 1
	Items  []qa
	Answer *consultation.Answer // shown once the report is published
}

func viewResponse(rsp *consultation.Response, t consultation.Text, answers map[int64]*consultation.Answer) responseView {
	v := responseView{Response: rsp, Answer: answers[rsp.AnswerID]}
	for i, a := range rsp.Answers {
		if a == "" || i == len(rsp.Answers)-1 {
			continue
		}
		q := ""
		if i < len(t.Questions) {
			q = t.Questions[i]
		}
		v.Items = append(v.Items, qa{N: i + 1, Q: q, A: a})
	}
	return v
}

type consultPageData struct {
	C          *consultation.Consultation
	Text       consultation.Text
	Other      []langChoice // other languages the consultation is written in
	Phase      consultation.Phase
	Today      model.Date
	Counts     consultation.Counts
	Responses  []responseView // published once the consultation closes
	Answers    []*consultation.Answer
	Formats    []consultation.Format
	Rules      []string
	InRegister bool
	Nums       map[int64]int // response id → its number
}

func (s *Server) consultPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.publicConsultation(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	today := model.DateOf(s.now())
	d := &consultPageData{C: c, Text: s.shownText(r, c, r.URL.Query().Get("in")), Phase: c.Phase(today), Today: today,
		Formats: c.Formats, Rules: consultation.Rules}
	for _, l := range c.Languages() {
		if l != d.Text.Lang {
			d.Other = append(d.Other, langChoice{Code: l, Name: s.i18n.Catalog(l).Name})
		}
	}
	rs, err := s.db.ConsultationResponses(ctx, c.ID)
	if err != nil {
		return err
	}
	d.Counts = consultation.Count(rs)
	answers := map[int64]*consultation.Answer{}
	if d.Phase == consultation.PhaseReported {
		if d.Answers, err = s.db.ConsultationAnswers(ctx, c.ID); err != nil {
			return err
		}
		for _, a := range d.Answers {
			answers[a.ID] = a
		}
	}
	// Responses are published when the consultation closes: people write
	// without reading each other first, and the body has had time to hide
	// what breaks a rule, with the reason shown in its place.
	d.Nums = map[int64]int{}
	for i, x := range rs {
		d.Nums[x.ID] = i + 1
		if d.Phase != consultation.PhaseOpen {
			v := viewResponse(x, d.Text, answers)
			v.N = i + 1
			d.Responses = append(d.Responses, v)
		}
	}
	if d.InRegister, err = s.inRegister(r, c.PurchaseID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "consultation", "consult.page_title", d)
}

func (s *Server) inRegister(r *http.Request, purchaseID int64) (bool, error) {
	return s.db.InRegister(r.Context(), purchaseID)
}

type respondForm struct {
	C          *consultation.Consultation
	Text       consultation.Text
	Questions  []string
	Values     map[string]string
	Errors     map[string]string
	Anonymous  bool
	Submission string
	// ForOrg is the organisation the signed-in person responds for, when
	// it is invited; nil for the public form.
	ForOrg *model.Organisation
	Closed bool
}

// field names of the answers, in order, for the template.
func (f *respondForm) Fields() []qa {
	n := f.C.Questions()
	out := make([]qa, 0, n)
	for i := 0; i < n; i++ {
		q := ""
		if i < len(f.Text.Questions) {
			q = f.Text.Questions[i]
		}
		out = append(out, qa{N: i + 1, Q: q, A: consultation.AnswerField(i, n)})
	}
	return out
}

// respondingOrg returns the organisation the signed-in person may respond
// for on consultation c, or nil.
func (s *Server) respondingOrg(r *http.Request, c *consultation.Consultation) (*model.Organisation, error) {
	u := currentUser(r)
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgCivilSociety {
		return nil, nil
	}
	invited, err := s.db.Invited(r.Context(), c.ID, u.OrgID)
	if err != nil {
		return nil, err
	}
	if !access.CanRespondForOrg(u, invited) {
		return nil, nil
	}
	return u.Org, nil
}

func (s *Server) consultRespondForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.publicConsultation(r)
	if err != nil {
		return err
	}
	f := &respondForm{C: c, Text: s.shownText(r, c, r.URL.Query().Get("in")), Values: map[string]string{}, Anonymous: true, Submission: randomToken()}
	if f.ForOrg, err = s.respondingOrg(r, c); err != nil {
		return err
	}
	f.Closed = !c.Accepting(model.DateOf(s.now()))
	return s.render(w, r, http.StatusOK, "consultation_respond", "consult.respond_title", f)
}

// consultRespond takes a response. The public form gets what the
// complaints form gets: a per-address limit, a hidden field robots fill,
// checks of every attachment by its content, a name and contact sealed
// with the installation's key, and a receipt code of which only a hash is
// kept.
func (s *Server) consultRespond(w http.ResponseWriter, r *http.Request) error {
	c, err := s.publicConsultation(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return model.Errorf(model.EInvalid, "complaint.too_big", "the form is too large")
	}
	v := r.FormValue
	f := &respondForm{C: c, Text: s.shownText(r, c, v("in")), Values: map[string]string{"name": v("name"), "contact": v("contact")},
		Anonymous: v("identify") != "yes", Submission: v("submission")}
	if f.ForOrg, err = s.respondingOrg(r, c); err != nil {
		return err
	}
	if len(f.Submission) != 32 {
		f.Submission = randomToken()
	}
	if tok, ok := s.receipts.filed(f.Submission); ok {
		// The same form sent again: show what the first sending gave.
		return s.consultSentAgain(w, r, tok)
	}
	if !c.Accepting(model.DateOf(s.now())) {
		return model.Errorf(model.EConflict, "consult.closed", "this consultation no longer takes responses")
	}
	if f.ForOrg == nil && !s.consult.respond.Allow(clientIP(r)) {
		return model.Errorf(model.ERateLimited, "consult.too_many", "too many responses from this address; try again later")
	}
	n := c.Questions()
	raw := make([]string, n+1)
	for i := range raw {
		name := consultation.AnswerField(i, n)
		raw[i] = v(name)
		f.Values[name] = raw[i]
	}
	answers, fe := consultation.NormalizeAnswers(raw, n)
	var identity string
	if f.ForOrg == nil {
		name, contact := model.CleanLine(f.Values["name"]), model.CleanLine(f.Values["contact"])
		switch {
		case f.Anonymous && (name != "" || contact != ""):
			fe.Add("name", "complaint.identity_conflict") // never drop a name typed without saying so
		case !f.Anonymous && name == "" && contact == "":
			fe.Add("name", "complaint.identity_needed")
		case !f.Anonymous && (model.TooLong(name, 200) || model.TooLong(contact, 300)):
			fe.Add("contact", "invalid.too_long")
		case !f.Anonymous && s.box == nil:
			fe.Add("name", "complaint.no_key")
		case !f.Anonymous:
			identity = name + "\n" + contact
		}
	}
	uploads, err := s.readAttachments(r, fe)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		f.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "consultation_respond", "consult.respond_title", f)
	}
	in := store.ResponseInput{Kind: consultation.Public, Lang: f.Text.Lang, Answers: answers}
	for _, u := range uploads {
		in.Files = append(in.Files, consultation.File{Name: u.Name, CType: u.CType, SHA256: u.SHA256})
	}
	if f.ForOrg != nil {
		u := currentUser(r)
		in.Kind, in.OrgID, in.UserID = consultation.Organisation, u.OrgID, u.ID
		id, err := s.db.AddConsultationResponse(r.Context(), c, in)
		if err != nil {
			return err
		}
		s.receipts.keep(f.Submission, &receipt{about: c.ID, response: id})
		http.Redirect(w, r, "/participation/responses/"+strconv.FormatInt(id, 10)+"?done=responded", http.StatusSeeOther)
		return nil
	}
	code := grievance.NewCode()
	// The honeypot is hidden from people; a robot that fills it gets the
	// same answer as a person, but nothing is stored.
	if v("website") == "" {
		hash, err := s.hasher.Hash(code)
		if err != nil {
			return err
		}
		in.Lookup, in.CodeHash = grievance.Lookup(code), hash
		if identity != "" {
			in.Seal = func(id int64) []byte { return s.box.Seal([]byte(identity), responseRef(id)) }
		}
		if _, err := s.db.AddConsultationResponse(r.Context(), c, in); err != nil {
			return err
		}
	}
	rc := &receipt{code: grievance.FormatCode(code), about: c.ID}
	if tok := s.receipts.keep(f.Submission, rc); tok != "" {
		setReceiptCookieAt(w, r, tok, "/consultations/receipt")
		http.Redirect(w, r, "/consultations/receipt", http.StatusSeeOther)
		return nil
	}
	// Too many receipts held: show it on this answer rather than lose it.
	return s.render(w, r, http.StatusCreated, "consultation_receipt", "consult.receipt_title", map[string]any{"Code": rc.code, "C": c.ID})
}

// consultSentAgain answers a response form sent a second time (a reload,
// the back button, a double click) with what the first one gave.
func (s *Server) consultSentAgain(w http.ResponseWriter, r *http.Request, tok string) error {
	rc := s.receipts.get(tok)
	if rc != nil && rc.response != 0 {
		http.Redirect(w, r, "/participation/responses/"+strconv.FormatInt(rc.response, 10), http.StatusSeeOther)
		return nil
	}
	setReceiptCookieAt(w, r, tok, "/consultations/receipt")
	http.Redirect(w, r, "/consultations/receipt", http.StatusSeeOther)
	return nil
}

// responseRef binds a sealed identity to its response.
func responseRef(id int64) string { return "consultation-response:" + strconv.FormatInt(id, 10) }

// consultReceipt shows the receipt code of the response this browser has
// just sent, as the complaints channel does.
func (s *Server) consultReceipt(w http.ResponseWriter, r *http.Request) error {
	var rc *receipt
	if c, err := r.Cookie(receiptCookie); err == nil {
		rc = s.receipts.get(c.Value)
	}
	w.Header().Set("Cache-Control", "no-store")
	if rc == nil || rc.about == 0 || rc.code == "" {
		return s.render(w, r, http.StatusOK, "consultation_receipt", "consult.receipt_title", map[string]any{"Gone": true})
	}
	return s.render(w, r, http.StatusOK, "consultation_receipt", "consult.receipt_title", map[string]any{"Code": rc.code, "C": rc.about})
}

type consultReadData struct {
	Code     string // as typed, to keep it in the form
	Error    string
	C        *consultation.Consultation
	Text     consultation.Text
	R        responseView
	Phase    consultation.Phase
	OrgFiles bool // an organisation's own view, with its files
}

func (s *Server) consultFollowForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "consultation_follow", "consult.follow_title", &consultReadData{})
}

// consultFollow opens a public response with its receipt code. A wrong
// code and an unknown one get the same answer after the same work.
func (s *Server) consultFollow(w http.ResponseWriter, r *http.Request) error {
	d := &consultReadData{Code: r.PostFormValue("code")}
	if !s.consult.peek.Allow(clientIP(r)) {
		d.Error = "complaint.code_too_many"
		return s.render(w, r, http.StatusTooManyRequests, "consultation_follow", "consult.follow_title", d)
	}
	code, ok := grievance.ParseCode(d.Code)
	var candidates []store.ResponseCode
	if ok {
		var err error
		if candidates, err = s.db.ResponsesByLookup(r.Context(), grievance.Lookup(code)); err != nil {
			return err
		}
	}
	var found int64
	for _, x := range candidates {
		if ok, _ := s.hasher.Verify(code, x.CodeHash); ok {
			found = x.ID
			break
		}
	}
	if len(candidates) == 0 {
		s.hasher.Verify(d.Code, s.dummy)
	}
	if found == 0 {
		d.Error = "complaint.code_unknown"
		return s.render(w, r, http.StatusNotFound, "consultation_follow", "consult.follow_title", d)
	}
	rsp, err := s.db.ConsultationResponse(r.Context(), found)
	if err != nil {
		return err
	}
	return s.showResponse(w, r, rsp, d)
}

// showResponse shows one response with what became of it: hidden (and
// why), and once the report is out, the body's answer.
func (s *Server) showResponse(w http.ResponseWriter, r *http.Request, rsp *consultation.Response, d *consultReadData) error {
	c, err := s.db.Consultation(r.Context(), rsp.ConsultationID)
	if err != nil {
		return err
	}
	d.C, d.Text, d.Phase = c, s.shownText(r, c, rsp.Lang), c.Phase(model.DateOf(s.now()))
	answers := map[int64]*consultation.Answer{}
	if d.Phase == consultation.PhaseReported {
		all, err := s.db.ConsultationAnswers(r.Context(), c.ID)
		if err != nil {
			return err
		}
		for _, a := range all {
			answers[a.ID] = a
		}
	}
	d.R = viewResponse(rsp, d.Text, answers)
	return s.render(w, r, http.StatusOK, "consultation_response", "consult.your_response", d)
}
