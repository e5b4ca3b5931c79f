package web

import (
	"net/http"
	"strconv"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/store"
)

// taskClose marks a task on a purchase done. Tasks come from complaints,
// amendments and monitoring breaches; whoever may work on the assessment
// may close them, saying what was done.
func (s *Server) taskClose(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPurchase(r, access.Assess)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("task"), 10, 64)
	if err != nil {
		return model.NotFound("task")
	}
	if err := s.db.CloseTask(r.Context(), store.ActorOf(currentUser(r)), p, id, r.PostFormValue("note")); err != nil {
		return err
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"?done=task_closed#tasks", http.StatusSeeOther)
	return nil
}
