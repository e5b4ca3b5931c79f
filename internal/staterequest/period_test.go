package staterequest

import (
	"testing"
	"time"

	"buyright/internal/model"
)

var jan1 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestPeriods(t *testing.T) {
	p, err := ParsePeriod("2026-H2")
	if err != nil || p != (Period{2026, 2}) || p.String() != "2026-H2" {
		t.Fatalf("parse: %v %v", p, err)
	}
	if p.Start().String() != "2026-07-01" || p.End().String() != "2026-12-31" || p.Next().String() != "2027-H1" || p.Prev().String() != "2026-H1" {
		t.Errorf("bounds: %s %s %s %s", p.Start(), p.End(), p.Next(), p.Prev())
	}
	if (Period{2026, 1}).End().String() != "2026-06-30" {
		t.Error("first half ends on 30 June")
	}
	if PeriodOf(model.DateOf(jan1.AddDate(0, 6, 0))) != p {
		t.Error("1 July is in the second half")
	}
	if p.Ended(model.DateOf(jan1.AddDate(0, 11, 30))) || !p.Ended(model.DateOf(jan1.AddDate(1, 0, 0))) {
		t.Error("a half-year ends after its last day")
	}
	for _, bad := range []string{"", "2026", "2026-H3", "2026-h1", "+026-H1", "-026-H1", "0999-H1", "2026-H1 ", "２０２６-H1"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q read as a period", bad)
		}
	}
}

// FuzzParsePeriod: the period comes from the URL. Whatever is read back
// prints as what was given, and never panics.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-H1", "1999-H2", "9999-H2", "2026-H0", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Fatalf("%q read as %v", s, p)
		}
		if p.End().Before(p.Start()) {
			t.Fatalf("%v ends before it starts", p)
		}
	})
}
