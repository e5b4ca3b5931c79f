package web

import (
	"net/http"

	"buyright/internal/access"
	"buyright/internal/model"
)

// monitoringRoutes registers the monitoring plan, measurements and the
// incidents log.
func (s *Server) monitoringRoutes(member func(string, handlerFunc)) {}

// monitoringPanel is what the purchase page shows about monitoring; nil
// shows nothing.
func (s *Server) monitoringPanel(r *http.Request, p *model.Purchase, rel access.Relation) (any, error) {
	return nil, nil
}
