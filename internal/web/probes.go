package web

import "net/http"

// livez answers 200 while the process serves requests at all: a load
// balancer or orchestrator restarts a server that stops answering it. It
// does not touch the database, so a database outage does not restart
// every server at once.
func (s *Server) livez(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when this server can do its work: the database
// answers and its schema is the version this binary was built for. During
// a rolling upgrade an old server facing a newer schema says so here
// rather than failing requests.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.WarnContext(r.Context(), "readiness: database unreachable", "err", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	if err := s.db.CheckSchema(r.Context()); err != nil {
		s.log.WarnContext(r.Context(), "readiness: schema", "err", err)
		http.Error(w, "schema not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}
