package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/auth"
	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

var ctx = context.Background()

// cheap keeps argon2id fast in tests; production uses auth.DefaultParams.
var cheap = auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}

const password = "a long enough test password"

// world is a running server on loopback with organisations of every kind
// and a person in every role.
type world struct {
	t       *testing.T
	db      *store.DB
	srv     *httptest.Server
	app     *web.Server
	orgs    map[string]*model.Organisation
	users   map[string]*model.User
	cookies map[string]*http.Cookie
}

// who lists the people of the world by a short name.
var who = []struct {
	name, org string
	role      model.Role
	site      bool
}{
	{"city_admin", "city", model.RoleAdmin, false},
	{"city_officer", "city", model.RoleOfficer, false},
	{"city_assessor", "city", model.RoleAssessor, false},
	{"city_approver", "city", model.RoleApprover, false},
	{"city_viewer", "city", model.RoleViewer, false},
	{"city_handler", "city", model.RoleComplaints, false},
	{"town_officer", "town", model.RoleOfficer, false},
	{"nhri_oversight", "nhri", model.RoleOversight, false},
	{"nhri_viewer", "nhri", model.RoleViewer, false},
	{"dpa_oversight", "dpa", model.RoleOversight, false},
	{"vendor_supplier", "vendor", model.RoleSupplier, false},
	{"rival_supplier", "rival", model.RoleSupplier, false},
	{"cso_viewer", "cso", model.RoleViewer, false},
	{"site_admin", "operators", model.RoleAdmin, true},
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	return newWorldWith(t, db, nil)
}

// newWorldWith builds the world with a server whose settings configure
// may change (trusted proxies, for instance).
func newWorldWith(t *testing.T, db *store.DB, configure func(*web.Config)) *world {
	t.Helper()
	w := &world{t: t, db: db, orgs: map[string]*model.Organisation{}, users: map[string]*model.User{}, cookies: map[string]*http.Cookie{}}
	for slug, kind := range map[string]model.OrgKind{
		"city": model.OrgPublicBody, "town": model.OrgPublicBody, "nhri": model.OrgOversight, "dpa": model.OrgOversight,
		"vendor": model.OrgSupplier, "rival": model.OrgSupplier, "cso": model.OrgCivilSociety, "operators": model.OrgCivilSociety,
	} {
		w.orgs[slug] = storetest.Org(t, db, slug, kind)
	}
	if err := db.SetRemit(ctx, store.System, w.orgs["nhri"].ID, []int64{w.orgs["city"].ID}); err != nil {
		t.Fatal(err)
	}
	hash, _ := cheap.Hash(password)
	for _, p := range who {
		u := &model.User{OrgID: w.orgs[p.org].ID, Email: p.name + "@test.example", Name: p.name, Role: p.role, SiteAdmin: p.site}
		if err := db.CreateUser(ctx, store.System, u, hash); err != nil {
			t.Fatal(err)
		}
		u.Org = w.orgs[p.org]
		w.users[p.name] = u
	}
	key, _ := grievance.ParseKey(grievance.NewKey())
	cfg := web.Config{DB: db, Hasher: cheap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ComplaintKey: key}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.app = srv
	w.srv = httptest.NewServer(srv)
	t.Cleanup(w.srv.Close)
	return w
}

// purchase makes a complete city purchase in planning with the vendor invited.
func (w *world) purchase(title string) *model.Purchase {
	w.t.Helper()
	off := w.users["city_officer"]
	p := &model.Purchase{OrgID: off.OrgID, Title: title, Sector: "social_protection", Need: "n", Purpose: "p",
		LegalBasis: "l", AffectedPeople: "a", LeadUserID: off.ID}
	if err := w.db.CreatePurchase(ctx, store.ActorOf(off), p); err != nil {
		w.t.Fatal(err)
	}
	if err := w.db.InviteSupplier(ctx, store.ActorOf(off), p, w.orgs["vendor"].ID); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// client returns an HTTP client that does not follow redirects.
func client() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn signs a person in through the form and keeps the session cookie.
func (w *world) signIn(name string) *http.Cookie {
	w.t.Helper()
	if c, ok := w.cookies[name]; ok {
		return c
	}
	resp, err := client().PostForm(w.srv.URL+"/signin", url.Values{"email": {name + "@test.example"}, "password": {password}})
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "buyright_session" {
			w.cookies[name] = c
			return c
		}
	}
	w.t.Fatalf("sign-in of %s failed: %s", name, resp.Status)
	return nil
}

// do sends a request as a person ("" for nobody) and returns status and body.
func (w *world) do(name, method, path string, form url.Values) (int, string, http.Header) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if name != "" {
		req.AddCookie(w.signIn(name))
	}
	resp, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// api sends a JSON request with a personal token.
func (w *world) api(token, method, path, body string) (int, string) {
	w.t.Helper()
	req, _ := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// token creates a personal API token for a person directly in the store.
func (w *world) token(name string) string {
	w.t.Helper()
	secret := "br_" + auth.NewSecret()
	if _, err := w.db.CreateToken(ctx, store.ActorOf(w.users[name]), w.users[name], "test", auth.HashSecret(secret), store.TokenWrite, 90); err != nil {
		w.t.Fatal(err)
	}
	return secret
}
