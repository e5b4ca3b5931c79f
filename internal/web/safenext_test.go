package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNextSameOrigin checks what matters about a return address: the
// address a browser makes of it, after http.Redirect has cleaned it, is on
// this site.
func FuzzSafeNextSameOrigin(f *testing.F) {
	for _, s := range []string{"/dashboard", "/\t/evil.example", "/x/../\\evil.example", "/%2F/evil", "/a?b=c#d", "/.//x", "/x/..//y"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://self.example/signin")
	f.Fuzz(func(t *testing.T, s string) {
		got := safeNext(s)
		// What a browser does with a Location: drop tabs and newlines,
		// trim, read backslashes as slashes.
		loc := strings.Map(func(r rune) rune {
			switch r {
			case '\t', '\n', '\r':
				return -1
			case '\\':
				return '/'
			}
			return r
		}, got)
		loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
		u, err := base.Parse(loc)
		if err != nil || u.Host != "self.example" || u.Scheme != "https" {
			t.Fatalf("safeNext(%q) = %q, which a browser reads as %v", s, got, u)
		}
		if safeNext(got) != got {
			t.Fatalf("safeNext is not stable on its own output: %q -> %q -> %q", s, got, safeNext(got))
		}
	})
}
