package web

import "net/http"

// nexusRoutes registers the State-business nexus beyond a purchase: the
// terms and the firewall of a relationship, State requests as each side
// records them, transparency reports (public), and the public register
// of emergency measures.
func (s *Server) nexusRoutes(mux *http.ServeMux, page, member func(string, handlerFunc)) {
	member("GET /purchases/{id}/relationship", s.relationshipView)
	member("POST /purchases/{id}/relationship", s.relationshipSave)
	member("GET /purchases/{id}/firewall", s.firewallView)
	member("POST /purchases/{id}/firewall/rules", s.firewallRuleAdd)
	member("POST /purchases/{id}/firewall/incidents", s.firewallIncidentAdd)

	member("GET /requests", s.requestList)
	member("GET /requests/new", s.requestNew)
	member("POST /requests", s.requestCreate)
	member("GET /requests/reports", s.ownReports)
	member("POST /requests/reports", s.reportPublish)
	member("GET /requests/{id}", s.requestView)
	member("GET /requests/{id}/edit", s.requestEdit)
	member("POST /requests/{id}", s.requestUpdate)

	page("GET /transparency", s.transparencyIndex)
	page("GET /transparency/{id}", s.transparencyReport)
	mux.Handle("GET /transparency/{id}/report.csv", s.html(s.transparencyCSV))
	mux.Handle("GET /transparency/{id}/report.json", s.json(s.transparencyJSON))
	page("GET /register/emergency", s.emergencyRegister)
	mux.Handle("GET /register/emergency.json", s.json(s.emergencyRegisterJSON))
}
