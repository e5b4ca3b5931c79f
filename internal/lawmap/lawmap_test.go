package lawmap

import (
	"strings"
	"testing"
	"time"

	"buyright/internal/catalog"
)

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestCatalogueLintsClean(t *testing.T) {
	q, err := Load()
	if err != nil {
		t.Fatalf("the law-mapping catalogue has problems:\n%v", err)
	}
	if len(q.Questions) < 10 || len(q.Groups) == 0 {
		t.Fatalf("questions %d, groups %d", len(q.Questions), len(q.Groups))
	}
	for _, it := range q.Questions {
		if it.Parent == "" {
			t.Errorf("%s has no group", it.ID)
		}
		for _, l := range []string{"pt", "es", "fr"} {
			if it.Title[l] == "" {
				t.Errorf("%s has no %s title", it.ID, l)
			}
		}
	}
}

func TestEveryStartingAnswerIsCited(t *testing.T) {
	q, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSeed(q, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Answers) < 20 {
		t.Fatalf("only %d starting answers", len(s.Answers))
	}
	for _, a := range s.Answers {
		ok := false
		for _, c := range a.Citations {
			if strings.TrimSpace(c.Instrument) != "" && strings.HasPrefix(c.URL, "https://") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s %s (%s) has no citation with an instrument and a link", a.Jurisdiction, a.Question, a.AsOf)
		}
	}
}

func TestCheckRefusesBadAnswers(t *testing.T) {
	q, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	base := func() Answer {
		return Answer{Question: "LM-AWARD", Answer: "yes", Explanation: "Because.", AsOf: "2020-01-01",
			Citations: []Citation{{Instrument: "Act", Article: "1", URL: "https://example.org/"}}}
	}
	a := base()
	if f := Check(q, &a, today); len(f) != 0 {
		t.Fatalf("valid answer refused: %v", f)
	}
	a = base()
	a.Citations = nil
	if f := Check(q, &a, today); f["lab_cite_instrument"] != "lab.invalid.citation" {
		t.Fatalf("answer without citation accepted: %v", f)
	}
	a.Judgement = true
	if f := Check(q, &a, today); len(f) != 0 {
		t.Fatalf("judgement without citation refused: %v", f)
	}
	a = base()
	a.AsOf = "2026-11-24"
	if f := Check(q, &a, today); f["lab_as_of"] != "lab.invalid.future" {
		t.Fatalf("future date accepted: %v", f)
	}
	a = base()
	a.Answer = "maybe"
	a.Citations[0].URL = "javascript:alert(1)"
	f := Check(q, &a, today)
	if f["lab_answer"] == "" || f["lab_cite_url"] == "" {
		t.Fatalf("bad option or URL accepted: %v", f)
	}
}

// Every instrument of the built-in catalogues is cited by some item of the
// catalogues or of the law map, as `buyright catalog lint` checks.
func TestEveryBuiltInInstrumentIsCited(t *testing.T) {
	q, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	set, probs := catalog.Build(catalog.Embedded())
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if unc := set.Uncited(q.Items()...); len(unc) > 0 {
		t.Fatalf("instruments cited by nothing:\n%v", unc)
	}
}
