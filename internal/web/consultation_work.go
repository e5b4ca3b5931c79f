package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/assessment"
	"buyright/internal/consultation"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The body's work on the responses: hiding one under a published rule,
// reading a file, adding an impact raised in a response to the assessment
// in one step, answering responses alone or in groups, and the report.

// loadResponse loads the response of the URL, which must belong to the
// consultation of the URL.
func (s *Server) loadResponse(r *http.Request, c *consultation.Consultation) (*consultation.Response, error) {
	id, err := strconv.ParseInt(r.PathValue("r"), 10, 64)
	if err != nil {
		return nil, model.NotFound("response")
	}
	rsp, err := s.db.ConsultationResponse(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if rsp.ConsultationID != c.ID {
		return nil, model.NotFound("response")
	}
	return rsp, nil
}

// consultHide hides a response, citing a rule and a public reason.
func (s *Server) consultHide(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultManage)
	if err != nil {
		return err
	}
	rsp, err := s.loadResponse(r, c)
	if err != nil {
		return err
	}
	form := "hide-" + strconv.FormatInt(rsp.ID, 10)
	if err := s.db.HideResponse(r.Context(), store.ActorOf(currentUser(r)), c, rsp.ID, r.PostFormValue("h_rule"), r.PostFormValue("h_reason")); err != nil {
		return s.refused(w, r, p, rel, c, form, conflictAsField(err))
	}
	s.backToManage(w, r, c, "hidden", "response-"+strconv.FormatInt(rsp.ID, 10))
	return nil
}

// consultFile serves a response's attachment to the body and the
// oversight bodies that read the working page.
func (s *Server) consultFile(w http.ResponseWriter, r *http.Request) error {
	_, _, c, err := s.loadConsultation(r, access.ConsultRead)
	if err != nil {
		return err
	}
	rsp, err := s.loadResponse(r, c)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("f"), 10, 64)
	if err != nil {
		return model.NotFound("file")
	}
	f, err := s.db.ConsultationFile(r.Context(), rsp.ID, fid)
	if err != nil {
		return err
	}
	s.serveDownload(w, r, f.Name, f.CType, f.SHA256, f.Size)
	return nil
}

// consultImpact adds an impact raised in a response to the assessment's
// draft in one step; the impact keeps the response as its source.
func (s *Server) consultImpact(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultManage)
	if err != nil {
		return err
	}
	rsp, err := s.loadResponse(r, c)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	form := "impact-" + strconv.FormatInt(rsp.ID, 10)
	set, _ := s.dd.current()
	isRight := func(id string) bool {
		it, ok := set.Item(id)
		return ok && it.Kind == "right"
	}
	isElement := func(id string) bool {
		it, ok := set.Item(id)
		return ok && it.Kind == "element"
	}
	var added int
	_, err = s.db.EditAssessment(r.Context(), store.ActorOf(currentUser(r)), p, "impact", set.Hash(), func(d *assessment.Doc) error {
		fe, _ := applySection(d, "impact", 0, false, r.PostForm)
		if len(fe) > 0 {
			return fe.Err()
		}
		// applySection appended the new impact last: mark where it came from.
		im := &d.Impacts[len(d.Impacts)-1]
		im.Source, added = consultation.ImpactSource(c.ID, rsp.ID), im.ID
		return d.Validate(isRight, isElement, model.DateOf(s.now()))
	})
	if err != nil {
		return s.refused(w, r, p, rel, c, form, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/consultations/%d?done=impact_added&impact=%d#response-%d", p.ID, c.ID, added, rsp.ID), http.StatusSeeOther)
	return nil
}

// consultAnswer writes the body's answer to one or more responses (a new
// one, or the one named by "answer").
func (s *Server) consultAnswer(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultManage)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	a := &consultation.Answer{Said: r.PostFormValue("a_said"), Did: r.PostFormValue("a_did"), WhyNot: r.PostFormValue("a_why_not"),
		Outcome: consultation.Outcome(r.PostFormValue("a_outcome"))}
	form := "answer-new"
	if x := r.PostFormValue("answer"); x != "" {
		if a.ID, err = strconv.ParseInt(x, 10, 64); err != nil || a.ID <= 0 {
			return model.NotFound("answer")
		}
		form = "answer-" + x
	}
	var responses []int64
	for _, x := range r.PostForm["a_responses"] {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return s.refused(w, r, p, rel, c, form, model.FieldErrors{"a_responses": "invalid.choice"}.Err())
		}
		responses = append(responses, id)
	}
	if err := s.db.SaveAnswer(r.Context(), store.ActorOf(currentUser(r)), c, a, responses); err != nil {
		return s.refused(w, r, p, rel, c, form, err)
	}
	s.backToManage(w, r, c, "answered", "answers")
	return nil
}

// consultReport saves the report's conclusions and, with "publish",
// publishes the report: it then joins the assessment's engagement record
// as a held engagement and shows on the register entry.
func (s *Server) consultReport(w http.ResponseWriter, r *http.Request) error {
	p, rel, c, err := s.loadConsultation(r, access.ConsultManage)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return model.Errorf(model.EInvalid, "error.invalid", "the form could not be read")
	}
	if rev, err := strconv.ParseInt(r.PostFormValue("rev"), 10, 64); err == nil {
		c.Rev = rev
	}
	words := map[string]string{}
	for _, l := range c.Languages() {
		words[l] = r.PostFormValue(consultation.FieldName("report", l))
	}
	a := store.ActorOf(currentUser(r))
	if err := s.db.SaveReportWords(r.Context(), a, c, words); err != nil {
		return s.refused(w, r, p, rel, c, "report", conflictAsField(err))
	}
	if r.PostFormValue("action") != "publish" {
		s.backToManage(w, r, c, "saved", "report")
		return nil
	}
	e, err := s.reportEngagement(r, c)
	if err != nil {
		return err
	}
	set, _ := s.dd.current()
	if err := s.db.PublishConsultationReport(r.Context(), a, p, c, e, set.Hash()); err != nil {
		return s.refused(w, r, p, rel, c, "report", conflictAsField(err))
	}
	s.backToManage(w, r, c, "reported", "report")
	return nil
}

// reportEngagement writes the engagement a published report records in
// the assessment, in the words of the person publishing it: who took part,
// how, what was said and what the body did, and where the report is.
func (s *Server) reportEngagement(r *http.Request, c *consultation.Consultation) (assessment.Engagement, error) {
	cat := s.catalog(r)
	rs, err := s.db.ConsultationResponses(r.Context(), c.ID)
	if err != nil {
		return assessment.Engagement{}, err
	}
	answers, err := s.db.ConsultationAnswers(r.Context(), c.ID)
	if err != nil {
		return assessment.Engagement{}, err
	}
	n := consultation.Count(rs)
	var langs []string
	for _, l := range c.Languages() {
		langs = append(langs, s.i18n.Catalog(l).Name)
	}
	e := assessment.Engagement{
		Who:         cat.T("consult.engagement_who", c.Title(cat.Lang)),
		How:         cat.T("consult.engagement_how", c.OpenedOn.String(), c.Deadline.String(), strings.Join(langs, ", "), n.Responses, n.Organisations, n.People, n.Hidden),
		When:        model.DateOf(s.now()).String(),
		Attachments: s.absolute("/consultations/" + strconv.FormatInt(c.ID, 10)),
	}
	var said, did []string
	for _, a := range answers {
		said = append(said, "- "+a.Said)
		line := "- " + cat.T("consult.outcome."+string(a.Outcome))
		if a.Did != "" {
			line += ": " + a.Did
		}
		if a.WhyNot != "" {
			line += " (" + cat.T("consult.why_not") + ": " + a.WhyNot + ")"
		}
		did = append(did, line)
	}
	e.Raised, e.Answer = clip(strings.Join(said, "\n"), 10000), clip(strings.Join(did, "\n"), 10000)
	seen := map[int64]bool{}
	for _, x := range rs {
		if x.Kind == consultation.Organisation && !seen[x.OrgID] {
			seen[x.OrgID] = true
			e.Participants = append(e.Participants, x.OrgID)
		}
	}
	return e, nil
}

// clip cuts s to n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// absolute makes a path a full address, for records read outside buyright.
func (s *Server) absolute(path string) string {
	if s.baseURL != "" {
		return strings.TrimRight(s.baseURL, "/") + path
	}
	return path
}
