package web

import (
	"fmt"
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
)

// screeningSignOff records an approver's sign-off of the screening as they
// read it (its revision): the requirement "screening complete and signed
// off" is met by this and nothing else. Changing the answers later clears
// it.
func (s *Server) screeningSignOff(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.SignOff)
	if err != nil {
		return err
	}
	if !p.Stage.Open() {
		return model.Forbidden()
	}
	rev, err := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	if err != nil {
		return model.Errorf(model.EInvalid, "error.stale", "the screening changed since you read it")
	}
	if err := s.db.SignOffScreening(r.Context(), store.ActorOf(currentUser(r)), p, rev); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/purchases/%d/screening?done=saved#result", p.ID), http.StatusSeeOther)
	return nil
}
