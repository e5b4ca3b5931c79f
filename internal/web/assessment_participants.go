package web

import (
	"net/http"

	"buyright/internal/assessment"
	"buyright/internal/model"
)

// Meetings of an assessment may name civil-society organisations as
// participants: their people then find the meeting's record on their
// participation page.

// civilOrgs lists the civil-society organisations, by name.
func (s *Server) civilOrgs(r *http.Request) ([]*model.Organisation, error) {
	orgs, err := s.db.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	var out []*model.Organisation
	for _, o := range orgs {
		if o.Kind == model.OrgCivilSociety {
			out = append(out, o)
		}
	}
	return out, nil
}

// participantsKnown reports whether every participant named in the
// document's meetings is one of the civil-society organisations.
func participantsKnown(d *assessment.Doc, civil []*model.Organisation) bool {
	ok := map[int64]bool{}
	for _, o := range civil {
		ok[o.ID] = true
	}
	for _, e := range d.Engagements {
		for _, id := range e.Participants {
			if !ok[id] {
				return false
			}
		}
	}
	return true
}
