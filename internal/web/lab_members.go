package web

import "net/http"

// labMemberRoutes registers the members' repository, events and the
// Lab's digest and feeds.
func (s *Server) labMemberRoutes(mux *http.ServeMux, page, member func(string, handlerFunc)) {}
