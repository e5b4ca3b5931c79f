package web

import (
	"fmt"
	"net/http"
	"time"

	"buyright/internal/model"
)

// auditHead answers GET /audit/head with the newest head of the audit log
// the server published (once an hour, when the log grew). Anyone may fetch
// and keep it; `buyright audit verify --expect ROW:HASH` later proves that
// the log up to that row was not rewritten or cut back. It says how much
// was logged, not what: a row number and a hash.
func (s *Server) auditHead(w http.ResponseWriter, r *http.Request) error {
	c, err := s.db.LatestAuditCheckpoint(r.Context())
	if err != nil {
		return err
	}
	if c == nil {
		return model.NotFound("published audit head")
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return writeJSON(w, http.StatusOK, map[string]any{
		"row": c.ID, "hash": c.Hash, "published": c.At.UTC().Format(time.RFC3339),
		"verify": fmt.Sprintf("buyright audit verify --expect %d:%s", c.ID, c.Hash),
	})
}
