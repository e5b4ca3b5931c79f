package web

import (
	"net/http"

	"buyright/internal/access"
	"buyright/internal/model"
)

// knowledgePanel is what the purchase page shows from the Learning Lab:
// practices for its stage and sector, and the law of its jurisdiction; nil
// shows nothing.
func (s *Server) knowledgePanel(r *http.Request, p *model.Purchase, rel access.Relation) (any, error) {
	return nil, nil
}
