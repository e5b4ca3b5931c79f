package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"buyright/internal/access"
	"buyright/internal/auth"
	"buyright/internal/catalog"
	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/screening"
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
	// People holding the Learning Lab's network roles (labRoles below).
	{"lab_lead", "operators", model.RoleViewer, false},
	{"lab_editor", "cso", model.RoleViewer, false},
	{"lab_reviewer", "institute", model.RoleViewer, false},
	{"lab_hublead", "institute", model.RoleViewer, false},
}

// labRoles are the network roles the site administrator gives in every
// world: a network lead, an editor, a reviewer and the electronics hub's lead.
var labRoles = []struct {
	name string
	role access.LabRole
	hub  string
}{
	{"lab_lead", access.LabLead, ""},
	{"lab_editor", access.LabEditor, ""},
	{"lab_reviewer", access.LabReviewer, ""},
	{"lab_hublead", access.LabHubLead, "electronics"},
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
		"institute": model.OrgCivilSociety,
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
	for _, x := range labRoles {
		if _, err := db.AppointLabRole(ctx, store.ActorOf(w.users["site_admin"]), w.users[x.name].Email, x.role, x.hub); err != nil {
			t.Fatal(err)
		}
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
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if dup := duplicateIDs(string(b)); len(dup) > 0 {
			w.t.Errorf("%s %s: ids used more than once: %v", method, path, dup)
		}
	}
	return resp.StatusCode, string(b), resp.Header
}

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)

// duplicateIDs lists the ids an HTML page uses more than once: a label or
// an error link pointing at one of them reaches the wrong field.
func duplicateIDs(page string) []string {
	seen := map[string]int{}
	var dup []string
	for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
		if seen[m[1]]++; seen[m[1]] == 2 {
			dup = append(dup, m[1])
		}
	}
	return dup
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

// screenPlainly answers p's screening as plainly as it can (no to every yes/no
// question, "none" where a choice offers it, else the first option, 0 for
// numbers), adding the questions that answers reveal until none is
// missing, then overlays fixed and saves it as officer would. It returns
// the result.
func (w *world) screenPlainly(p *model.Purchase, fixed map[string]any) screening.Result {
	w.t.Helper()
	set, err := catalog.Load("")
	if err != nil {
		w.t.Fatal(err)
	}
	q := screening.New(set)
	raw := map[string]any{}
	for k, v := range fixed {
		raw[k] = v
	}
	var res screening.Result
	for range 20 {
		a, err := q.Normalize(raw)
		if err != nil {
			w.t.Fatalf("screening answers: %v", err)
		}
		if res = q.Score(a); len(res.Missing) == 0 {
			if err := w.db.SaveScreening(ctx, store.ActorOf(w.users["city_officer"]), p, a, res); err != nil {
				w.t.Fatal(err)
			}
			return res
		}
		for _, id := range res.Missing {
			it, _ := q.Question(id)
			raw[id] = plainAnswer(it)
		}
	}
	w.t.Fatalf("screening never complete: %v", res.Missing)
	return res
}

func plainAnswer(it *catalog.Item) any {
	pick := ""
	for _, o := range it.Options {
		if o.ID == "none" || o.ID == "no" {
			pick = o.ID
		}
	}
	if pick == "" && len(it.Options) > 0 {
		pick = it.Options[0].ID
	}
	switch it.Type {
	case "yes_no":
		return "no"
	case "multiple":
		return []any{pick}
	case "number":
		return 0
	case "text":
		return "plain"
	}
	return pick
}
