package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

var (
	everyone = []string{"city_admin", "city_officer", "city_assessor", "city_approver", "city_viewer", "city_handler", "town_officer", "nhri_oversight", "nhri_viewer", "dpa_oversight", "vendor_supplier", "rival_supplier", "cso_viewer", "site_admin",
		"lab_lead", "lab_editor", "lab_reviewer", "lab_hublead"}
	seers      = []string{"city_admin", "city_officer", "city_assessor", "city_approver", "city_viewer", "city_handler", "nhri_oversight", "nhri_viewer", "vendor_supplier"}
	recorders  = []string{"city_admin", "city_officer", "city_assessor", "city_approver", "city_viewer", "city_handler", "nhri_oversight", "nhri_viewer"}
	editors    = []string{"city_admin", "city_officer", "city_approver"}
	creators   = []string{"city_admin", "city_officer", "city_approver", "town_officer"}
	commenters = []string{"city_admin", "city_officer", "city_assessor", "city_approver", "city_handler", "nhri_oversight"}
	orgAdmins  = []string{"city_admin", "site_admin"}
	siteAdmins = []string{"site_admin"}
	assessors  = []string{"city_admin", "city_officer", "city_assessor", "city_approver"}
	approvers  = []string{"city_approver"}
	// The Learning Lab's network roles (see labRoles in world_test.go).
	labAppointers     = []string{"site_admin", "lab_lead"}
	labEditors        = []string{"lab_editor"}
	labReviewers      = []string{"lab_reviewer"}
	labPracticeReview = []string{"lab_reviewer", "lab_hublead"}
	labRoleHolders    = []string{"lab_lead", "lab_editor", "lab_reviewer", "lab_hublead"}
)

// route is one URL of the application with who may use it. For purchase
// routes, people who may see the purchase but not do the action get 403;
// people who may not see it get 404, as if it did not exist.
type route struct {
	method, path string // %d is replaced by a fresh purchase's id, %u by city_officer's id
	form         url.Values
	ok           int
	allowed      []string
	onPurchase   bool
	extra        []string // allowed to see (403 rather than 404) beyond seers, for non-purchase objects
	// prepare, when set, readies the fresh purchase (e.g. the vendor holds
	// its contract) and may change the path (e.g. to name a document).
	prepare func(w *world, p *model.Purchase, path string) string
}

// featureRoutes holds the rows of features that keep their routes in a
// file of their own (authz_<feature>_test.go appends in an init).
var featureRoutes []func() []route

func routes() []route {
	rows := coreRoutes()
	for _, f := range featureRoutes {
		rows = append(rows, f()...)
	}
	return rows
}

func coreRoutes() []route {
	valid := url.Values{"title": {"Edited title"}, "sector": {"health"}, "version": {"1"}}
	return []route{
		{method: "GET", path: "/dashboard", ok: 200, allowed: everyone},
		{method: "GET", path: "/purchases", ok: 200, allowed: everyone},
		{method: "GET", path: "/purchases?q=x&stage=planning&sector=health&tech=apps&sort=title&page=2", ok: 200, allowed: everyone},
		{method: "GET", path: "/overrides", ok: 200, allowed: everyone},
		{method: "GET", path: "/account", ok: 200, allowed: everyone},
		{method: "POST", path: "/account/tokens", form: url.Values{"name": {"cli"}}, ok: 201, allowed: everyone},
		{method: "GET", path: "/purchases/new", ok: 200, allowed: creators},
		{method: "POST", path: "/purchases", form: url.Values{"title": {"New"}, "sector": {"health"}}, ok: 303, allowed: creators},
		{method: "GET", path: "/purchases/%d", ok: 200, allowed: seers, onPurchase: true},
		{method: "GET", path: "/purchases/%d/edit", ok: 200, allowed: editors, onPurchase: true},
		{method: "POST", path: "/purchases/%d", form: valid, ok: 303, allowed: editors, onPurchase: true},
		{method: "GET", path: "/purchases/%d/transition", ok: 200, allowed: editors, onPurchase: true},
		// Cancelling has no gates, so the move succeeds for whoever may make it
		// (a forward move would stop at the screening gate).
		{method: "POST", path: "/purchases/%d/transition", form: url.Values{"to": {"cancelled"}, "reason": {"test"}, "version": {"1"}}, ok: 303, allowed: editors, onPurchase: true},
		{method: "GET", path: "/purchases/%d/screening", ok: 200, allowed: recorders, onPurchase: true},
		{method: "POST", path: "/purchases/%d/screening", form: url.Values{"shown": {"essential_service"}, "q_essential_service": {"yes"}}, ok: 303, allowed: editors, onPurchase: true},
		{method: "GET", path: "/purchases/%d/assessment", ok: 200, allowed: recorders, onPurchase: true},
		{method: "POST", path: "/purchases/%d/assessment/scope", form: url.Values{"a_context": {"Context"}}, ok: 303, allowed: assessors, onPurchase: true},
		{method: "POST", path: "/purchases/%d/assessment/signoff", form: url.Values{"version": {"1"}}, ok: 409, allowed: approvers, onPurchase: true},
		{method: "GET", path: "/purchases/%d/assessment/report", ok: 303, allowed: recorders, onPurchase: true},
		{method: "GET", path: "/purchases/%d/assessment/diff", ok: 404, allowed: recorders, onPurchase: true},
		{method: "GET", path: "/purchases/%d/assessment.json", ok: 200, allowed: recorders, onPurchase: true},
		{method: "GET", path: "/purchases/%d/tender", ok: 200, allowed: recorders, onPurchase: true},
		{method: "POST", path: "/purchases/%d/tender", form: url.Values{"item": {"CL-EXIT"}, "decision": {"accepted"}}, ok: 303, allowed: editors, onPurchase: true},
		{method: "GET", path: "/purchases/%d/tender/document", ok: 200, allowed: recorders, onPurchase: true},
		{method: "GET", path: "/purchases/%d/tender.md", ok: 200, allowed: recorders, onPurchase: true},
		{method: "GET", path: "/admin/catalogs", ok: 200, allowed: siteAdmins},
		{method: "POST", path: "/admin/catalogs/reset", ok: 303, allowed: siteAdmins},
		{method: "POST", path: "/purchases/%d/comments", form: url.Values{"body": {"A remark"}}, ok: 303, allowed: commenters, onPurchase: true},
		{method: "POST", path: "/purchases/%d/suppliers", form: url.Values{"org_id": {"%rival"}}, ok: 303, allowed: editors, onPurchase: true},
		{method: "POST", path: "/purchases/%d/tasks/999999/close", ok: 404, allowed: assessors, onPurchase: true},
		{method: "GET", path: "/admin/users", ok: 200, allowed: orgAdmins},
		{method: "POST", path: "/admin/users", form: url.Values{"email": {"new-%n@test.example"}, "role": {"viewer"}}, ok: 201, allowed: orgAdmins},
		{method: "GET", path: "/admin/users/%u", ok: 200, allowed: orgAdmins, extra: everyone},
		{method: "POST", path: "/admin/users/%u", form: url.Values{"name": {"Renamed"}, "role": {"officer"}}, ok: 303, allowed: orgAdmins, extra: everyone},
		{method: "GET", path: "/complaints", ok: 200, allowed: everyone},
		{method: "POST", path: "/complaints/policy", form: url.Values{"ack_days": {"5"}, "answer_days": {"20"}}, ok: 303, allowed: []string{"city_admin"}},
		{method: "GET", path: "/oversight", ok: 200, allowed: []string{"nhri_oversight", "nhri_viewer", "dpa_oversight"}},
		{method: "POST", path: "/purchases/%d/publication", form: url.Values{"publish": {"yes"}, "summary": {"Plain words"}}, ok: 303, allowed: editors, onPurchase: true},
		{method: "POST", path: "/purchases/%d/findings", form: url.Values{"title": {"Finding"}, "finding": {"Text"}}, ok: 303, allowed: []string{"nhri_oversight"}, onPurchase: true},
		{method: "POST", path: "/purchases/%d/change-requests", form: url.Values{"request": {"Change"}, "due": {"2099-01-01"}}, ok: 303, allowed: []string{"nhri_oversight"}, onPurchase: true},
		// Not a multipart body: people allowed in get the form error (422), the others 403 or 404.
		{method: "POST", path: "/purchases/%d/files", form: url.Values{"kind": {"engagement"}}, ok: 422, allowed: []string{"city_admin", "city_officer", "city_assessor", "city_approver"}, onPurchase: true},
		{method: "GET", path: "/admin/orgs", ok: 200, allowed: siteAdmins},
		{method: "POST", path: "/admin/orgs", form: url.Values{"slug": {"org-%n"}, "name": {"New org"}, "kind": {"supplier"}}, ok: 303, allowed: siteAdmins},
		{method: "GET", path: "/admin/orgs/%o", ok: 200, allowed: siteAdmins},
		{method: "POST", path: "/admin/orgs/%o/remit", form: url.Values{"remit": {"%city"}}, ok: 303, allowed: siteAdmins},
		// Learning Lab: anyone signed in proposes drafts and reads their own
		// organisation's; the network's reviewers approve, its editors
		// publish, no organisation's administrator does either.
		{method: "GET", path: "/lab/propose/answer", ok: 200, allowed: everyone},
		{method: "POST", path: "/lab/propose/answer", form: url.Values{"lab_question": {"LM-AWARD"}}, ok: 422, allowed: everyone},
		{method: "GET", path: "/lab/propose/practice", ok: 200, allowed: everyone},
		{method: "POST", path: "/lab/propose/practice", form: url.Values{"lab_title": {"Practice %n"}, "lab_body": {"A body"}, "lab_jurisdiction": {"NL"}, "lab_stage": {"contract"}, "lab_hub": {"electronics"}, "lab_what_done": {"Did"}, "lab_what_changed": {"Changed"}, "lab_sources": {"https://example.org/"}}, ok: 303, allowed: everyone},
		{method: "GET", path: "/lab/review", ok: 200, allowed: everyone},
		{method: "POST", path: "/lab/review/answers/999999/approve", ok: 404, allowed: labReviewers},
		{method: "POST", path: "/lab/review/answers/999999/publish", ok: 404, allowed: labEditors},
		{method: "POST", path: "/lab/review/answers/999999/return", form: url.Values{"note": {"x"}}, ok: 404, allowed: []string{"lab_editor", "lab_reviewer"}},
		{method: "POST", path: "/lab/review/answers/999999/confirm", ok: 404, allowed: labReviewers},
		{method: "POST", path: "/lab/review/practices/999999/approve", ok: 404, allowed: labPracticeReview},
		{method: "POST", path: "/lab/review/practices/999999/publish", ok: 404, allowed: labEditors},
		{method: "GET", path: "/lab/roles", ok: 200, allowed: everyone},
		{method: "POST", path: "/lab/roles", form: url.Values{"lab_role": {"reviewer"}}, ok: 422, allowed: labAppointers},
		{method: "POST", path: "/lab/roles/999999/remove", ok: 404, allowed: labAppointers},
		{method: "GET", path: "/lab/map", ok: 200, allowed: labEditors},
		{method: "POST", path: "/lab/map/jurisdictions", form: url.Values{"jur_code": {"x"}}, ok: 422, allowed: labEditors},
		{method: "POST", path: "/lab/map/questions", form: url.Values{"lab_code": {"x"}}, ok: 422, allowed: labEditors},
		{method: "GET", path: "/lab/map/questions/LM-AWARD", ok: 200, allowed: labEditors},
	}
}

// expected is the status a person should get on a route.
func expected(rt route, name string) int {
	switch {
	case name == "":
		return 303 // sent to sign in
	case slices.Contains(rt.allowed, name):
		return rt.ok
	case rt.onPurchase && !slices.Contains(seers, name):
		return 404
	case rt.extra != nil && !slices.Contains(rt.allowed, name):
		return 404 // another organisation's person: not found
	default:
		return 403
	}
}

func TestAuthorisationEveryRouteEveryRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		n := 0
		for _, rt := range routes() {
			for _, name := range append([]string{""}, everyone...) {
				n++
				path, form := w.fill(rt, n)
				got, body, _ := w.do(name, rt.method, path, form)
				if want := expected(rt, name); got != want {
					t.Errorf("%s %s as %q: status %d, want %d\n%.300s", rt.method, path, name, got, want, body)
				}
			}
		}
	})
}

// fill replaces the placeholders of a route with fresh objects.
func (w *world) fill(rt route, n int) (string, url.Values) {
	path := rt.path
	if rt.onPurchase {
		p := w.purchase(fmt.Sprintf("Purchase %d", n))
		path = fmt.Sprintf(path, p.ID)
		if rt.prepare != nil {
			path = rt.prepare(w, p, path)
		}
	}
	repl := map[string]string{
		"%u": fmt.Sprint(w.users["city_officer"].ID), "%o": fmt.Sprint(w.orgs["nhri"].ID),
		"%rival": fmt.Sprint(w.orgs["rival"].ID), "%lab": fmt.Sprint(w.orgs["operators"].ID), "%vendor": fmt.Sprint(w.orgs["vendor"].ID), "%city": fmt.Sprint(w.orgs["city"].ID), "%n": fmt.Sprint(n),
	}
	sub := func(s string) string {
		for k, v := range repl {
			s = replaceAll(s, k, v)
		}
		return s
	}
	path = sub(path)
	var form url.Values
	if rt.form != nil {
		form = url.Values{}
		for k, vs := range rt.form {
			for _, v := range vs {
				form.Add(k, sub(v))
			}
		}
	}
	if rt.method == "POST" && form == nil {
		form = url.Values{}
	}
	return path, form
}

func replaceAll(s, old, new string) string {
	for {
		i := indexOf(s, old)
		if i < 0 {
			return s
		}
		s = s[:i] + new + s[i+len(old):]
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestAPIAuthorisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		tokens := map[string]string{"": ""}
		for _, name := range everyone {
			tokens[name] = w.token(name)
		}
		for _, name := range append([]string{""}, everyone...) {
			p := w.purchase("API " + name)
			check := func(method, path, body string, allowed []string, ok int) {
				t.Helper()
				want := 403
				switch {
				case name == "":
					want = 401
				case slices.Contains(allowed, name):
					want = ok
				case path != "/api/v1/purchases" && !slices.Contains(seers, name):
					want = 404
				}
				got, resp := w.api(tokens[name], method, path, body)
				if got != want {
					t.Errorf("%s %s as %q: %d, want %d: %.200s", method, path, name, got, want, resp)
				}
			}
			id := fmt.Sprintf("/api/v1/purchases/%d", p.ID)
			check("GET", id, "", seers, 200)
			check("PATCH", id, `{"need": "updated", "version": 1}`, editors, 200)
			check("POST", id+"/transition", `{"to": "cancelled", "reason": "test"}`, editors, 200)
			check("POST", "/api/v1/purchases", `{"title": "From the API", "sector": "health"}`, creators, 201)
			check("GET", "/api/v1/purchases", "", everyone, 200)
		}
	})
}

var _ = model.RoleAdmin
