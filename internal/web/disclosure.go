package web

import (
	"fmt"
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/disclosure"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Documents on the register (/purchases/{id}/disclosure): the body uploads
// a document's full file and, when parts are held back, its redacted
// version; says for each part held back its ground, what it is and why,
// and when the ground lapses; an approver agrees and publishes. The full
// file stays behind sign-in (the body's file route); the public route
// below serves only what PublicDisclosureFile hands out.

func (s *Server) disclosureRoutes(mux *http.ServeMux, page, member func(string, handlerFunc)) {
	member("GET /purchases/{id}/disclosure", s.disclosureView)
	member("POST /purchases/{id}/disclosure", s.disclosureCreate)
	member("POST /purchases/{id}/disclosure/{doc}/redactions", s.redactionAdd)
	member("POST /purchases/{id}/disclosure/{doc}/redactions/{red}/remove", s.redactionRemove)
	member("POST /purchases/{id}/disclosure/{doc}/publish", s.disclosurePublish)
	member("POST /purchases/{id}/disclosure/{doc}/full", s.disclosureInFull)
	member("POST /purchases/{id}/disclosure/{doc}/redactions/{red}/review", s.redactionReview)
	mux.Handle("GET /register/{id}/documents/{doc}", s.html(s.publicDocument))
}

type disclosurePage struct {
	P          *model.Purchase
	Docs       []*disclosure.Document
	OnRegister bool
	CanPrepare bool
	CanApprove bool
	Today      model.Date
	Kinds      []string
	Grounds    []string
	Forms      map[string]map[string]string
	Errors     map[string]model.FieldErrors
}

func (s *Server) disclosureState(r *http.Request, p *model.Purchase, rel access.Relation) (*disclosurePage, error) {
	u := currentUser(r)
	d := &disclosurePage{P: p, Today: model.DateOf(s.now()), Kinds: disclosure.Kinds, Grounds: disclosure.Grounds,
		CanPrepare: access.Can(u, rel, access.Disclose), CanApprove: access.Can(u, rel, access.ApproveDisclosure),
		Forms: map[string]map[string]string{"doc": {}}, Errors: map[string]model.FieldErrors{}}
	var err error
	if d.Docs, err = s.db.Disclosures(r.Context(), p.ID, false); err != nil {
		return nil, err
	}
	pub, err := s.db.Publication(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	d.OnRegister = pub.Published
	return d, nil
}

func (s *Server) disclosureView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewRecord)
	if err != nil {
		return err
	}
	d, err := s.disclosureState(r, p, rel)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "disclosure", "disclosure.title", d)
}

// refuseDisclosure shows the page again with one form's problems and what
// was typed in it.
func (s *Server) refuseDisclosure(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, form string, fields []string, fe model.FieldErrors) error {
	d, err := s.disclosureState(r, p, rel)
	if err != nil {
		return err
	}
	d.Forms[form] = map[string]string{}
	for _, k := range fields {
		d.Forms[form][k] = r.FormValue(k)
	}
	d.Errors[form] = fe
	return s.render(w, r, http.StatusUnprocessableEntity, "disclosure", "disclosure.title", d)
}

func disclosureBack(w http.ResponseWriter, r *http.Request, p *model.Purchase, docID int64) error {
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/disclosure?done=saved#doc-%d", p.ID, docID), http.StatusSeeOther)
	return nil
}

// twoFiles reads a multipart form with a required file in full and an
// optional one in redacted, each checked like every staff upload.
func (s *Server) twoFiles(w http.ResponseWriter, r *http.Request, full, redacted string) (*upload, *upload, model.FieldErrors, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 2*s.maxUpload+formSlack)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil, nil, model.FieldErrors{full: tooBigLimit}, nil
	}
	fe := model.FieldErrors{}
	read := func(name string, required bool) (*upload, error) {
		heads := r.MultipartForm.File[name]
		switch {
		case len(heads) == 0 && !required:
			return nil, nil
		case len(heads) != 1:
			fe.Add(name, "invalid.required")
			return nil, nil
		}
		u, problem, err := s.checkUpload(r, heads[0], s.maxUpload)
		if err != nil {
			return nil, err
		}
		if problem != "" {
			fe.Add(name, problem)
			return nil, nil
		}
		return &u, nil
	}
	f, err := read(full, true)
	if err != nil {
		return nil, nil, nil, err
	}
	g, err := read(redacted, false)
	if err != nil {
		return nil, nil, nil, err
	}
	return f, g, fe, nil
}

var docFields = []string{"doc_kind", "doc_title", "doc_description"}

func (s *Server) disclosureCreate(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Disclose)
	if err != nil {
		return err
	}
	full, red, fe, err := s.twoFiles(w, r, "full_file", "redacted_file")
	if err != nil {
		return err
	}
	d := &disclosure.Document{Kind: r.FormValue("doc_kind"), Title: r.FormValue("doc_title"), Description: r.FormValue("doc_description")}
	for k, v := range d.Validate() {
		fe.Add(k, v)
	}
	if len(fe) == 0 {
		ff := &store.PurchaseFile{Name: full.Name, CType: full.CType, SHA256: full.Blob.SHA256}
		var rf *store.PurchaseFile
		if red != nil {
			rf = &store.PurchaseFile{Name: red.Name, CType: red.CType, SHA256: red.Blob.SHA256}
		}
		if fe, err = formResult(s.db.CreateDisclosure(r.Context(), store.ActorOf(currentUser(r)), p, d, ff, rf)); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseDisclosure(w, r, p, rel, "doc", docFields, fe)
	}
	return disclosureBack(w, r, p, d.ID)
}

func docPathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		return 0, model.NotFound(what)
	}
	return id, nil
}

var redactionFields = []string{"ground", "location", "reason", "lapses_on"}

func (s *Server) redactionAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Disclose)
	if err != nil {
		return err
	}
	docID, err := docPathID(r, "doc", "document")
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	x := &disclosure.Redaction{Ground: r.PostFormValue("ground"), Location: r.PostFormValue("location"), Reason: r.PostFormValue("reason"),
		LapsesOn: formDate(r, "lapses_on", fe)}
	if len(fe) == 0 {
		if fe, err = formResult(s.db.AddRedaction(r.Context(), store.ActorOf(currentUser(r)), p, docID, x)); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseDisclosure(w, r, p, rel, "red-"+strconv.FormatInt(docID, 10), redactionFields, fe)
	}
	return disclosureBack(w, r, p, docID)
}

func (s *Server) redactionRemove(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Disclose)
	if err != nil {
		return err
	}
	docID, err := docPathID(r, "doc", "document")
	if err != nil {
		return err
	}
	redID, err := docPathID(r, "red", "redaction")
	if err != nil {
		return err
	}
	if err := s.db.RemoveRedaction(r.Context(), store.ActorOf(currentUser(r)), p, docID, redID); err != nil {
		return err
	}
	return disclosureBack(w, r, p, docID)
}

func (s *Server) disclosurePublish(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.ApproveDisclosure)
	if err != nil {
		return err
	}
	docID, err := docPathID(r, "doc", "document")
	if err != nil {
		return err
	}
	if err := s.db.PublishDisclosure(r.Context(), store.ActorOf(currentUser(r)), p, docID); err != nil {
		return err
	}
	return disclosureBack(w, r, p, docID)
}

func (s *Server) disclosureInFull(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ApproveDisclosure)
	if err != nil {
		return err
	}
	docID, err := docPathID(r, "doc", "document")
	if err != nil {
		return err
	}
	fe, err := formResult(s.db.RepublishInFull(r.Context(), store.ActorOf(currentUser(r)), p, docID, r.PostFormValue("note")))
	if err != nil {
		return err
	}
	if fe != nil {
		return s.refuseDisclosure(w, r, p, rel, "full-"+strconv.FormatInt(docID, 10), []string{"note"}, fe)
	}
	return disclosureBack(w, r, p, docID)
}

func (s *Server) redactionReview(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ApproveDisclosure)
	if err != nil {
		return err
	}
	docID, err := docPathID(r, "doc", "document")
	if err != nil {
		return err
	}
	redID, err := docPathID(r, "red", "redaction")
	if err != nil {
		return err
	}
	fe := model.FieldErrors{}
	lapse := formDate(r, "new_lapse", fe)
	if len(fe) == 0 {
		if fe, err = formResult(s.db.ReviewRedaction(r.Context(), store.ActorOf(currentUser(r)), p, docID, redID, lapse, r.PostFormValue("note"))); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.refuseDisclosure(w, r, p, rel, "review-"+strconv.FormatInt(redID, 10), []string{"new_lapse", "note"}, fe)
	}
	return disclosureBack(w, r, p, docID)
}

// publicDocument serves the public version of a published document of a
// purchase on the register, to anyone: the redacted file while any part
// is held back. Nothing else of the purchase's files is reachable here.
func (s *Server) publicDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := docPathID(r, "id", "document")
	if err != nil {
		return err
	}
	docID, err := docPathID(r, "doc", "document")
	if err != nil {
		return err
	}
	f, _, err := s.db.PublicDisclosureFile(r.Context(), id, docID)
	if err != nil {
		return err
	}
	s.serveDownload(w, r, f.Name, f.CType, f.SHA256, f.Size)
	return nil
}
