package web

import (
	"net/http"

	"buyright/internal/access"
	"buyright/internal/model"
)

// recordPage serves a page of a purchase's record: whoever may see the
// record reads it; build gathers what the page shows.
func recordPage[T any](s *Server, tmpl, title string, build func(*http.Request, *model.Purchase, access.Relation) (T, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, rel, err := s.loadPurchase(r, access.ViewRecord)
		if err != nil {
			return err
		}
		d, err := build(r, p, rel)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, tmpl, title, d)
	}
}
