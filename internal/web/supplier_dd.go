package web

import (
	"net/http"

	"buyright/internal/access"
	"buyright/internal/model"
)

// supplierDDRoutes registers supplier due diligence: invitations, the
// supplier's questionnaire and evidence, and the body's review.
func (s *Server) supplierDDRoutes(member func(string, handlerFunc)) {}

// supplierPanel is what the purchase page shows about supplier due
// diligence; nil shows nothing.
func (s *Server) supplierPanel(r *http.Request, p *model.Purchase, rel access.Relation) (any, error) {
	return nil, nil
}
