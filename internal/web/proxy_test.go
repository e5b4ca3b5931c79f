package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// loopbackProxy trusts the test server's own side of the connection, as if
// a reverse proxy on the same machine forwarded every request.
func loopbackProxy(header string) func(*web.Config) {
	return func(c *web.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
		c.ForwardedHeader = header
	}
}

// send makes an anonymous request carrying extra headers and returns the
// status, the page and the headers.
func (w *world) send(method, path string, form url.Values, headers map[string]string) (int, string, http.Header) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// limitedAfter sends the same kind of request as one visitor until it is
// refused with 429, and returns how many went through (or -1).
func limitedAfter(w *world, max int, send func(i int) int) int {
	w.t.Helper()
	for i := 0; i < max; i++ {
		if s := send(i); s == http.StatusTooManyRequests {
			return i
		} else if s >= 500 {
			w.t.Fatalf("request %d: %d", i, s)
		}
	}
	return -1
}

// Behind a trusted reverse proxy every limiter counts the visitor, not the
// proxy: one visitor guessing receipt codes, filing complaints or failing
// to sign in is slowed down alone, and the next visitor is not. A visitor
// cannot pose as another by writing a forwarding header of their own.
func TestLimitsCountVisitorsBehindTrustedProxy(t *testing.T) {
	for _, mode := range []struct {
		header string
		as     func(ip string) map[string]string
	}{
		{"X-Forwarded-For", func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }},
		{"Forwarded", func(ip string) map[string]string {
			if strings.Contains(ip, ":") {
				ip = `"[` + ip + `]"`
			}
			return map[string]string{"Forwarded": "for=" + ip + ";proto=https"}
		}},
	} {
		t.Run(mode.header, func(t *testing.T) {
			w := newWorldWith(t, storetest.Open(t, store.SQLite), loopbackProxy(mode.header))
			a, b, c := mode.as("203.0.113.5"), mode.as("203.0.113.6"), mode.as("2001:db8::7")

			guess := func(h map[string]string) func(int) int {
				return func(i int) int {
					s, _, _ := w.send("POST", "/complaints/follow", url.Values{"code": {fmt.Sprintf("%024d", i)}}, h)
					return s
				}
			}
			if n := limitedAfter(w, 30, guess(a)); n < 1 {
				t.Fatalf("visitor A's code guesses: limited after %d", n)
			}
			if s := guess(b)(99); s != 404 {
				t.Fatalf("visitor B's first code guess: %d, want 404 (B is not A)", s)
			}
			if s := guess(c)(98); s != 404 {
				t.Fatalf("visitor C (IPv6) first code guess: %d, want 404", s)
			}
			// A forging a header that names B: the proxy appends the address
			// it saw (A), and that right-most untrusted one is believed.
			forged := map[string]string{}
			if mode.header == "X-Forwarded-For" {
				forged["X-Forwarded-For"] = "203.0.113.6, 203.0.113.5"
			} else {
				forged["Forwarded"] = "for=203.0.113.6, for=203.0.113.5"
			}
			if s := guess(forged)(97); s != 429 {
				t.Fatalf("visitor A naming B in its own header: %d, want 429", s)
			}

			complain := func(h map[string]string) func(int) int {
				return func(int) int {
					s, _, _ := w.send("POST", "/complaints/new", url.Values{"body_org": {fmt.Sprint(w.orgs["city"].ID)}, "complaint": {"Slow service"}, "identify": {"no"}}, h)
					return s
				}
			}
			if n := limitedAfter(w, 10, complain(a)); n < 1 {
				t.Fatalf("visitor A's complaints: limited after %d", n)
			}
			if s := complain(b)(0); s != 303 {
				t.Fatalf("visitor B's complaint after A was limited: %d, want 303", s)
			}

			signin := func(h map[string]string) func(int) int {
				return func(i int) int {
					s, _, _ := w.send("POST", "/signin", url.Values{"email": {fmt.Sprintf("nobody%d@test.example", i)}, "password": {"wrong password here"}}, h)
					return s
				}
			}
			if n := limitedAfter(w, 60, signin(a)); n < 1 {
				t.Fatalf("visitor A's sign-ins: limited after %d", n)
			}
			if s, _, _ := w.send("POST", "/signin", url.Values{"email": {"city_officer@test.example"}, "password": {password}}, b); s != 303 {
				t.Fatalf("visitor B signing in after A was limited: %d, want 303", s)
			}
		})
	}
}

// Without a trusted proxy, forwarding headers are not believed: a visitor
// who writes a new X-Forwarded-For on each request is still one visitor.
func TestForwardingHeadersIgnoredByDefault(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	n := limitedAfter(w, 30, func(i int) int {
		s, _, _ := w.send("POST", "/complaints/follow", url.Values{"code": {fmt.Sprintf("%024d", i)}},
			map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i), "Forwarded": fmt.Sprintf("for=198.51.100.%d", i)})
		return s
	})
	if n < 1 {
		t.Fatalf("changing forwarding headers escaped the limit (limited after %d)", n)
	}
}

// Strict-Transport-Security is sent when the request came over TLS: to the
// binary itself, or to a trusted proxy that says so. A header from anyone
// else is not believed.
func TestHSTS(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	hsts := func(h http.Header) bool { return strings.HasPrefix(h.Get("Strict-Transport-Security"), "max-age=") }

	plain := newWorld(t, db)
	if _, _, h := plain.send("GET", "/register", nil, map[string]string{"X-Forwarded-Proto": "https"}); hsts(h) {
		t.Error("HSTS sent on a forged X-Forwarded-Proto without a trusted proxy")
	}
	if _, _, h := plain.send("GET", "/register", nil, nil); hsts(h) {
		t.Error("HSTS sent over plain HTTP")
	}

	behind := newWorldWith(t, storetest.Open(t, store.SQLite), loopbackProxy("X-Forwarded-For"))
	if _, _, h := behind.send("GET", "/register", nil, map[string]string{"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}); !hsts(h) {
		t.Error("no HSTS although a trusted proxy says the request came over TLS")
	}
	if _, _, h := behind.send("GET", "/register", nil, map[string]string{"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "http"}); hsts(h) {
		t.Error("HSTS although the trusted proxy says plain HTTP")
	}
	fwd := newWorldWith(t, storetest.Open(t, store.SQLite), loopbackProxy("Forwarded"))
	if _, _, h := fwd.send("GET", "/register", nil, map[string]string{"Forwarded": "for=203.0.113.5;proto=https"}); !hsts(h) {
		t.Error("no HSTS although a trusted proxy's Forwarded says proto=https")
	}
}
