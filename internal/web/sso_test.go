package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"buyright/internal/model"
	"buyright/internal/sso"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// syncBuf is a log sink several request goroutines write to.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// idp is a real OpenID Connect provider on loopback (mockoidc), with a
// switch that breaks the ID token's signature on its way out, and a record
// of every token and code it handed out, so tests can check none reaches
// the server's log.
type idp struct {
	*mockoidc.MockOIDC
	breakSignature atomic.Bool
	mu             sync.Mutex
	secrets        []string
}

func startIDP(t *testing.T) *idp {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &idp{MockOIDC: m}
	m.AddMiddleware(p.tokens)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

func (p *idp) tokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != mockoidc.TokenEndpoint {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var m map[string]any
		if rec.Code == 200 && json.Unmarshal(body, &m) == nil {
			p.mu.Lock()
			for _, k := range []string{"id_token", "access_token", "refresh_token"} {
				if s, ok := m[k].(string); ok {
					p.secrets = append(p.secrets, s, s[strings.LastIndex(s, ".")+1:])
				}
			}
			p.secrets = append(p.secrets, r.PostFormValue("code"), r.PostFormValue("code_verifier"))
			p.mu.Unlock()
			if s, ok := m["id_token"].(string); ok && p.breakSignature.Load() {
				parts := strings.Split(s, ".")
				sig := []byte(parts[2])
				i := len(sig) / 2
				if sig[i] == 'A' {
					sig[i] = 'B'
				} else {
					sig[i] = 'A'
				}
				parts[2] = string(sig)
				m["id_token"] = strings.Join(parts, ".")
				body, _ = json.Marshal(m)
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

// person is someone the provider signs in, with a hook that changes the
// ID token's claims to make it wrong in one way.
type person struct {
	mockoidc.MockUser
	tweak func(*mockoidc.IDTokenClaims)
}

func (u *person) Claims(scope []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.tweak != nil {
		u.tweak(c)
	}
	return u.MockUser.Claims(scope, c)
}

func newPerson(sub, email string) *person {
	return &person{MockUser: mockoidc.MockUser{Subject: sub, Email: email, EmailVerified: true, PreferredUsername: "Person " + sub}}
}

// allowLoopback lets the server reach the provider the tests start on
// loopback, as an operator allows a provider inside their network.
var allowLoopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// An organisation's administrator cannot make the server call addresses
// inside its network by naming one as the issuer: without the operator's
// allowance, sign-in is refused before anything is fetched from there.
func TestSSOIssuerInsideTheNetworkRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		logs := &syncBuf{}
		w := newWorldWith(t, db, func(cfg *web.Config) {
			loopbackProxy("X-Forwarded-For")(cfg)
			cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
		})
		p := startIDP(t)
		if err := db.SaveSSOProvider(ctx, store.ActorOf(w.users["city_admin"]), &sso.Provider{OrgID: w.orgs["city"].ID, Label: "City ID",
			Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: p.ClientSecret, Domains: []string{"city.example"}, Role: model.RoleAssessor}); err != nil {
			t.Fatal(err)
		}
		sw := &ssoWorld{world: w, idp: p, log: logs}
		s, body, h := sw.fresh().post("/signin/sso", url.Values{"sso_email": {"eve@city.example"}})
		if s != http.StatusBadGateway || h.Get("Location") != "" {
			t.Fatalf("sent to a provider inside the network: %d %s %.300s", s, h.Get("Location"), body)
		}
		if l := logs.String(); !strings.Contains(l, "provider unavailable") || !strings.Contains(l, "not a public one") || !strings.Contains(l, "--sso-allow-networks") {
			t.Fatalf("log: %s", l)
		}
	})
}

// ssoWorld is a world whose city council signs its people in through the
// provider, with the server's log kept for inspection.
type ssoWorld struct {
	*world
	idp *idp
	log *syncBuf
	n   int
}

func newSSOWorld(t *testing.T, db *store.DB) *ssoWorld {
	logs := &syncBuf{}
	w := newWorldWith(t, db, func(cfg *web.Config) {
		loopbackProxy("X-Forwarded-For")(cfg)
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
		cfg.SSOAllowNetworks = allowLoopback
	})
	p := startIDP(t)
	if err := db.SaveSSOProvider(ctx, store.ActorOf(w.users["city_admin"]), &sso.Provider{OrgID: w.orgs["city"].ID, Label: "City ID",
		Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: p.ClientSecret, Domains: []string{"city.example"}, Role: model.RoleAssessor}); err != nil {
		t.Fatal(err)
	}
	return &ssoWorld{world: w, idp: p, log: logs}
}

func (b *browser) get(u string) (int, string, http.Header) {
	b.w.t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("X-Forwarded-For", b.addr)
	resp, err := b.c.Do(req)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// fresh is a new browser at an address of its own.
func (w *ssoWorld) fresh() *browser {
	w.n++
	return w.browser(fmt.Sprintf("198.51.100.%d", w.n))
}

// toCallback walks a browser from the sign-in page's e-mail form through
// the provider, and returns the callback URL the provider sent it to.
func (w *ssoWorld) toCallback(b *browser, email string, u mockoidc.User) string {
	w.t.Helper()
	w.idp.QueueUser(u)
	s, body, h := b.post("/signin/sso", url.Values{"sso_email": {email}})
	if s != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), w.idp.AuthorizationEndpoint()) {
		w.t.Fatalf("start: %d %s %.300s", s, h.Get("Location"), body)
	}
	s, body, h = b.get(h.Get("Location"))
	cb := h.Get("Location")
	if s != http.StatusFound || !strings.HasPrefix(cb, w.srv.URL+"/signin/sso/callback?") {
		w.t.Fatalf("provider: %d %s %.300s", s, cb, body)
	}
	return cb
}

func (w *ssoWorld) count(table string) int {
	w.t.Helper()
	var n int
	if err := w.db.QueryRowForTest("SELECT COUNT(*) FROM "+table, &n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func sessionSet(h http.Header) bool {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "buyright_session" && c.Value != "" {
			return true
		}
	}
	return false
}

// A person of the city signs in through the city's provider: the first
// time an account is made in the role the administrator chose, with an
// audit entry; the second time, from another browser, the same account.
// Each way a sign-in can be wrong is refused, logged with its reason and
// no token, and leaves no account, link or session behind.
func TestSSOSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSSOWorld(t, db)
		users := w.count("users")

		b := w.fresh()
		s, body, h := b.get(w.toCallback(b, "ana@city.example", newPerson("sub-ana", "Ana@City.example")))
		if s != http.StatusSeeOther || h.Get("Location") != "/dashboard" || !sessionSet(h) {
			t.Fatalf("good sign-in: %d %s %.500s\n%s", s, h.Get("Location"), body, w.log.String())
		}
		if s, body, _ := b.get(w.srv.URL + "/dashboard"); s != 200 || !strings.Contains(body, "ana@city.example") {
			t.Fatalf("dashboard after sign-in: %d %.300s", s, body)
		}
		u, _, err := db.UserForSignIn(ctx, "ana@city.example")
		if err != nil || u.OrgID != w.orgs["city"].ID || u.Role != model.RoleAssessor || u.Name != "Person sub-ana" {
			t.Fatalf("account made: %+v %v", u, err)
		}
		if n := w.count("users"); n != users+1 {
			t.Fatalf("users after first sign-in: %d, want %d", n, users+1)
		}
		var detail string
		if err := db.QueryRowForTest(fmt.Sprintf("SELECT detail FROM audit_log WHERE object_type = 'user' AND object_id = %d AND action = 'create'", u.ID), &detail); err != nil ||
			!strings.Contains(detail, `"via":"sso"`) || !strings.Contains(detail, `"role":"assessor"`) {
			t.Fatalf("audit of the account: %q %v", detail, err)
		}
		// A password cannot open an account made by sign-on.
		if s, _, _ := w.fresh().signIn("ana@city.example", ""); s != http.StatusUnauthorized {
			t.Fatalf("empty password on a sign-on account: %d", s)
		}

		b2 := w.fresh()
		if s, _, h := b2.get(w.toCallback(b2, "ana@city.example", newPerson("sub-ana", "ana@city.example"))); s != http.StatusSeeOther || !sessionSet(h) {
			t.Fatalf("second sign-in: %d", s)
		}
		if n := w.count("users"); n != users+1 {
			t.Fatalf("second sign-in made another account: %d users", n)
		}

		// The provider's subject, not the address, finds the account: a
		// changed address still signs in to it.
		b3 := w.fresh()
		if s, _, _ := b3.get(w.toCallback(b3, "ana@city.example", newPerson("sub-ana", "ana.silva@city.example"))); s != http.StatusSeeOther || w.count("users") != users+1 {
			t.Fatalf("sign-in after a change of address: %d, %d users", s, w.count("users"))
		}
		// An account the city made by hand with the same address is linked.
		cleo := storetest.User(t, db, w.orgs["city"], "cleo@city.example", model.RoleApprover)
		b4 := w.fresh()
		if s, _, _ := b4.get(w.toCallback(b4, "cleo@city.example", newPerson("sub-cleo", "cleo@city.example"))); s != http.StatusSeeOther {
			t.Fatalf("linking an existing account: %d", s)
		}
		if n := w.count("users"); n != users+2 {
			t.Fatalf("linking made an account: %d users", n)
		}
		if err := db.QueryRowForTest(fmt.Sprintf("SELECT detail FROM audit_log WHERE object_type = 'user' AND object_id = %d AND action = 'sso_link'", cleo.ID), &detail); err != nil {
			t.Fatalf("link not audited: %v", err)
		}

		// A provider that puts only the subject in the ID token: the e-mail
		// address comes from its user info endpoint.
		b5 := w.fresh()
		if s, body, _ := b5.get(w.toCallback(b5, "dora@city.example", &subjectOnly{person: newPerson("sub-dora", "dora@city.example")})); s != http.StatusSeeOther {
			t.Fatalf("sign-in with the address in the user info only: %d %.300s\n%s", s, body, w.log.String())
		}
		if u, _, err := db.UserForSignIn(ctx, "dora@city.example"); err != nil || u.OrgID != w.orgs["city"].ID {
			t.Fatalf("account from the user info: %+v %v", u, err)
		}

		replay := w.toCallback(w.fresh(), "ana@city.example", newPerson("sub-ana", "ana@city.example"))
		replayer := w.fresh()
		// The replayer has the state cookie too: the database still refuses.
		st, _ := url.Parse(replay)
		first := w.fresh()
		first.c.Jar.SetCookies(st, []*http.Cookie{{Name: "buyright_sso", Value: st.Query().Get("state"), Path: "/signin/sso"}})
		if s, _, _ := first.get(replay); s != http.StatusSeeOther {
			t.Fatalf("first use of a state: %d\n%s", s, w.log.String())
		}

		past := func(c *mockoidc.IDTokenClaims) {
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-2 * time.Hour))
			c.NotBefore = c.IssuedAt
		}
		// The town has an account under a city address: the city's provider
		// cannot take it over.
		storetest.User(t, db, w.orgs["town"], "tom@city.example", model.RoleOfficer)
		cases := []struct {
			name, reason, detail string
			run                  func() (int, string, http.Header)
		}{
			{"wrong issuer", "token", "different provider", func() (int, string, http.Header) {
				p := newPerson("sub-eve", "eve@city.example")
				p.tweak = func(c *mockoidc.IDTokenClaims) { c.Issuer = "https://impostor.example/oidc" }
				b := w.fresh()
				return b.get(w.toCallback(b, "eve@city.example", p))
			}},
			{"expired token", "token", "expired", func() (int, string, http.Header) {
				p := newPerson("sub-eve", "eve@city.example")
				p.tweak = past
				b := w.fresh()
				return b.get(w.toCallback(b, "eve@city.example", p))
			}},
			{"wrong audience", "token", "audience", func() (int, string, http.Header) {
				p := newPerson("sub-eve", "eve@city.example")
				p.tweak = func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"another-application"} }
				b := w.fresh()
				return b.get(w.toCallback(b, "eve@city.example", p))
			}},
			{"bad signature", "token", "signature", func() (int, string, http.Header) {
				w.idp.breakSignature.Store(true)
				defer w.idp.breakSignature.Store(false)
				b := w.fresh()
				return b.get(w.toCallback(b, "eve@city.example", newPerson("sub-eve", "eve@city.example")))
			}},
			{"bad nonce", "nonce", "nonce", func() (int, string, http.Header) {
				p := newPerson("sub-eve", "eve@city.example")
				p.tweak = func(c *mockoidc.IDTokenClaims) { c.Nonce = "a-nonce-from-another-sign-in" }
				b := w.fresh()
				return b.get(w.toCallback(b, "eve@city.example", p))
			}},
			{"e-mail outside the allowed domains", "domain", "elsewhere.example", func() (int, string, http.Header) {
				b := w.fresh()
				// The provider knows the person under another address.
				return b.get(w.toCallback(b, "eve@city.example", newPerson("sub-eve", "eve@elsewhere.example")))
			}},
			{"unverified e-mail", "email", "not verified", func() (int, string, http.Header) {
				p := newPerson("sub-eve", "eve@city.example")
				p.EmailVerified = false
				p.tweak = func(c *mockoidc.IDTokenClaims) {}
				b := w.fresh()
				cb := w.toCallback(b, "eve@city.example", &unverified{p})
				return b.get(cb)
			}},
			{"replayed state", "state", "already used", func() (int, string, http.Header) {
				replayer.c.Jar.SetCookies(st, []*http.Cookie{{Name: "buyright_sso", Value: st.Query().Get("state"), Path: "/signin/sso"}})
				return replayer.get(replay)
			}},
			{"state begun in another browser", "state", "this browser", func() (int, string, http.Header) {
				cb := w.toCallback(w.fresh(), "eve@city.example", newPerson("sub-eve", "eve@city.example"))
				return w.fresh().get(cb)
			}},
			{"user info about another subject", "userinfo", "another subject", func() (int, string, http.Header) {
				b := w.fresh()
				return b.get(w.toCallback(b, "eve@city.example", &subjectOnly{person: newPerson("sub-eve", "eve@city.example"), infoSubject: "sub-mallory"}))
			}},
			{"address of another organisation's account", "email", "another organisation", func() (int, string, http.Header) {
				b := w.fresh()
				return b.get(w.toCallback(b, "tom@city.example", newPerson("sub-tom", "tom@city.example")))
			}},
			{"client secret sealed with another key", "provider", "cannot be read with this server's key", func() (int, string, http.Header) {
				// The installation key changed (no complaints kept the old
				// one): the secret stored under the old key does not open.
				if err := db.SetSecretKey(bytes.Repeat([]byte{9}, 32)); err != nil {
					t.Fatal(err)
				}
				defer func() {
					if err := db.SaveSSOProvider(ctx, store.System, &sso.Provider{OrgID: w.orgs["city"].ID, Label: "City ID", Issuer: w.idp.Issuer(),
						ClientID: w.idp.ClientID, ClientSecret: w.idp.ClientSecret, Domains: []string{"city.example"}, Role: model.RoleAssessor}); err != nil {
						t.Fatal(err)
					}
				}()
				b := w.fresh()
				return b.get(w.toCallback(b, "eve@city.example", newPerson("sub-eve", "eve@city.example")))
			}},
		}
		for _, c := range cases {
			users, sessions, links := w.count("users"), w.count("sessions"), w.count("sso_identities")
			before := len(w.log.String())
			s, body, h := c.run()
			if s != http.StatusForbidden || !strings.Contains(body, "did not work, and nothing was changed") || sessionSet(h) {
				t.Errorf("%s: %d session=%v %.300s", c.name, s, sessionSet(h), body)
				continue
			}
			if u, s, l := w.count("users"), w.count("sessions"), w.count("sso_identities"); u != users || s != sessions || l != links {
				t.Errorf("%s: created something: users %d->%d sessions %d->%d links %d->%d", c.name, users, u, sessions, s, links, l)
			}
			logged := w.log.String()[before:]
			if !strings.Contains(logged, "single sign-on refused") || !strings.Contains(logged, "reason="+c.reason) || !strings.Contains(logged, c.detail) {
				t.Errorf("%s: log does not give the reason %q (%q): %s", c.name, c.reason, c.detail, logged)
			}
		}
		// No token, code, verifier or client secret in anything logged.
		logged := w.log.String()
		w.idp.mu.Lock()
		secrets := append([]string{w.idp.ClientSecret}, w.idp.secrets...)
		w.idp.mu.Unlock()
		for _, s := range secrets {
			if len(s) >= 8 && strings.Contains(logged, s) {
				t.Fatalf("the log holds a token or secret %.20s...:\n%s", s, logged)
			}
		}
	})
}

// subjectOnly is a person whose provider puts only the subject in the ID
// token and the rest in its user info (there about infoSubject, when set).
type subjectOnly struct {
	*person
	infoSubject string
}

func (u *subjectOnly) Claims(scope []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return jwt.MapClaims{"iss": c.Issuer, "sub": u.Subject, "aud": []string(c.Audience), "exp": c.ExpiresAt.Unix(), "iat": c.IssuedAt.Unix(), "nonce": c.Nonce}, nil
}

func (u *subjectOnly) Userinfo(scope []string) ([]byte, error) {
	sub := u.Subject
	if u.infoSubject != "" {
		sub = u.infoSubject
	}
	return json.Marshal(map[string]any{"sub": sub, "email": u.Email, "email_verified": true, "name": "Person " + u.Subject})
}

// unverified is a person whose provider says the address is not verified
// (mockoidc leaves a false email_verified out).
type unverified struct{ *person }

func (u *unverified) Claims(scope []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return jwt.MapClaims{"iss": c.Issuer, "sub": u.Subject, "aud": []string(c.Audience), "exp": c.ExpiresAt.Unix(), "iat": c.IssuedAt.Unix(),
		"nonce": c.Nonce, "email": u.Email, "email_verified": false}, nil
}

// The settings page: what the administrator typed comes back with its
// errors, the secret never does (not after saving, not with errors, not in
// the audit log), and a domain or a role that would let one organisation
// take over people it should not is refused.
func TestSSOSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		const secret = "very-secret-client-value-42"
		form := url.Values{"sso_label": {"City ID"}, "issuer": {"https://login.city.example/realms/staff"}, "client_id": {"buyright"},
			"client_secret": {secret}, "email_domains": {"City.example, @staff.city.example"}, "role": {"officer"}, "passwords_off": {"on"}}
		s, body, _ := w.do("city_admin", "POST", "/admin/sso", form)
		if s != http.StatusSeeOther {
			t.Fatalf("save: %d %.500s", s, body)
		}
		s, body, _ = w.do("city_admin", "GET", "/admin/sso", nil)
		if s != 200 || strings.Contains(body, secret) || !strings.Contains(body, "city.example staff.city.example") ||
			!strings.Contains(body, w.srv.URL+"/signin/sso/callback") || !strings.Contains(body, "A secret is stored") {
			t.Fatalf("settings page: %d %.2000s", s, body)
		}
		// Saving again without a secret keeps it; with errors, what was
		// typed comes back but the new secret does not.
		form.Set("client_secret", "")
		form.Set("sso_label", "City staff ID")
		if s, body, _ := w.do("city_admin", "POST", "/admin/sso", form); s != http.StatusSeeOther {
			t.Fatalf("save without secret: %d %.500s", s, body)
		}
		p, err := db.SSOProvider(ctx, w.orgs["city"].ID)
		if err != nil || p.ClientSecret != secret || p.Label != "City staff ID" || !p.PasswordsOff || p.Role != model.RoleOfficer {
			t.Fatalf("stored: %+v %v", p, err)
		}
		bad := url.Values{"sso_label": {"City ID"}, "issuer": {"http://login.city.example/"}, "client_id": {"buyright"},
			"client_secret": {"another-secret-value-77"}, "email_domains": {"city.example"}, "role": {"admin"}, "claim_name": {"groups"}}
		s, body, _ = w.do("city_admin", "POST", "/admin/sso", bad)
		if s != http.StatusUnprocessableEntity || strings.Contains(body, "another-secret-value-77") || !strings.Contains(body, "http://login.city.example/") {
			t.Fatalf("refused form: %d %.500s", s, body)
		}
		for _, field := range []string{`id="e-issuer"`, `id="e-role"`, `id="e-claim_name"`} {
			if !strings.Contains(body, field) {
				t.Errorf("refused form lacks the error %s", field)
			}
		}
		// The town cannot list the city's domain.
		town := url.Values{"sso_label": {"Town ID"}, "issuer": {"https://login.town.example"}, "client_id": {"t"}, "client_secret": {"town-secret"},
			"email_domains": {"town.example city.example"}, "role": {"viewer"}}
		if s, body, _ := w.do("site_admin", "POST", fmt.Sprintf("/admin/sso?org=%d", w.orgs["town"].ID), town); s != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-email_domains"`) {
			t.Fatalf("town taking the city's domain: %d %.500s", s, body)
		}
		rows, err := db.AuditForTest("sso_provider")
		if err != nil || len(rows) != 2 {
			t.Fatalf("audit rows: %v %v", rows, err)
		}
		for _, r := range rows {
			if strings.Contains(r, secret) {
				t.Fatalf("the audit log holds the secret: %s", r)
			}
		}
		if !strings.Contains(rows[0], `"client_secret":"changed"`) || !strings.Contains(rows[1], `"label":{"old":"City ID","new":"City staff ID"}`) {
			t.Fatalf("audit details: %v", rows)
		}
		// Under another installation key the stored secret cannot be read:
		// the page says so and asks for it; saving without it is refused.
		if err := db.SetSecretKey(bytes.Repeat([]byte{9}, 32)); err != nil {
			t.Fatal(err)
		}
		s, body, _ = w.do("city_admin", "GET", "/admin/sso", nil)
		if s != http.StatusOK || !strings.Contains(body, "cannot be read with this server") || strings.Contains(body, "A secret is stored") {
			t.Fatalf("settings page with an unreadable secret: %d %.2000s", s, body)
		}
		if s, body, _ := w.do("city_admin", "POST", "/admin/sso", form); s != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-client_secret"`) {
			t.Fatalf("kept an unreadable secret: %d %.500s", s, body)
		}
		// Removing it is recorded too.
		if s, _, _ := w.do("city_admin", "POST", "/admin/sso/remove", url.Values{}); s != http.StatusSeeOther {
			t.Fatalf("remove: %d", s)
		}
		if rows, _ := db.AuditForTest("sso_provider"); len(rows) != 3 {
			t.Fatalf("removal not audited: %v", rows)
		}
	})
}

// When the city turns passwords off, its people are sent to the provider
// (the right password is needed to learn that); the town's people and the
// site administrators keep signing in with passwords.
func TestSSOPasswordsOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		for _, org := range []string{"city", "operators"} {
			if err := db.SaveSSOProvider(ctx, store.System, &sso.Provider{OrgID: w.orgs[org].ID, Label: org + " ID", Issuer: "https://login." + org + ".example",
				ClientID: "c", ClientSecret: "s", Domains: []string{org + ".example"}, Role: model.RoleViewer, PasswordsOff: true}); err != nil {
				t.Fatal(err)
			}
		}
		c := client()
		post := func(email, pw string) (int, string) {
			resp, err := c.PostForm(w.srv.URL+"/signin", url.Values{"email": {email}, "password": {pw}})
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if s, body := post("city_officer@test.example", password); s != http.StatusForbidden || !strings.Contains(body, "signs its people in with city ID") ||
			!strings.Contains(body, `value="city"`) {
			t.Fatalf("city officer with a password: %d %.800s", s, body)
		}
		if s, body := post("city_officer@test.example", "a wrong password entirely"); s != http.StatusUnauthorized || strings.Contains(body, "signs its people in") {
			t.Fatalf("wrong password: %d", s)
		}
		for _, who := range []string{"town_officer", "site_admin"} {
			if s, _ := post(who+"@test.example", password); s != http.StatusSeeOther {
				t.Fatalf("%s with a password: %d", who, s)
			}
		}
	})
}
