package web

import "net/http"

// routes lists every URL of the application in one place. Each handler
// checks what the signed-in person may do; the wrappers only establish who
// they are.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	page := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.html(h)) }
	member := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.html(s.signedIn(h))) }
	api := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.json(s.apiUser(h))) }

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /livez", s.livez)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /static/{file}", s.static)

	page("GET /{$}", s.home)
	page("GET /signin", s.signinForm)
	page("POST /signin", s.signin)
	page("POST /signin/sso", s.ssoStart)
	page("GET /signin/sso/callback", s.ssoCallback)
	page("POST /signout", s.signout)
	page("POST /lang", s.setLang)

	member("GET /dashboard", s.dashboard)
	member("GET /purchases", s.purchaseList)
	member("GET /purchases/new", s.purchaseNew)
	member("POST /purchases", s.purchaseCreate)
	member("POST /purchases/bulk-publish", s.bulkPublish)
	member("GET /purchases/{id}", s.purchaseView)
	member("GET /purchases/{id}/edit", s.purchaseEdit)
	member("POST /purchases/{id}", s.purchaseUpdate)
	member("GET /purchases/{id}/transition", s.transitionForm)
	member("POST /purchases/{id}/transition", s.transition)
	member("POST /purchases/{id}/comments", s.commentCreate)
	member("POST /purchases/{id}/suppliers", s.supplierInvite)
	member("POST /purchases/{id}/tasks/{task}/close", s.taskClose)
	member("GET /overrides", s.overrideList)
	s.assessmentRoutes(member)
	s.tenderRoutes(member)
	s.supplierDDRoutes(member)
	s.contractRoutes(member)
	s.monitoringRoutes(member)
	s.opinionRoutes(member)

	member("GET /account", s.account)
	member("POST /account/password", s.passwordChange)
	member("POST /account/tokens", s.tokenCreate)
	member("POST /account/tokens/{id}/revoke", s.tokenRevoke)

	member("GET /admin/users", s.userList)
	member("POST /admin/users", s.userCreate)
	member("GET /admin/users/{id}", s.userEditForm)
	member("POST /admin/users/{id}", s.userUpdate)
	member("GET /admin/orgs", s.orgList)
	member("POST /admin/orgs", s.orgCreate)
	member("GET /admin/orgs/{id}", s.orgView)
	member("POST /admin/orgs/{id}/remit", s.orgRemit)
	member("GET /admin/outbox", s.outboxView)
	member("GET /admin/retention", s.retentionAdmin)
	member("POST /admin/retention", s.retentionSet)
	member("GET /admin/sso", s.ssoSettings)
	member("POST /admin/sso", s.ssoSave)
	member("POST /admin/sso/remove", s.ssoRemove)

	s.publicRoutes(mux, page, member)
	s.consultationRoutes(page, member)
	s.labRoutes(mux, page, member)
	s.labMemberRoutes(mux, page, member)
	s.nexusRoutes(mux, page, member)
	s.afterAwardRoutes(mux, page, member)

	mux.Handle("GET /audit/head", s.json(s.auditHead))
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	api("GET /api/v1/purchases", s.apiPurchaseList)
	api("POST /api/v1/purchases", s.apiPurchaseCreate)
	api("GET /api/v1/purchases/{id}", s.apiPurchaseGet)
	api("PATCH /api/v1/purchases/{id}", s.apiPurchaseUpdate)
	api("POST /api/v1/purchases/{id}/transition", s.apiPurchaseTransition)
	mux.Handle("/api/", s.json(func(w http.ResponseWriter, r *http.Request) error { return errNoRoute }))

	page("/", func(w http.ResponseWriter, r *http.Request) error { return errNoRoute })

	// Cross-origin protection refuses state-changing requests that a browser
	// marks as coming from another site (Sec-Fetch-Site, Origin), which
	// covers every form and the API used from a page.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	return s.recoverPanics(securityHeaders(cop.Handler(notePattern(mux))))
}
