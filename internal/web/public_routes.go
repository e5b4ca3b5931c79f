package web

import "net/http"

// publicRoutes registers the public register, the complaints channel and
// the oversight workspace.
func (s *Server) publicRoutes(mux *http.ServeMux, page, member func(string, handlerFunc)) {
	page("GET /register", s.register)
	page("GET /register/{id}", s.registerEntry)
	mux.Handle("GET /register/{id}/record.json", s.json(s.registerRecord))
	mux.Handle("GET /register/feed.atom", s.html(s.registerFeed))
	mux.Handle("GET /register.csv", s.html(s.registerCSV))
	mux.Handle("GET /register.json", s.html(s.registerJSON))
	mux.Handle("GET /api/v1/ocds/releases", s.json(s.ocdsReleases))
	mux.Handle("GET /ocds/releases.jsonl", s.html(s.ocdsReleasesJSONL))
	mux.Handle("GET /ocds/extension/{file...}", s.html(s.ocdsExtension))
	page("GET /imported", s.importedPublic)
	mux.Handle("GET /imported.csv", s.html(s.importedCSV))
	mux.Handle("GET /imported.json", s.html(s.importedJSONDownload))

	page("GET /complaints/new", s.complaintNew)
	page("POST /complaints/new", s.complaintCreate)
	page("GET /complaints/receipt", s.complaintReceipt)
	page("GET /complaints/follow", s.complaintFollowForm)
	page("POST /complaints/follow", s.complaintFollow)

	member("GET /complaints", s.complaintList)
	member("POST /complaints/policy", s.complaintPolicySet)
	member("GET /complaints/{id}", s.complaintCase)
	member("POST /complaints/{id}/identity", s.complaintIdentity)
	member("POST /complaints/{id}/status", s.complaintMove)
	member("POST /complaints/{id}/messages", s.complaintReply)
	member("POST /complaints/{id}/reassess", s.complaintReassess)
	member("GET /complaints/{id}/files/{file}", s.complaintFile)
	member("POST /complaints/{id}/escalation/answer", s.escalationAnswer)
	member("POST /complaints/{id}/escalation/decision", s.escalationDecide)

	member("POST /purchases/{id}/files", s.fileUpload)
	member("GET /purchases/{id}/files/{file}", s.fileDownload)

	member("GET /purchases/{id}/emergency", recordPage(s, "emergency", "sunset.title", s.emergencyState))
	member("POST /purchases/{id}/emergency", s.emergencyContinue)

	member("GET /oversight", s.oversightHome)
	member("POST /purchases/{id}/publication", s.publish)
	member("POST /purchases/{id}/findings", s.findingCreate)
	member("POST /purchases/{id}/change-requests", s.changeRequestCreate)
	member("POST /purchases/{id}/change-requests/{req}", s.changeRequestAnswer)
}
