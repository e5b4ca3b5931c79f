package web

import (
	"fmt"
	"net/http"

	"buyright/internal/store"
)

// labMaterialPropose asks the Lab's editors to publish a material the
// reader's organisation shared; an editor then publishes it from the same
// page. The store checks that the reader's organisation shared it.
func (s *Server) labMaterialPropose(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireLabMember(r); err != nil {
		return err
	}
	id, err := pathID(r, "material")
	if err != nil {
		return err
	}
	if err := s.db.ProposeMaterial(r.Context(), store.ActorOf(currentUser(r)), id); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/lab/materials/%d?done=proposed_publication", id), http.StatusSeeOther)
	return nil
}
