package web

import (
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safeNext accepts only a clean local address to return to (after signing
// in, choosing a language, an error page's way back), so none of them can
// send a person to another site. Browsers drop tabs and newlines inside a
// URL and read a backslash as a slash, and http.Redirect cleans dot
// segments: "/\t/evil.example" and "/x/../\evil.example" both end up as
// "//evil.example", another host. So anything with a control character,
// a space or a backslash is refused, the path is cleaned here, and the
// result must still be a single-slash path with no host.
func safeNext(next string) string {
	const home = "/dashboard"
	if !strings.HasPrefix(next, "/") || len(next) > 2048 {
		return home
	}
	for _, r := range next {
		if r == utf8.RuneError || r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r) {
			return home
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	// The decoded path: %5C and %09 are a backslash and a tab again.
	if strings.ContainsFunc(u.Path, func(r rune) bool { return r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return home
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
		return home
	}
	out := (&url.URL{Path: clean, RawQuery: u.RawQuery}).String()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return home
	}
	return out
}
