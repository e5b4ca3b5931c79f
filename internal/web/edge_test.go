package web

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanQuery(t *testing.T) {
	cases := map[string]string{
		"q=a%00b&page=99999999999999999999":  "page=2147483647&q=ab",
		"page=-9223372036854775808":          "page=-2147483647",
		"q=%FF%FEok":                         "q=ok",
		"q=fine&page=2":                      "q=fine&page=2",
		"next=%2F%09%2Fevil.example":         "next=%2F%2Fevil.example",
		"%00=x&q=%E2%80%AEgpj.exe":           "q=gpj.exe",
		"a=%zz&q=kept":                       "q=kept",
		"year=2026&level=4&body=12345678901": "body=2147483647&level=4&year=2026",
	}
	for in, want := range cases {
		r := httptest.NewRequest("GET", "/register?"+in, nil)
		cleanQuery(r)
		if r.URL.RawQuery != want {
			t.Errorf("%s → %s, want %s", in, r.URL.RawQuery, want)
		}
	}
	if !badPath("/register/\x00") || !badPath("/lab/\xff") || badPath("/register/12") {
		t.Error("badPath")
	}
}

// FuzzCleanQueryValue: whatever comes in, what handlers read is valid
// UTF-8 without controls, bounded in length, a whole number within
// INTEGER when it is one, and cleaning it again changes nothing.
func FuzzCleanQueryValue(f *testing.F) {
	for _, s := range []string{"", "a\x00b", "\xff", "99999999999999999999", "-1", "+7", strings.Repeat("é", 3000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := cleanQueryValue(s)
		if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) || len(v) > maxQueryValue {
			t.Fatalf("cleanQueryValue(%q) = %q", s, v)
		}
		if wholeNumber(v) {
			if n, err := strconv.ParseInt(v, 10, 64); err != nil || n > maxQueryInt || n < -maxQueryInt {
				t.Fatalf("cleanQueryValue(%q) = %q, out of range", s, v)
			}
		}
		if cleanQueryValue(v) != v {
			t.Fatalf("not stable: %q → %q → %q", s, v, cleanQueryValue(v))
		}
	})
}
