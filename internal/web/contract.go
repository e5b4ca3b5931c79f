package web

import (
	"net/http"

	"buyright/internal/access"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

// contractRoutes registers the contract record, amendments, reviews,
// renewal and exit.
func (s *Server) contractRoutes(member func(string, handlerFunc)) {}

// addContractGates adds the gate rules of the contract stages.
func (s *Server) addContractGates(g *lifecycle.Gates) {}

// contractPanel is what the purchase page shows about the contract; nil
// shows nothing.
func (s *Server) contractPanel(r *http.Request, p *model.Purchase, rel access.Relation) (any, error) {
	return nil, nil
}
