package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What arrives in a URL is bounded and cleaned once, before any handler
// reads it, so that every page sees tame values and both databases answer
// alike: PostgreSQL refuses a NUL byte or invalid UTF-8 in text and
// numbers beyond a column's type, where SQLite stores or wraps them. A
// handler that forgets to clean one parameter is then not a way in.

const (
	maxQueryValue = 2048     // bytes per query value; the longest real one is a return address
	maxQueryBytes = 16 << 10 // a longer query string is not a person's
	maxPathBytes  = 2048
	// Whole numbers in a query are kept within PostgreSQL's INTEGER, and
	// so far inside int64 that page × page size cannot overflow.
	maxQueryInt = 1<<31 - 1
)

// cleanQueryValue drops invalid UTF-8, control characters and bidi
// overrides, trims, shortens, and bounds a whole number.
func cleanQueryValue(v string) string {
	v = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(v, "")))
	if len(v) > maxQueryValue {
		v = v[:maxQueryValue]
		for !utf8.ValidString(v) {
			v = v[:len(v)-1]
		}
	}
	if wholeNumber(v) {
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n > maxQueryInt || n < -maxQueryInt {
			if v[0] == '-' {
				return strconv.Itoa(-maxQueryInt)
			}
			return strconv.Itoa(maxQueryInt)
		}
	}
	return v
}

func wholeNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cleanQuery rewrites r's query string with every key and value cleaned;
// pairs that cannot be parsed are dropped, as r.URL.Query would.
func cleanQuery(r *http.Request) {
	raw := r.URL.RawQuery
	if raw == "" {
		return
	}
	vals, err := url.ParseQuery(raw)
	clean := url.Values{}
	changed := err != nil
	for k, vs := range vals {
		ck := cleanQueryValue(k)
		if ck != k {
			changed = true
		}
		if ck == "" {
			continue
		}
		for _, v := range vs {
			cv := cleanQueryValue(v)
			changed = changed || cv != v
			clean[ck] = append(clean[ck], cv)
		}
	}
	if changed || len(raw) > maxQueryBytes {
		enc := clean.Encode()
		if len(enc) > maxQueryBytes {
			enc = ""
		}
		r.URL.RawQuery = enc
	}
}

// badPath reports a path no page has: too long, invalid UTF-8 or control
// characters once decoded.
func badPath(p string) bool {
	return len(p) > maxPathBytes || !utf8.ValidString(p) || strings.ContainsFunc(p, unicode.IsControl)
}

// edge runs before routing: it settles who the visitor is (behind trusted
// proxies) and cleans the URL.
func (s *Server) edge(next http.Handler) http.Handler {
	notFound := s.recoverPanics(securityHeaders(s.html(func(w http.ResponseWriter, r *http.Request) error { return errNoRoute })))
	return s.withClient(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if badPath(r.URL.Path) {
			notFound.ServeHTTP(w, r)
			return
		}
		cleanQuery(r)
		next.ServeHTTP(w, r)
	}))
}
