package web

import (
	"net/http"
	"strings"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
)

// complaintRelation is how the person stands to a complaint they can see:
// working for the body it is addressed to, or for the oversight body it
// was escalated to (the store shows them nothing else).
func complaintRelation(u *model.User, c *store.Complaint) access.Relation {
	switch {
	case u.OrgID == c.OrgID && u.Org.Kind == model.OrgPublicBody:
		return access.Owner
	case u.Org.Kind == model.OrgOversight:
		return access.Oversight
	}
	return access.None
}

// canReadIdentity reports whether u may read this complaint's complainant.
func canReadIdentity(u *model.User, c *store.Complaint) bool {
	return access.CanReadComplainant(u, complaintRelation(u, c), c.EscalatedAt != nil)
}

// complaintIdentity shows the complaints handler (or, after escalation,
// the oversight staff) the name and contact a complainant gave. It is a
// deliberate step, not part of opening the case, and each reading is
// written to the audit log before anything is shown.
func (s *Server) complaintIdentity(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadComplaint(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !canReadIdentity(u, c) {
		return model.Forbidden()
	}
	d := &caseData{}
	if c.Identity != nil && s.box != nil {
		if err := s.db.RecordIdentityReading(r.Context(), store.ActorOf(u), c, u.Org.Name); err != nil {
			return err
		}
		if plain, err := s.box.Open(c.Identity, complaintRef(c.ID)); err == nil {
			d.Name, d.Contact, _ = strings.Cut(string(plain), "\n")
		}
	}
	return s.casePage(w, r, http.StatusOK, c, d)
}
