package web

import (
	"net/http"
	"strconv"

	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The public side of the complaints channel: anyone may complain, with or
// without their name, and follow the case with the receipt code alone.
// Nothing here stores an IP address or writes the person's words to logs.

const (
	maxComplaintFiles = 3
	maxFormBytes      = maxComplaintFiles*maxFileBytes + 1<<20
)

type complaintForm struct {
	Purchase  *store.PublicEntry
	Bodies    []*model.Organisation
	Values    map[string]string
	Errors    map[string]string
	Anonymous bool
	// Submission is the form's one-time number: the same form sent twice
	// files one complaint.
	Submission string
}

func (s *Server) complaintBodies(r *http.Request) ([]*model.Organisation, error) {
	orgs, err := s.db.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	var out []*model.Organisation
	for _, o := range orgs {
		if o.Kind == model.OrgPublicBody {
			out = append(out, o)
		}
	}
	return out, nil
}

func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request, status int, f *complaintForm) error {
	var err error
	if f.Bodies, err = s.complaintBodies(r); err != nil {
		return err
	}
	return s.render(w, r, status, "complaint_new", "complaint.new_title", f)
}

func (s *Server) complaintNew(w http.ResponseWriter, r *http.Request) error {
	f := &complaintForm{Values: map[string]string{}, Anonymous: true, Submission: randomToken()}
	if id, err := strconv.ParseInt(r.URL.Query().Get("purchase"), 10, 64); err == nil {
		if e, err := s.db.RegisterEntry(r.Context(), id); err == nil {
			f.Purchase = e
			f.Values["purchase"] = strconv.FormatInt(id, 10)
		}
	}
	return s.complaintPage(w, r, http.StatusOK, f)
}

// complaintCreate files a complaint and sends the browser on to its receipt.
func (s *Server) complaintCreate(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return model.Errorf(model.EInvalid, multipartProblem(err, "complaint.too_big"), "the form cannot be read")
	}
	v := func(k string) string { return r.FormValue(k) }
	f := &complaintForm{Values: map[string]string{
		"purchase": v("purchase"), "body_org": v("body_org"), "service": v("service"), "complaint": v("complaint"),
		"name": v("name"), "contact": v("contact"),
	}, Anonymous: v("identify") != "yes", Submission: v("submission")}
	if len(f.Submission) != 32 {
		f.Submission = randomToken()
	}
	if tok, ok := s.receipts.filed(f.Submission); ok {
		// Sent again (reload, back button, double click): show the receipt
		// of the complaint already filed.
		setReceiptCookie(w, r, tok)
		http.Redirect(w, r, "/complaints/receipt", http.StatusSeeOther)
		return nil
	}
	fe := model.FieldErrors{}
	// The honeypot is hidden from people; a filled one is a robot. It gets
	// the same page as a person, but nothing is stored.
	robot := v("website") != ""
	if !s.complaintIP.Allow(clientIP(r)) {
		return model.Errorf(model.ERateLimited, "complaint.too_many", "too many complaints from this address; try again later")
	}
	c := &store.Complaint{Service: model.CleanLine(f.Values["service"]), Body: model.CleanText(f.Values["complaint"])}
	if id, err := strconv.ParseInt(f.Values["purchase"], 10, 64); err == nil && id > 0 {
		e, err := s.db.RegisterEntry(r.Context(), id)
		if err != nil {
			fe.Add("purchase", "invalid.choice")
		} else {
			f.Purchase = e
			c.PurchaseID, c.OrgID = id, e.Purchase.OrgID
		}
	} else if id, err := strconv.ParseInt(f.Values["body_org"], 10, 64); err == nil {
		org, err := s.db.Org(r.Context(), id)
		if err != nil || org.Kind != model.OrgPublicBody {
			fe.Add("body_org", "invalid.choice")
		} else {
			c.OrgID = id
		}
	} else {
		fe.Add("body_org", "invalid.required")
	}
	switch {
	case c.Body == "":
		fe.Add("complaint", "invalid.required")
	case model.TooLong(c.Body, 10000):
		fe.Add("complaint", "invalid.too_long")
	}
	if model.TooLong(c.Service, 300) {
		fe.Add("service", "invalid.too_long")
	}
	var identity string
	if f.Anonymous && (model.CleanLine(f.Values["name"]) != "" || model.CleanLine(f.Values["contact"]) != "") {
		// Never drop a name the person typed without telling them.
		fe.Add("name", "complaint.identity_conflict")
	}
	if !f.Anonymous {
		name, contact := model.CleanLine(f.Values["name"]), model.CleanLine(f.Values["contact"])
		if name == "" && contact == "" {
			fe.Add("name", "complaint.identity_needed")
		}
		if model.TooLong(name, 200) || model.TooLong(contact, 300) {
			fe.Add("contact", "invalid.too_long")
		}
		if s.box == nil {
			fe.Add("name", "complaint.no_key")
		}
		identity = name + "\n" + contact
	}
	files, err := s.readAttachments(r, fe)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		f.Errors = fe
		return s.complaintPage(w, r, http.StatusUnprocessableEntity, f)
	}
	code := grievance.NewCode()
	if !robot {
		hash, err := s.hasher.Hash(code)
		if err != nil {
			return err
		}
		c.Lookup, c.CodeHash = grievance.Lookup(code), hash
		if err := s.db.CreateComplaint(r.Context(), c, files); err != nil {
			return err
		}
		if identity != "" {
			if err := s.db.SetComplaintIdentity(r.Context(), c.ID, s.box.Seal([]byte(identity), complaintRef(c.ID))); err != nil {
				return err
			}
		}
	}
	pol := store.DefaultPolicy
	if c.OrgID != 0 {
		if pol, err = s.db.ComplaintPolicy(r.Context(), c.OrgID); err != nil {
			return err
		}
	}
	rc := &receipt{code: grievance.FormatCode(code), policy: pol}
	if tok := s.receipts.keep(f.Submission, rc); tok != "" {
		setReceiptCookie(w, r, tok)
		http.Redirect(w, r, "/complaints/receipt", http.StatusSeeOther)
		return nil
	}
	// Too many receipts held: show it on this answer rather than lose it.
	return s.render(w, r, http.StatusCreated, "complaint_receipt", "complaint.receipt_title", map[string]any{
		"Code": rc.code, "Policy": rc.policy,
	})
}

func complaintRef(id int64) string { return grievance.Ref(id) }

// readAttachments checks each file's size and its type by content, never by
// its name or the browser's claim.
func (s *Server) readAttachments(r *http.Request, fe model.FieldErrors) ([]store.ComplaintFile, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	heads := r.MultipartForm.File["files"]
	if len(heads) > maxComplaintFiles {
		fe.Add("files", "complaint.too_many_files")
		return nil, nil
	}
	var out []store.ComplaintFile
	for _, h := range heads {
		if h.Size == 0 {
			continue
		}
		u, problem, err := s.checkUpload(r, h, maxFileBytes)
		if err != nil {
			return nil, err
		}
		if problem != "" {
			fe.Add("files", problem)
			continue
		}
		out = append(out, store.ComplaintFile{Name: u.Name, CType: u.CType, SHA256: u.Blob.SHA256})
	}
	return out, nil
}

type followData struct {
	Code      string // as typed, to keep it in the reply form
	Complaint *store.Complaint
	Messages  []store.ComplaintMessage
	Error     string
	Reply     string
	Errors    map[string]string
	// Taking the case to the oversight body: what happened to it, or
	// whether the person may, on which grounds, and to whom.
	Escalation *store.Escalation
	Grounds    []string // the grounds that hold now; none: not yet
	Overseers  []string
	Ground     string // as chosen, kept after an error
	Reason     string
	Today      model.Date
}

func (s *Server) complaintFollowForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "complaint_follow", "complaint.follow_title", &followData{})
}

// findByCode returns the complaint a receipt code opens. A wrong code and
// an unknown one get the same answer after the same work: one argon2id
// verification either way.
func (s *Server) findByCode(r *http.Request, typed string) (*store.Complaint, error) {
	if !s.codePeek.Allow(clientIP(r)) {
		return nil, model.Errorf(model.ERateLimited, "complaint.code_too_many", "too many attempts")
	}
	code, ok := grievance.ParseCode(typed)
	var candidates []*store.Complaint
	if ok {
		var err error
		if candidates, err = s.db.ComplaintsByLookup(r.Context(), grievance.Lookup(code)); err != nil {
			return nil, err
		}
	}
	if len(candidates) == 0 {
		s.hasher.Verify(typed, s.dummy)
		return nil, model.NotFound("complaint")
	}
	for _, c := range candidates {
		if ok, _ := s.hasher.Verify(code, c.CodeHash); ok {
			return c, nil
		}
	}
	return nil, model.NotFound("complaint")
}

func (s *Server) complaintFollow(w http.ResponseWriter, r *http.Request) error {
	d := &followData{Code: r.PostFormValue("code"), Reply: r.PostFormValue("message")}
	c, err := s.findByCode(r, d.Code)
	if err != nil {
		switch model.ErrorCode(err) {
		case model.ENotFound:
			d.Error = "complaint.code_unknown"
			return s.render(w, r, http.StatusNotFound, "complaint_follow", "complaint.follow_title", d)
		case model.ERateLimited:
			d.Error = "complaint.code_too_many"
			return s.render(w, r, http.StatusTooManyRequests, "complaint_follow", "complaint.follow_title", d)
		}
		return err
	}
	d.Complaint = c
	if r.PostFormValue("action") == "escalate" {
		d.Ground, d.Reason = r.PostFormValue("ground"), r.PostFormValue("reason")
		if err := s.db.EscalateByComplainant(r.Context(), c, d.Ground, d.Reason); err != nil {
			fe := model.FieldErrors{}
			if !mergeErrors(fe, err) {
				return err
			}
			d.Errors = fe
		} else {
			if c, err = s.reload(r, c); err != nil {
				return err
			}
			d.Complaint, d.Ground, d.Reason = c, "", ""
		}
	}
	// The page is public: it names the purchase by its published title, not
	// the internal one (also after the escalation reloads the case).
	if d.Complaint.PurchaseTitle, err = s.db.PublishedTitle(r.Context(), d.Complaint.PurchaseID); err != nil {
		return err
	}
	if r.PostFormValue("action") == "reply" {
		if err := s.db.AddComplaintMessage(r.Context(), store.Actor{Label: "public"}, c, false, "", d.Reply); err != nil {
			fe := model.FieldErrors{}
			if !mergeErrors(fe, err) {
				return err
			}
			d.Errors = fe
		} else {
			d.Reply = ""
		}
	}
	if d.Messages, err = s.db.ComplaintMessages(r.Context(), c.ID); err != nil {
		return err
	}
	if err := s.escalationView(r, d); err != nil {
		return err
	}
	status := http.StatusOK
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "complaint_case", "complaint.case_title", d)
}
