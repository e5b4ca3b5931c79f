package web

import (
	"net/http"
	"strconv"

	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
)

// Taking a complaint to the oversight body. The person does it from the
// page they open with their receipt code, on a ground that holds (the
// body's time limit passed without an answer, or they are dissatisfied
// with the answer) and with their reason; the body owes the oversight
// body its account within a time limit; the oversight body records its
// decision, which the person reads with their code.

// reload reads a case again after the person changed it.
func (s *Server) reload(r *http.Request, c *store.Complaint) (*store.Complaint, error) {
	return s.db.ComplaintByID(r.Context(), c.ID)
}

// escalationView fills what the person's case page shows about escalating.
func (s *Server) escalationView(r *http.Request, d *followData) error {
	c := d.Complaint
	d.Today = model.DateOf(s.now())
	var err error
	if d.Escalation, err = s.db.Escalation(r.Context(), c.ID); err != nil {
		return err
	}
	if d.Overseers, err = s.db.Overseers(r.Context(), c.OrgID); err != nil {
		return err
	}
	if d.Escalation == nil && len(d.Overseers) > 0 {
		for _, g := range grievance.Grounds {
			if grievance.GroundHolds(g, c.AnsweredAt != nil, c.Overdue(d.Today)) {
				d.Grounds = append(d.Grounds, g)
			}
		}
	}
	if d.Ground == "" && len(d.Grounds) == 1 {
		d.Ground = d.Grounds[0]
	}
	return nil
}

// escalationCase fills what the staff's case page shows: the escalation,
// and the form each side may use.
func (s *Server) escalationCase(r *http.Request, c *store.Complaint, d *caseData) error {
	u := currentUser(r)
	var err error
	if d.Escalation, err = s.db.Escalation(r.Context(), c.ID); err != nil {
		return err
	}
	if d.Overseers, err = s.db.Overseers(r.Context(), c.OrgID); err != nil {
		return err
	}
	d.Decisions = grievance.Decisions
	if e := d.Escalation; e != nil {
		d.CanAnswer = ownsComplaint(u, c) && e.BodyAnsweredAt == nil && !e.Decided()
		// The store checks the remit again when the decision is recorded.
		d.CanDecide = u.Org.Kind == model.OrgOversight && u.Role != model.RoleViewer && !e.Decided()
	}
	return nil
}

func (s *Server) escalationAnswer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadComplaint(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !ownsComplaint(u, c) {
		return model.Forbidden()
	}
	text := r.PostFormValue("body_answer")
	if err := s.db.AnswerEscalation(r.Context(), store.ActorOf(u), c, text); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		return s.casePage(w, r, http.StatusUnprocessableEntity, c, &caseData{Errors: fe, BodyAnswer: text})
	}
	http.Redirect(w, r, "/complaints/"+strconv.FormatInt(c.ID, 10)+"?done=saved#escalation", http.StatusSeeOther)
	return nil
}

func (s *Server) escalationDecide(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadComplaint(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	d := store.EscalationDecision{Decision: r.PostFormValue("decision"), Text: r.PostFormValue("decision_text"),
		Public: r.PostFormValue("decision_public"), Reopen: r.PostFormValue("reopen") == "yes"}
	if err := s.db.DecideEscalation(r.Context(), store.ActorOf(u), u, c, d); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		return s.casePage(w, r, http.StatusUnprocessableEntity, c, &caseData{Errors: fe, Decision: d.Decision, DecisionText: d.Text, DecisionPublic: d.Public, Reopen: d.Reopen})
	}
	http.Redirect(w, r, "/complaints/"+strconv.FormatInt(c.ID, 10)+"?done=saved#escalation", http.StatusSeeOther)
	return nil
}
