package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

var tokenRE = regexp.MustCompile(`<code class="wrap-any">(br_[A-Za-z0-9_-]+)</code>`)

// newToken creates a personal token on the account page, as a person would.
func (w *world) newToken(who string, form url.Values) string {
	w.t.Helper()
	s, page, _ := w.do(who, "POST", "/account/tokens", form)
	m := tokenRE.FindStringSubmatch(page)
	if s != 201 || m == nil {
		w.t.Fatalf("creating a token with %v: %d %.300s", form, s, page)
	}
	return m[1]
}

// A token reads only, or reads and writes (never more than its owner);
// it expires after the time chosen; the account page shows each token's
// access, expiry and when it was last used.
func TestTokenScopesAndExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, clk := clockedWorld(t, db)
		p := w.purchase("Reachable by the API")
		read := w.newToken("city_officer", url.Values{"name": {"dashboard"}, "scope": {"read"}, "expires": {"30"}})
		write := w.newToken("city_officer", url.Values{"name": {"sync"}, "scope": {"write"}, "expires": {"365"}})
		id := fmt.Sprintf("/api/v1/purchases/%d", p.ID)

		if s, body := w.api(read, "GET", id, ""); s != 200 {
			t.Fatalf("read token reading: %d %s", s, body)
		}
		for _, c := range []struct{ method, path, body string }{
			{"PATCH", id, `{"need": "changed by a read token", "version": 1}`},
			{"POST", "/api/v1/purchases", `{"title": "By a read token", "sector": "health"}`},
			{"POST", id + "/transition", `{"to": "cancelled", "reason": "read token"}`},
		} {
			if s, body := w.api(read, c.method, c.path, c.body); s != 403 || !strings.Contains(body, "read") {
				t.Errorf("read token: %s %s answered %d %s", c.method, c.path, s, body)
			}
		}
		if s, body := w.api(write, "PATCH", id, `{"need": "changed by a write token", "version": 1}`); s != 200 {
			t.Fatalf("write token writing: %d %s", s, body)
		}

		_, page, _ := w.do("city_officer", "GET", "/account", nil)
		for _, want := range []string{"Read only", "Read and write", "Expires", "2026-04-01", "2027-03-02"} {
			if !strings.Contains(page, want) {
				t.Errorf("account page does not show %q", want)
			}
		}
		if !strings.Contains(page, "2026-03-02") { // last used today, by the clock
			t.Error("account page does not show when a token was last used")
		}

		clk.add(31 * 24 * time.Hour)
		delete(w.cookies, "city_officer") // the session ended long ago
		if s, body := w.api(read, "GET", id, ""); s != 401 || !strings.Contains(body, "expired") {
			t.Errorf("read token after 31 days: %d %s", s, body)
		}
		if s, _ := w.api(write, "GET", id, ""); s != 200 {
			t.Errorf("write token (a year) after 31 days: %d", s)
		}
		_, page, _ = w.do("city_officer", "GET", "/account", nil)
		if !strings.Contains(page, "Expired") {
			t.Error("account page does not mark the expired token")
		}
		// Choices outside the offered ones are refused on the form.
		for _, bad := range []url.Values{
			{"name": {"x"}, "scope": {"admin"}, "expires": {"30"}},
			{"name": {"x"}, "scope": {"read"}, "expires": {"100000"}},
			{"name": {"x"}, "scope": {"read"}, "expires": {"0"}},
		} {
			if s, _, _ := w.do("city_officer", "POST", "/account/tokens", bad); s != 422 {
				t.Errorf("token with %v: %d, want 422", bad, s)
			}
		}
	})
}
