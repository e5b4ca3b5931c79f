package consultation

import (
	"strings"
	"testing"
	"time"

	"buyright/internal/model"
)

func day(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ready() *Consultation {
	c := &Consultation{Status: Draft, Deadline: day("2027-03-31"), Formats: []Format{"paper", "easy_read", "nonsense"},
		Texts: []Text{
			{Lang: "en", Title: " Fraud scoring ", Summary: "What it is", Deciding: "Whether", Questions: []string{"One?", "Two?"}, Use: "We answer each point"},
			{Lang: "xx"},
			{Lang: "pt", Title: "Pontuação", Summary: "O que é", Deciding: "Se", Questions: []string{"Um?", " ", "Dois?"}, Use: "Respondemos"},
		}}
	return c
}

func TestCleanSortsAndDropsEmpty(t *testing.T) {
	c := ready()
	c.Clean()
	if got := c.Languages(); strings.Join(got, ",") != "en,pt" {
		t.Fatalf("languages %v", got)
	}
	if c.Texts[0].Title != "Fraud scoring" || len(c.Texts[1].Questions) != 2 || c.Questions() != 2 {
		t.Fatalf("texts %+v", c.Texts)
	}
	if len(c.Formats) != 2 || c.Formats[0] != "easy_read" || !c.Offers("paper") || c.Offers("braille") {
		t.Fatalf("formats %v", c.Formats)
	}
	if fe := c.Validate([]Format{"paper", "nonsense"}); fe["c_formats"] != "invalid.choice" {
		t.Fatalf("unknown format accepted: %v", fe)
	}
}

func TestOpenProblems(t *testing.T) {
	today := day("2027-03-01")
	c := ready()
	c.Clean()
	if fe := c.OpenProblems(today); len(fe) != 0 {
		t.Fatalf("a complete consultation cannot open: %v", fe)
	}
	// The deadline leaves people less than two weeks.
	c.Deadline = today.AddDays(MinDays - 1)
	if fe := c.OpenProblems(today); fe["c_deadline"] != "consult.deadline_too_soon" {
		t.Fatalf("short deadline: %v", fe)
	}
	c.Deadline = today.AddDays(MinDays)
	// Portuguese asks one question fewer; Spanish is half written.
	c.Texts[1].Questions = c.Texts[1].Questions[:1]
	c.Texts = append(c.Texts, Text{Lang: "es", Title: "Puntuación"})
	fe := c.OpenProblems(today)
	if fe["c_questions_pt"] != "consult.questions_differ" || fe["c_summary_es"] != "consult.needed_to_open" || fe["c_questions_es"] != "consult.needed_to_open" {
		t.Fatalf("problems: %v", fe)
	}
	empty := &Consultation{}
	if fe := empty.OpenProblems(today); fe["c_title_en"] != "consult.no_language" || fe["c_deadline"] != "invalid.required" {
		t.Fatalf("empty: %v", fe)
	}
}

func TestValidateLengths(t *testing.T) {
	c := &Consultation{Texts: []Text{{Lang: "fr", Title: strings.Repeat("é", 301), Questions: make([]string, 21)}}}
	fe := c.Validate(nil)
	if fe["c_title_fr"] != "invalid.too_long" || fe["c_questions_fr"] != "consult.too_many_questions" {
		t.Fatalf("%v", fe)
	}
}

func TestPhases(t *testing.T) {
	c := &Consultation{Status: Draft, Deadline: day("2027-03-31")}
	cases := []struct {
		status Status
		today  string
		want   Phase
	}{
		{Draft, "2027-03-01", PhaseDraft},
		{Open, "2027-03-01", PhaseOpen},
		{Open, "2027-03-31", PhaseOpen}, // the deadline day counts
		{Open, "2027-04-01", PhaseClosed},
		{Reported, "2027-04-01", PhaseReported},
	}
	for _, x := range cases {
		c.Status = x.status
		if got := c.Phase(day(x.today)); got != x.want {
			t.Errorf("%s on %s: %s, want %s", x.status, x.today, got, x.want)
		}
	}
	c.Status = Open
	if p := c.ExtendProblem(day("2027-03-30"), day("2027-03-01")); p != "consult.extend_earlier" {
		t.Errorf("shortening: %q", p)
	}
	if p := c.ExtendProblem(day("2027-04-30"), day("2027-03-01")); p != "" {
		t.Errorf("extending: %q", p)
	}
	c.Status = Reported
	if p := c.ExtendProblem(day("2027-04-30"), day("2027-03-01")); p != "consult.extend_not_open" {
		t.Errorf("extending a reported one: %q", p)
	}
}

func TestInFallsBackToFirstLanguage(t *testing.T) {
	c := ready()
	c.Clean()
	if x, ok := c.In("pt"); !ok || x.Title != "Pontuação" {
		t.Fatal(x, ok)
	}
	if x, ok := c.In("fr"); ok || x.Lang != "en" {
		t.Fatal(x, ok)
	}
}

func TestParseQuestions(t *testing.T) {
	got := ParseQuestions("1. First?\r\n\n2) Second?\nQ3: Third?\n10 - Tenth?\n2027 budget: is it enough?\n  \n42\n")
	want := []string{"First?", "Second?", "Third?", "Tenth?", "2027 budget: is it enough?", "42"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("%q", got)
	}
}

func TestNormalizeAnswers(t *testing.T) {
	out, fe := NormalizeAnswers([]string{" a\u0000 ", "", "comments\r\nmore"}, 2)
	if len(fe) != 0 || len(out) != 3 || out[0] != "a" || out[2] != "comments\nmore" {
		t.Fatalf("%q %v", out, fe)
	}
	if _, fe := NormalizeAnswers([]string{" ", "\t"}, 1); fe["r_q1"] != "consult.response_empty" {
		t.Fatalf("empty: %v", fe)
	}
	if _, fe := NormalizeAnswers([]string{strings.Repeat("x", MaxAnswer+1)}, 1); fe["r_q1"] != "invalid.too_long" {
		t.Fatalf("long: %v", fe)
	}
	long := strings.Repeat("y", MaxAnswer)
	if _, fe := NormalizeAnswers([]string{long, long, long, "z"}, 3); fe["r_comments"] != "consult.response_too_long" {
		t.Fatalf("too long in all: %v", fe)
	}
	// Fewer answers than questions: the rest are empty, not an error.
	if out, fe := NormalizeAnswers([]string{"only"}, 3); len(fe) != 0 || len(out) != 4 {
		t.Fatalf("%q %v", out, fe)
	}
}

func TestHideNeedsRuleAndReason(t *testing.T) {
	if _, fe := HideProblems("disagrees", "short"); fe["h_rule"] != "invalid.choice" || fe["h_reason"] != "consult.hide_reason_short" {
		t.Fatalf("%v", fe)
	}
	if r, fe := HideProblems("personal_data", "  Names a neighbour and her address. "); len(fe) != 0 || r != "Names a neighbour and her address." {
		t.Fatalf("%q %v", r, fe)
	}
}

func TestAnswerValidate(t *testing.T) {
	cases := []struct {
		a    Answer
		want map[string]string
	}{
		{Answer{Said: "x", Outcome: Changed, Did: "y"}, nil},
		{Answer{Said: "x", Outcome: Changed}, map[string]string{"a_did": "consult.did_needed"}},
		{Answer{Said: "x", Outcome: Partly, Did: "y"}, map[string]string{"a_why_not": "consult.why_not_needed"}},
		{Answer{Said: "x", Outcome: NotChanged, Did: "y"}, map[string]string{"a_why_not": "consult.why_not_needed"}},
		{Answer{Said: "x", Outcome: NotChanged, WhyNot: "z"}, nil},
		{Answer{Outcome: "maybe"}, map[string]string{"a_said": "invalid.required", "a_outcome": "invalid.choice"}},
	}
	for i, c := range cases {
		fe := c.a.Validate()
		if len(fe) != len(c.want) {
			t.Errorf("%d: %v, want %v", i, fe, c.want)
		}
		for k, v := range c.want {
			if fe[k] != v {
				t.Errorf("%d: %s = %q, want %q", i, k, fe[k], v)
			}
		}
	}
}

func TestReportProblems(t *testing.T) {
	c := ready()
	c.Clean()
	c.Status = Open
	rs := []*Response{
		{ID: 1, Kind: Organisation, AnswerID: 7},
		{ID: 2, Kind: Public},
		{ID: 3, Kind: Public, Hidden: &Hiding{Rule: "spam", Reason: "advertising"}},
	}
	n := Count(rs)
	if n.Responses != 3 || n.Organisations != 1 || n.People != 2 || n.Hidden != 1 || n.Unanswered != 1 {
		t.Fatalf("counts %+v", n)
	}
	fe := c.ReportProblems(rs, day("2027-03-31"))
	if fe["_form"] != "consult.report_still_open" || fe["c_report_en"] != "consult.report_words_needed" {
		t.Fatalf("open: %v", fe)
	}
	rs[1].AnswerID = 7
	for i := range c.Texts {
		c.Texts[i].Report = "What we heard"
	}
	// The hidden response needs no answer.
	if fe := c.ReportProblems(rs, day("2027-04-01")); len(fe) != 0 {
		t.Fatalf("ready report refused: %v", fe)
	}
}

func TestSources(t *testing.T) {
	if s := ImpactSource(12, 34); s != "consultation/12/response/34" || Link(s) != "/consultations/12#response-34" {
		t.Fatal(s, Link(s))
	}
	if s := EngagementSource(5); Link(s) != "/consultations/5" {
		t.Fatal(Link(s))
	}
	for _, bad := range []string{"", "consultation", "consultation/x", "consultation/012", "consultation/1/answer/2", "consultation/-1", "complaint/3", "consultation/1/response/0"} {
		if _, _, ok := ParseSource(bad); ok || Link(bad) != "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestGateJudge(t *testing.T) {
	today := day("2027-03-10")
	at := time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		f      GateFacts
		passed bool
		msg    string
	}{
		{GateFacts{}, true, "gate.not_applicable"},
		{GateFacts{Screened: true, Level: 2}, true, "gate.not_applicable"},
		{GateFacts{Screened: true, Level: 3}, false, "consult.gate.missing"},
		{GateFacts{Screened: true, Level: 4, Drafts: 1}, false, "consult.gate.draft"},
		{GateFacts{Screened: true, Level: 4, Closing: today}, false, "consult.gate.open"},
		{GateFacts{Screened: true, Level: 4, Closing: today.AddDays(-1)}, false, "consult.gate.no_report"},
		{GateFacts{Screened: true, Level: 4, Reported: 1, Closing: today}, true, "consult.gate.reported"},
		{GateFacts{Screened: true, Level: 4, Waiver: &Waiver{Reason: "r", By: "Rui", At: at}}, true, "consult.gate.waived"},
	}
	for i, c := range cases {
		r := Judge(&c.f, today)
		if r.Passed != c.passed || r.Message != c.msg || r.Hard {
			t.Errorf("%d: %+v", i, r)
		}
	}
}

func FuzzParseQuestions(f *testing.F) {
	f.Add("1. One?\n2) Two?")
	f.Add("Q")
	f.Add("9999. x")
	f.Add("\u202e1.\u0000")
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range ParseQuestions(s) {
			if q == "" || strings.ContainsAny(q, "\n\r\x00") || q != strings.TrimSpace(q) {
				t.Fatalf("question %q from %q", q, s)
			}
		}
	})
}

func FuzzNormalizeAnswers(f *testing.F) {
	f.Add("a", "b", 1)
	f.Add("", "", 0)
	f.Add("\x00\r\n", "\u202e", 3)
	f.Fuzz(func(t *testing.T, a, b string, n int) {
		n = n % 25
		if n < 0 {
			n = -n
		}
		out, fe := NormalizeAnswers([]string{a, b}, n)
		if len(out) != n+1 {
			t.Fatalf("%d answers for %d questions", len(out), n)
		}
		total := 0
		for _, x := range out {
			total += len([]rune(x))
			if strings.ContainsAny(x, "\r\x00") {
				t.Fatalf("uncleaned %q", x)
			}
		}
		if len(fe) == 0 && (total == 0 || total > MaxAnswers) {
			t.Fatalf("accepted %d characters", total)
		}
	})
}

func FuzzParseSource(f *testing.F) {
	f.Add("consultation/1/response/2")
	f.Add("consultation/9")
	f.Fuzz(func(t *testing.T, s string) {
		id, r, ok := ParseSource(s)
		if !ok {
			return
		}
		back := EngagementSource(id)
		if r != 0 {
			back = ImpactSource(id, r)
		}
		if back != s {
			t.Fatalf("%q read as %d/%d, written back as %q", s, id, r, back)
		}
	})
}
