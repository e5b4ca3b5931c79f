package web

import (
	"net/http"
	"strconv"

	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The body's side of the channel: its cases with their time limits, and
// for an oversight body the cases escalated to it. The store decides what
// a person may see; the owner body alone moves, escalates and opens tasks.

type complaintsData struct {
	Items  []*store.Complaint
	Status string
	Today  model.Date
	Policy store.ComplaintPolicy
	CanSet bool
	Errors map[string]string
}

func (s *Server) complaintList(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	status := r.URL.Query().Get("status")
	valid := false
	for _, st := range grievance.Statuses {
		valid = valid || string(st) == status
	}
	if !valid {
		status = ""
	}
	items, err := s.db.ComplaintsFor(r.Context(), u, status, 500)
	if err != nil {
		return err
	}
	d := &complaintsData{Items: items, Status: status, Today: model.DateOf(s.now()),
		CanSet: u.Org.Kind == model.OrgPublicBody && u.Role == model.RoleAdmin}
	if d.Policy, err = s.db.ComplaintPolicy(r.Context(), u.OrgID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "complaints", "complaints.title", d)
}

func (s *Server) complaintPolicySet(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u.Org.Kind != model.OrgPublicBody || u.Role != model.RoleAdmin {
		return model.Forbidden()
	}
	ack, err1 := strconv.Atoi(r.PostFormValue("ack_days"))
	ans, err2 := strconv.Atoi(r.PostFormValue("answer_days"))
	if err1 != nil || err2 != nil {
		return model.FieldErrors{"ack_days": "invalid.days"}.Err()
	}
	if err := s.db.SetComplaintPolicy(r.Context(), store.ActorOf(u), u.OrgID, store.ComplaintPolicy{AckDays: ack, AnswerDays: ans}); err != nil {
		return err
	}
	http.Redirect(w, r, "/complaints?done=saved", http.StatusSeeOther)
	return nil
}

type caseData struct {
	C        *store.Complaint
	Name     string
	Contact  string
	Messages []store.ComplaintMessage
	Files    []store.ComplaintFile
	Next     []grievance.Status
	Outcomes []grievance.Outcome
	IsOwner  bool
	CanRead  bool // may ask to read the complainant's name and contact
	Today    model.Date
	Errors   map[string]string
	Reply    string
	// The case at the oversight body.
	Escalation   *store.Escalation
	Overseers    []string
	Decisions    []string
	CanAnswer    bool // the body may give its account
	CanDecide    bool // an oversight body may record its decision
	BodyAnswer   string
	Decision     string
	DecisionText string
	// DecisionPublic is the version for the register; Reopen asks the body
	// to re-open the purchase's assessment.
	DecisionPublic string
	Reopen         bool
}

// ownsComplaint reports whether u works for the body the case is addressed to.
func ownsComplaint(u *model.User, c *store.Complaint) bool {
	return u.OrgID == c.OrgID && u.Org.Kind == model.OrgPublicBody && u.Role != model.RoleViewer
}

func (s *Server) loadComplaint(r *http.Request) (*store.Complaint, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, model.NotFound("complaint")
	}
	return s.db.ComplaintFor(r.Context(), currentUser(r), id)
}

func (s *Server) complaintCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadComplaint(r)
	if err != nil {
		return err
	}
	return s.casePage(w, r, http.StatusOK, c, &caseData{})
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, status int, c *store.Complaint, d *caseData) error {
	u := currentUser(r)
	d.C, d.IsOwner, d.Today, d.Outcomes = c, ownsComplaint(u, c), model.DateOf(s.now()), grievance.Outcomes
	if d.IsOwner {
		d.Next = grievance.Next(c.Status)
	}
	d.CanRead = canReadIdentity(u, c) // the name itself only through complaintIdentity, logged
	var err error
	if d.Messages, err = s.db.ComplaintMessages(r.Context(), c.ID); err != nil {
		return err
	}
	if d.Files, err = s.db.ComplaintFiles(r.Context(), c.ID); err != nil {
		return err
	}
	if err := s.escalationCase(r, c, d); err != nil {
		return err
	}
	return s.render(w, r, status, "complaint", "complaints.case_title", d)
}

func (s *Server) complaintMove(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadComplaint(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !ownsComplaint(u, c) {
		return model.Forbidden()
	}
	to := grievance.Status(r.PostFormValue("status"))
	if err := s.db.MoveComplaint(r.Context(), store.ActorOf(u), c, to, grievance.Outcome(r.PostFormValue("outcome"))); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		return s.casePage(w, r, http.StatusUnprocessableEntity, c, &caseData{Errors: fe})
	}
	http.Redirect(w, r, "/complaints/"+strconv.FormatInt(c.ID, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

// complaintReply lets the body, or the oversight body it escalated to,
// write to the person; the person reads it with their code.
func (s *Server) complaintReply(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadComplaint(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	body := r.PostFormValue("message")
	if err := s.db.AddComplaintMessage(r.Context(), store.ActorOf(u), c, true, u.Org.Name, body); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		return s.casePage(w, r, http.StatusUnprocessableEntity, c, &caseData{Errors: fe, Reply: body})
	}
	http.Redirect(w, r, "/complaints/"+strconv.FormatInt(c.ID, 10)+"?done=saved#messages", http.StatusSeeOther)
	return nil
}

// complaintReassess opens a task to re-assess the purchase's risks.
func (s *Server) complaintReassess(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadComplaint(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !ownsComplaint(u, c) || c.PurchaseID == 0 {
		return model.Forbidden()
	}
	p, _, err := s.db.Purchase(r.Context(), u, c.PurchaseID)
	if err != nil {
		return err
	}
	title := s.i18n.Catalog("en").T("task.reassess_title", c.ID)
	if _, err := s.db.OpenTask(r.Context(), store.ActorOf(u), p, "reassess", title, "complaint:"+strconv.FormatInt(c.ID, 10), model.DateOf(s.now()).AddDays(30)); err != nil {
		return err
	}
	http.Redirect(w, r, "/complaints/"+strconv.FormatInt(c.ID, 10)+"?done=task", http.StatusSeeOther)
	return nil
}

// complaintFile serves an attachment as a download that cannot run in the
// page: attachment disposition, no sniffing, a sandboxing policy.
func (s *Server) complaintFile(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadComplaint(r)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return model.NotFound("file")
	}
	f, err := s.db.ComplaintFile(r.Context(), c.ID, fid)
	if err != nil {
		return err
	}
	s.serveDownload(w, r, f.Name, f.CType, f.SHA256, f.Size)
	return nil
}
