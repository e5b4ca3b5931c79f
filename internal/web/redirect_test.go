package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// browserResolve follows a Location header the way a browser's URL parser
// does for http(s): tabs and newlines anywhere are dropped, leading and
// trailing spaces and controls trimmed, and a backslash counts as a slash.
func browserResolve(base *url.URL, loc string) (*url.URL, error) {
	loc = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		if r == '\\' {
			return '/'
		}
		return r
	}, loc)
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	return base.Parse(loc)
}

// postRaw posts a form and returns the response as sent, without letting
// the client parse a Location header it would refuse.
func postRaw(t *testing.T, target string, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// hostileNext are return addresses that try to leave the site after
// signing in; the first two are the ones the outside probe reported.
var hostileNext = []string{
	"/\t/evil.example",
	"/x/../\\evil.example",
	"//evil.example",
	"/\\evil.example",
	"/\\/evil.example",
	"/ /evil.example",
	"/\n/evil.example",
	"/%2F/evil.example",
	"/%5Cevil.example",
	"/x/..//evil.example",
	"/./\\evil.example",
	"https://evil.example/",
	"http:evil.example",
	"/\x00/evil.example",
	"\t//evil.example",
	"/..\\evil.example",
	"/%09/evil.example",
}

// After signing in, and after choosing a language, a person is sent back
// only to a page of this site, whatever the next= parameter says.
func TestSignInRedirectStaysOnSite(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	base, _ := url.Parse(w.srv.URL + "/signin")
	check := func(what, next, loc string) {
		t.Helper()
		got, err := browserResolve(base, loc)
		if err != nil || got.Host != base.Host || got.Scheme != base.Scheme {
			t.Errorf("%s with next=%q: Location %q leads to %v", what, next, loc, got)
		}
	}
	for _, next := range hostileNext {
		resp := postRaw(t, w.srv.URL+"/signin", url.Values{"email": {"city_officer@test.example"}, "password": {password}, "next": {next}})
		if resp.StatusCode != 303 {
			t.Fatalf("sign-in with next=%q: %s", next, resp.Status)
		}
		check("sign-in", next, resp.Header.Get("Location"))

		resp = postRaw(t, w.srv.URL+"/lang", url.Values{"lang": {"pt"}, "next": {next}})
		check("language", next, resp.Header.Get("Location"))
	}
	// A clean local address, query included, still comes back as it was.
	resp := postRaw(t, w.srv.URL+"/signin", url.Values{"email": {"city_officer@test.example"}, "password": {password}, "next": {"/purchases?stage=planning&q=a+b"}})
	if loc := resp.Header.Get("Location"); loc != "/purchases?stage=planning&q=a+b" {
		t.Fatalf("a clean next came back as %q", loc)
	}
}
