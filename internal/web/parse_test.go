package web

import (
	"strings"
	"testing"

	"buyright/internal/model"
)

func TestParseMoney(t *testing.T) {
	cases := map[string]int64{"": 0, "0": 0, "1250000": 125000000, "1,250,000.50": 125000050, "12.5": 1250, "7 000": 700000,
		"1.250.000,50": 125000050, "1250000,50": 125000050, "1 250 000,5": 125000050, "1,250": 125000, "1.250.000": 125000000}
	for in, want := range cases {
		if got, ok := parseMoney(in); !ok || got != want {
			t.Errorf("parseMoney(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"12,5x", "-5", "1e9", ".5", "99999999999999999", "1.250.00", "1,2,50"} {
		if _, ok := parseMoney(bad); ok {
			t.Errorf("parseMoney(%q) accepted", bad)
		}
	}
	if formatMoney(125000050, "EUR") != "1,250,000.50 EUR" || moneyInput(125000050) != "1250000.50" || moneyInput(1205) != "12.05" {
		t.Error("formatting")
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1,250,000.50", "", "12.5", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseMoney(s)
		if ok && v < 0 {
			t.Fatalf("negative amount from %q", s)
		}
		if ok && v > 0 {
			if back, ok2 := parseMoney(moneyInput(v)); !ok2 || back != v {
				t.Fatalf("round trip of %q: %d -> %q -> %d", s, v, moneyInput(v), back)
			}
		}
	})
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/dashboard", "//evil.example", "/\\evil", "https://evil.example", "/x\r\nSet-Cookie: a=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeNext(s)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") || strings.ContainsAny(got, "\r\n") {
			t.Fatalf("safeNext(%q) = %q", s, got)
		}
	})
}

func FuzzAPIBody(f *testing.F) {
	f.Add(`{"title": "x", "sector": "health", "technologies": ["apps"], "value_minor": 5, "review_date": "2027-01-01"}`)
	f.Add(`{"version": "1"}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		p := &model.Purchase{}
		if err := applyAPI([]byte(body), p); err != nil {
			if model.ErrorCode(err) != model.EInvalid {
				t.Fatalf("non-validation error %v", err)
			}
			return
		}
		p.Validate() // must not panic on anything the parser let through
	})
}
