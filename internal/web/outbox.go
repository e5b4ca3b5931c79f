package web

import (
	"net/http"

	"buyright/internal/access"
	"buyright/internal/model"
)

// outboxView shows site administrators the e-mail waiting, sent and given
// up, with the last error, so a broken mail server is noticed.
func (s *Server) outboxView(w http.ResponseWriter, r *http.Request) error {
	if !access.CanAdminSite(currentUser(r)) {
		return model.Forbidden()
	}
	items, err := s.db.Outbox(r.Context(), 200)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin_outbox", "outbox.title", items)
}
