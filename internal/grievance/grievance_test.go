package grievance

import (
	"bytes"
	"strings"
	"testing"
)

func TestCodes(t *testing.T) {
	a, b := NewCode(), NewCode()
	if len(a) != CodeDigits || a == b {
		t.Fatalf("codes %q %q", a, b)
	}
	formatted := FormatCode(a)
	if got, ok := ParseCode(formatted); !ok || got != a {
		t.Fatalf("ParseCode(%q) = %q %v", formatted, got, ok)
	}
	for _, bad := range []string{"", "123", strings.Repeat("1", 25), "12345678901234567890123x", "<script>"} {
		if _, ok := ParseCode(bad); ok {
			t.Errorf("ParseCode(%q) accepted", bad)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	f.Add("1234 5678 9012 3456 7890 1234")
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		if c, ok := ParseCode(s); ok && (len(c) != CodeDigits || strings.Trim(c, "0123456789") != "") {
			t.Fatalf("ParseCode(%q) = %q", s, c)
		}
	})
}

func TestBox(t *testing.T) {
	k, err := ParseKey(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	box, _ := NewBox(k)
	sealed := box.Seal([]byte("Dora, dora@example.org"), "c1")
	if bytes.Contains(sealed, []byte("Dora")) {
		t.Fatal("plaintext visible")
	}
	if got, err := box.Open(sealed, "c1"); err != nil || string(got) != "Dora, dora@example.org" {
		t.Fatal(err)
	}
	if _, err := box.Open(sealed, "c2"); err == nil {
		t.Fatal("ciphertext moved to another complaint was accepted")
	}
	if _, err := ParseKey("short"); err == nil {
		t.Fatal("short key accepted")
	}
}

func TestWorkflow(t *testing.T) {
	if !CanMove(Received, Acknowledged) || CanMove(Closed, Received) || !CanMove(Answered, Escalated) || CanMove(Received, Closed) {
		t.Fatal("workflow table")
	}
}

func TestEscalationGrounds(t *testing.T) {
	cases := []struct {
		ground            string
		answered, overdue bool
		want              bool
	}{
		{GroundTimeLimit, false, true, true},
		{GroundTimeLimit, false, false, false},
		{GroundTimeLimit, true, true, false},
		{GroundDissatisfied, true, false, true},
		{GroundDissatisfied, false, true, false},
		{GroundReferred, true, true, false},
		{"", true, true, false},
	}
	for _, c := range cases {
		if got := GroundHolds(c.ground, c.answered, c.overdue); got != c.want {
			t.Errorf("GroundHolds(%q, answered %v, overdue %v) = %v", c.ground, c.answered, c.overdue, got)
		}
	}
	if !ValidDecision(DecisionUpheld) || ValidDecision("") || ValidDecision("maybe") {
		t.Fatal("decisions")
	}
}
