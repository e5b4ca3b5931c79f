package catalog

import (
	"strings"
	"testing"
)

const instrumentsHeader = "catalog: instruments\nversion: \"1\"\nlanguages: {en: full}\nkind: instrument\nitems:\n"

// An organisation that declares an instrument and cites it nowhere is told
// where the declaration is, so it can cite it or remove it.
func TestUncitedInstrumentIsReportedWithFileAndLine(t *testing.T) {
	file := instrumentsHeader + "  - {id: NATLAW, title: National AI law, text: Our law, citation: Act 12 of 2026}\n"
	s, probs := Build(Embedded(), []Source{{Name: "org/instruments.yaml", Data: []byte(file)}})
	if len(probs) > 0 {
		t.Fatalf("a valid instrument was refused: %v", probs)
	}
	unc := s.Uncited()
	if len(unc) != 1 || unc[0].String() != "org/instruments.yaml:6: NATLAW: no item cites this instrument; cite it where it applies or retire it" {
		t.Fatalf("uncited: %q", unc)
	}
	// Cited from another set (as the law map cites instruments) counts.
	other, _ := Build(Embedded(), []Source{{Name: "org/instruments.yaml", Data: []byte(file)}},
		[]Source{{Name: "org/lawmap.yaml", Data: []byte(header + "  - {id: LQ, kind: criterion, title: q, text: q, refs: [NATLAW 3]}\n")}})
	lq, _ := other.Item("LQ")
	if unc := s.Uncited(lq); len(unc) != 0 {
		t.Fatalf("an instrument cited by an extra item is reported: %q", unc)
	}
	// And an item of the same set citing it clears it too.
	withItem := file + "  - {id: R-X, kind: right, title: x, text: x, refs: [NATLAW 1]}\n"
	s2, probs := Build(Embedded(), []Source{{Name: "org/instruments.yaml", Data: []byte(withItem)}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if unc := s2.Uncited(); len(unc) != 0 {
		t.Fatalf("a cited instrument is reported: %q", unc)
	}
}

// Overriding the only item that cites an instrument, without the
// reference, leaves the instrument uncited.
func TestDroppingTheOnlyCitationMakesAnInstrumentUncited(t *testing.T) {
	file := "catalog: ppp\nversion: \"1\"\nlanguages: {en: full}\nitems:\n" +
		"  - {id: PI-ACC-HRDD, title: Our wording, text: Our wording, refs: [UNGP P17], stage: award, level: 3}\n"
	s, probs := Build(Embedded(), []Source{{Name: "org/ppp.yaml", Data: []byte(file)}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	unc := s.Uncited()
	if len(unc) != 1 || !strings.HasPrefix(unc[0].String(), "data/instruments.yaml:") || !strings.Contains(unc[0].Msg, "BTECH:") {
		t.Fatalf("want BTECH reported at its declaration, got %q", unc)
	}
}

func TestEveryReferenceNamesAnInstrument(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"unknown instrument", header + "  - {id: A, kind: criterion, title: a, text: a, refs: [NOPE 4]}\n",
			`org/x.yaml:6: A: unknown instrument "NOPE" in reference "NOPE 4"`},
		{"reference to an item that is not an instrument", header + "  - {id: A, kind: criterion, title: a, text: a, refs: [R-PRIV 1]}\n",
			`org/x.yaml:6: A: reference "R-PRIV 1" names R-PRIV, which is a right, not an instrument`},
		{"instrument outside the instruments catalogue", header + "  - {id: NATLAW, kind: instrument, title: a, text: a, citation: Act 1}\n",
			`org/x.yaml:6: NATLAW: an instrument belongs in the instruments catalogue`},
		{"rule without reference", header + "  - {id: r1, kind: rule, title: a, raise: 2, when: {q: hardware, is: \"yes\"}}\n",
			`org/x.yaml:6: r1: no reference`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(lintOverride(t, tc.file), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("want %q in\n%s", tc.want, got)
			}
		})
	}
}

func TestDateItems(t *testing.T) {
	ok := header + "  - {id: D1, kind: date, title: a, text: a, refs: [AIA 113], date: \"2026-08-02\", as_of: \"2026-12-01\", source: OJ text}\n"
	if got := lintOverride(t, ok); len(got) > 0 {
		t.Fatalf("a valid date was refused: %q", got)
	}
	cases := []struct{ name, item, want string }{
		{"no date", `{id: D1, kind: date, title: a, text: a, refs: [AIA 113], as_of: "2026-12-01", source: s}`, `D1: a date needs date`},
		{"bad date", `{id: D1, kind: date, title: a, text: a, refs: [AIA 113], date: "2026-02-30", as_of: "2026-12-01", source: s}`, `D1: date "2026-02-30" is not a date written YYYY-MM-DD`},
		{"no as_of", `{id: D1, kind: date, title: a, text: a, refs: [AIA 113], date: "2026-08-02", source: s}`, `D1: a date needs as_of`},
		{"no source", `{id: D1, kind: date, title: a, text: a, refs: [AIA 113], date: "2026-08-02", as_of: "2026-12-01"}`, `D1: a date needs source`},
		{"date on another kind", `{id: D1, kind: criterion, title: a, text: a, refs: [AIA 113], date: "2026-08-02"}`, `field date is not used by kind criterion`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(lintOverride(t, header+"  - "+tc.item+"\n"), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("want %q in\n%s", tc.want, got)
			}
		})
	}
}

// The AI Act's dates of application are data: every one names its source
// and the day it was checked, and the ones read only in an unofficial
// consolidated text are marked to check.
func TestAIActDatesCarrySourceAndStatus(t *testing.T) {
	s, probs := Build(Embedded())
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	byID := map[string]*Item{}
	for _, it := range s.OfKind("date") {
		byID[it.ID] = it
	}
	want := map[string]struct {
		date    string
		toCheck bool
	}{
		"AIA-DATE-FORCE":           {"2024-08-01", false},
		"AIA-DATE-PROHIBITIONS":    {"2025-02-02", false},
		"AIA-DATE-GENERAL":         {"2026-08-02", false},
		"AIA-DATE-ANNEX-III":       {"2026-08-02", false},
		"AIA-DATE-ANNEX-I":         {"2027-08-02", false},
		"AIA-DATE-PUBLIC-LEGACY":   {"2030-08-02", false},
		"AIA-DATE-AMEND-ANNEX-III": {"2027-12-02", true},
		"AIA-DATE-AMEND-ANNEX-I":   {"2028-08-02", true},
	}
	for id, w := range want {
		it, ok := byID[id]
		if !ok {
			t.Errorf("%s missing", id)
			continue
		}
		if it.Date != w.date || (it.Status == "unconfirmed") != w.toCheck || it.Source == "" || it.AsOf == "" {
			t.Errorf("%s: date %s status %q source %q as_of %q", id, it.Date, it.Status, it.Source, it.AsOf)
		}
	}
	for _, it := range byID {
		if strings.Contains(it.Source, "unofficial") && it.Status != "unconfirmed" {
			t.Errorf("%s rests on an unofficial text but is not marked to check", it.ID)
		}
	}
}
