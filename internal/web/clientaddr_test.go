package web

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestProxyTrustResolve(t *testing.T) {
	nets, err := ParseNetworks("10.0.0.0/8, 127.0.0.1 ,::1")
	if err != nil {
		t.Fatal(err)
	}
	xff := proxyTrust{nets: nets, header: "X-Forwarded-For"}
	fwd := proxyTrust{nets: nets, header: "Forwarded"}
	none := proxyTrust{header: "X-Forwarded-For"}
	cases := []struct {
		p       proxyTrust
		remote  string
		headers map[string]string
		want    string
		tls     bool
	}{
		{none, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.5"}, "127.0.0.1", false},
		{xff, "198.51.100.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}, "198.51.100.1", false},
		{xff, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}, "203.0.113.5", true},
		{xff, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "1.1.1.1, 203.0.113.5, 10.1.2.3"}, "203.0.113.5", false},
		{xff, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "10.9.9.9, 10.1.2.3"}, "10.9.9.9", false},
		{xff, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "garbage, 10.1.2.3"}, "10.1.2.3", false},
		{xff, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "[2001:db8::1]:443"}, "2001:db8::1", false},
		{xff, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "::ffff:203.0.113.5"}, "203.0.113.5", false},
		{xff, "127.0.0.1:5000", map[string]string{}, "127.0.0.1", false},
		{xff, "127.0.0.1:5000", map[string]string{"Forwarded": "for=203.0.113.9"}, "127.0.0.1", false}, // not the configured header
		{fwd, "127.0.0.1:5000", map[string]string{"Forwarded": `for=198.51.100.2, for="[2001:db8::5]:80";proto=https;by=10.0.0.1`}, "2001:db8::5", true},
		{fwd, "127.0.0.1:5000", map[string]string{"Forwarded": `for=unknown;proto=https`}, "127.0.0.1", false},
		{fwd, "127.0.0.1:5000", map[string]string{"Forwarded": `for="_hidden", for=10.0.0.7`}, "10.0.0.7", false},
		{fwd, "127.0.0.1:5000", map[string]string{"Forwarded": `for="203.0.113.1, for=203.0.113.2`}, "203.0.113.2", false},
		{fwd, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.9"}, "127.0.0.1", false},
	}
	for i, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for k, v := range c.headers {
			r.Header.Set(k, v)
		}
		got, tls := c.p.resolve(r)
		if got.String() != c.want || tls != c.tls {
			t.Errorf("case %d: %v, TLS %v; want %s, TLS %v", i, got, tls, c.want, c.tls)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "example.org", "10.0.0.1/8/8"} {
		if _, err := ParseNetworks(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseNetworks(%q) = %v", bad, err)
		}
	}
}

// FuzzForwardingHeaders: whatever the headers say, the visitor is the
// connecting address (when it is not a trusted proxy) or an address
// written in the header, never something made up, and nothing panics.
func FuzzForwardingHeaders(f *testing.F) {
	f.Add("203.0.113.5, 10.0.0.1", `for="[2001:db8::1]:80";proto=https, for=10.0.0.2`, "https")
	f.Add(",,,", `for=";;,"`, "")
	f.Add("[::1", "for=[", "http,https")
	nets, _ := ParseNetworks("10.0.0.0/8,127.0.0.1")
	f.Fuzz(func(t *testing.T, xffLine, fwdLine, proto string) {
		for _, header := range ProxyHeaders {
			p := proxyTrust{nets: nets, header: header}
			for _, remote := range []string{"127.0.0.1:1", "198.51.100.1:1"} {
				r := httptest.NewRequest("GET", "/", nil)
				r.RemoteAddr = remote
				r.Header["X-Forwarded-For"] = []string{xffLine}
				r.Header["Forwarded"] = []string{fwdLine}
				r.Header["X-Forwarded-Proto"] = []string{proto}
				got, _ := p.resolve(r)
				rem := netip.MustParseAddrPort(remote).Addr()
				if !p.trusted(rem) && got != rem {
					t.Fatalf("an untrusted connection from %v was taken for %v", rem, got)
				}
				hops := parseXFF([]string{xffLine})
				if header == "Forwarded" {
					hops = parseForwarded([]string{fwdLine})
				}
				known := got == rem
				for _, h := range hops {
					known = known || (h.ok && h.addr == got)
				}
				if !known {
					t.Fatalf("%v is neither the connection nor in the header (%q / %q)", got, xffLine, fwdLine)
				}
			}
		}
	})
}
