package opinion

import (
	"strings"
	"testing"
	"time"

	"buyright/internal/evidence"
	"buyright/internal/model"
)

const reasons = "The purchase would score every claimant without a human decision."

func TestValidate(t *testing.T) {
	cond := func(text string, before model.Stage) Condition { return Condition{Text: text, Before: before} }
	cases := []struct {
		name  string
		o     Opinion
		cur   model.Stage
		field string
	}{
		{"favourable", Opinion{Before: model.StageTenderDesign, Verdict: Favourable, Reasons: reasons}, model.StageMarketEngagement, ""},
		{"conditional", Opinion{Before: model.StageTenderDesign, Verdict: Conditional, Reasons: reasons,
			Conditions: []Condition{cond("Publish the model's error rates by group.", model.StageAward)}}, model.StagePlanning, ""},
		{"conditional without conditions", Opinion{Before: model.StageTenderDesign, Verdict: Conditional, Reasons: reasons,
			Conditions: []Condition{cond(" \n ", model.StageAward)}}, model.StagePlanning, "conditions"},
		{"conditions on a plain opinion", Opinion{Before: model.StageTenderDesign, Verdict: Unfavourable, Reasons: reasons,
			Conditions: []Condition{cond("Something", model.StageAward)}}, model.StagePlanning, "conditions"},
		{"condition for a passed gate", Opinion{Before: model.StageAward, Verdict: Conditional, Reasons: reasons,
			Conditions: []Condition{cond("Something", model.StageTenderDesign)}}, model.StageTenderDesign, "cond_1"},
		{"condition for no gate", Opinion{Before: model.StageAward, Verdict: Conditional, Reasons: reasons,
			Conditions: []Condition{cond("Something", "")}}, model.StagePlanning, "cond_1"},
		{"gate passed", Opinion{Before: model.StageTenderDesign, Verdict: Favourable, Reasons: reasons}, model.StageTenderDesign, "before"},
		{"no gate into planning", Opinion{Before: model.StagePlanning, Verdict: Favourable, Reasons: reasons}, model.StagePlanning, "before"},
		{"closed purchase", Opinion{Before: model.StageTenderDesign, Verdict: Favourable, Reasons: reasons}, model.StageCancelled, "before"},
		{"not given is not a verdict a body issues", Opinion{Before: model.StageTenderDesign, Verdict: NotGiven, Reasons: reasons}, model.StagePlanning, "verdict"},
		{"reasons too short", Opinion{Before: model.StageTenderDesign, Verdict: Favourable, Reasons: "ok"}, model.StagePlanning, "reasons"},
		{"reasons only controls", Opinion{Before: model.StageTenderDesign, Verdict: Favourable, Reasons: "\x00\u202e\x1b"}, model.StagePlanning, "reasons"},
		{"references too long", Opinion{Before: model.StageTenderDesign, Verdict: Favourable, Reasons: reasons, References: strings.Repeat("a", 5001)}, model.StagePlanning, "references"},
	}
	for _, c := range cases {
		fe := c.o.Validate(c.cur)
		if c.field == "" && len(fe) > 0 {
			t.Errorf("%s: refused: %v", c.name, fe)
		}
		if c.field != "" && fe[c.field] == "" {
			t.Errorf("%s: want a problem with %s, got %v", c.name, c.field, fe)
		}
	}
	many := Opinion{Before: model.StageAward, Verdict: Conditional, Reasons: reasons}
	for range MaxConditions + 1 {
		many.Conditions = append(many.Conditions, cond("A condition", model.StageAward))
	}
	if fe := many.Validate(model.StagePlanning); fe["conditions"] == "" {
		t.Errorf("%d conditions accepted", len(many.Conditions))
	}
}

func TestRequirementID(t *testing.T) {
	if id := RequirementID(12, 3); id != "OPN-12-3" {
		t.Fatal(id)
	}
	for _, s := range []string{"OPN-12-3", "OPN-1-20"} {
		if _, _, ok := ParseRequirementID(s); !ok {
			t.Errorf("%q refused", s)
		}
	}
	for _, s := range []string{"", "OPN-", "OPN-12", "OPN-012-3", "OPN-12-03", "OPN-12-0", "OPN-12-21", "OPN--1-2", "opn-12-3", "OPN-12-3-4", "OPN-1 2-3", "CORE-NEED", "OPN-99999999999999999999-1"} {
		if _, _, ok := ParseRequirementID(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
}

// Every id ParseRequirementID accepts is the one RequirementID writes for
// what it read: no two spellings name the same condition.
func FuzzParseRequirementID(f *testing.F) {
	for _, s := range []string{"OPN-1-1", "OPN-12-20", "OPN-0-1", "OPN-1-01", "OPN-١-1", "OPN-9223372036854775807-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, n, ok := ParseRequirementID(s)
		if !ok {
			return
		}
		if id <= 0 || n <= 0 || n > MaxConditions || RequirementID(id, n) != s {
			t.Fatalf("%q read as %d, %d", s, id, n)
		}
	})
}

func TestRule(t *testing.T) {
	p := &model.Purchase{Sector: "social_protection", Technologies: []model.Technology{"biometrics"}}
	cases := []struct {
		r     Rule
		level int
		want  bool
	}{
		{Rule{MinLevel: 4, Before: model.StageTenderDesign}, 4, true},
		{Rule{MinLevel: 4, Before: model.StageTenderDesign}, 3, false},
		{Rule{MinLevel: 3, Before: model.StageTenderDesign}, 0, false},
		{Rule{Technology: "biometrics", Before: model.StageAward}, 0, true},
		{Rule{Technology: "surveillance", Before: model.StageAward}, 4, false},
		{Rule{Sector: "health", Before: model.StageAward}, 4, false},
		{Rule{Sector: "social_protection", MinLevel: 2, Before: model.StageAward}, 2, true},
		{Rule{Before: model.StageAward, RetiredAt: time.Now()}, 4, false},
	}
	for _, c := range cases {
		if got := c.r.Applies(p, c.level); got != c.want {
			t.Errorf("%+v at level %d: %v", c.r, c.level, got)
		}
	}
	for _, bad := range []Rule{{Before: model.StageTenderDesign, Days: 0}, {Before: model.StageTenderDesign, Days: 366},
		{Before: model.StagePlanning, Days: 10}, {Before: model.StageClosed, Days: 10}, {Before: "x", Days: 10},
		{MinLevel: 5, Before: model.StageAward, Days: 10}, {Technology: "drones", Before: model.StageAward, Days: 10}} {
		if len(bad.Validate()) == 0 {
			t.Errorf("%+v accepted", bad)
		}
	}
	// The clock starts when the purchase reached the gate, or when the
	// rule was set if that is later.
	r := Rule{Before: model.StageTenderDesign, Days: 30, At: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	if d := r.DueDate(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); d.String() != "2026-05-31" {
		t.Errorf("due from the rule's start: %s", d)
	}
	if d := r.DueDate(time.Date(2026, 6, 1, 23, 0, 0, 0, time.UTC)); d.String() != "2026-07-01" {
		t.Errorf("due from the stage: %s", d)
	}
	if r.Gate() != model.StageMarketEngagement {
		t.Errorf("gate %s", r.Gate())
	}
}

func TestStandings(t *testing.T) {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	p := &model.Purchase{ID: 7, Sector: "social_protection"}
	f := &Facts{
		Level: 4,
		Rules: []Rule{
			{OrgID: 1, OrgName: "NHRI", MinLevel: 4, Before: model.StageTenderDesign, Days: 10},
			{OrgID: 1, OrgName: "NHRI", Before: model.StageTenderDesign, Days: 20},
			{OrgID: 2, OrgName: "DPA", Before: model.StageTenderDesign, Days: 5},
			{OrgID: 3, OrgName: "Audit", Before: model.StageAward, Days: 5},
		},
		Entered:   map[model.Stage]time.Time{model.StageMarketEngagement: at},
		Decisions: map[int64]*Decision{},
	}
	today := model.DateOf(at).AddDays(8)
	ss := f.Standings(p, model.StageTenderDesign)
	if len(ss) != 2 || ss[0].OrgName != "DPA" || ss[1].Due.String() != "2026-05-21" {
		t.Fatalf("standings: %+v", ss)
	}
	if ss[0].State(today) != Overdue || ss[1].State(today) != Awaiting || !ss[1].Holds(today) || ss[0].Holds(today) {
		t.Fatalf("states: %s %s", ss[0].State(today), ss[1].State(today))
	}
	f.Opinions = []Opinion{
		{ID: 1, OrgID: 1, OrgName: "NHRI", Before: model.StageTenderDesign, Verdict: Unfavourable},
		{ID: 2, OrgID: 2, OrgName: "DPA", Before: model.StageTenderDesign, Verdict: NotGiven},
		{ID: 3, OrgID: 1, OrgName: "NHRI", Before: model.StageTenderDesign, Verdict: Conditional, Supersedes: 1,
			Conditions: []Condition{{N: 1, Text: "a", Before: model.StageAward}, {N: 2, Text: "b", Before: model.StageTenderDesign}}},
		{ID: 4, OrgID: 3, OrgName: "Audit", Before: model.StageAward, Verdict: Unfavourable},
	}
	f.Decisions[4] = &Decision{OpinionID: 4, ByName: "Rui"}
	ss = f.Standings(p, model.StageTenderDesign)
	if ss[0].State(today) != State(NotGiven) || ss[1].State(today) != State(Conditional) || ss[1].Holds(today) {
		t.Fatalf("after opinions: %+v", ss)
	}
	if ss := f.Standings(p, model.StageAward); len(ss) != 1 || ss[0].State(today) != Proceeded {
		t.Fatalf("award: %+v", ss)
	}
	inForce := f.InForce()
	if len(inForce) != 2 || inForce[0].ID != 3 || inForce[1].ID != 4 || !f.Superseded(&f.Opinions[0]) {
		t.Fatalf("in force: %+v", inForce)
	}
	// Conditions come in gate order; only vouched-for evidence meets one.
	f.Evidence = map[string]*evidence.Evidence{
		"OPN-3-1": {Kind: evidence.NotApplicable, Text: "Does not apply to us at all, we think.", ByName: "Rui"},
		"OPN-3-2": {Kind: evidence.Link, Link: "/purchases/7/tender", ByName: "Ana", At: at},
	}
	cs := f.ConditionStatuses()
	if len(cs) != 2 || cs[0].ID != "OPN-3-2" || !cs[0].Met || cs[1].Met {
		t.Fatalf("conditions: %+v", cs)
	}
}

func TestNoteValidate(t *testing.T) {
	ok := []Note{{Kind: KindNote, Body: "x"}, {Kind: KindAssessment, Part: Impact, PartID: 2, Body: "x"}}
	bad := []Note{{Kind: "memo", Body: "x"}, {Kind: KindNote}, {Kind: KindNote, Part: Impact, Body: "x"},
		{Kind: KindNote, PartID: 3, Body: "x"}, {Kind: KindNote, Part: "clause", PartID: 3, Body: "x"},
		{Kind: KindNote, Title: strings.Repeat("t", 301), Body: "x"}}
	for _, n := range ok {
		if fe := n.Validate(); len(fe) > 0 {
			t.Errorf("%+v refused: %v", n, fe)
		}
	}
	for _, n := range bad {
		if fe := n.Validate(); len(fe) == 0 {
			t.Errorf("%+v accepted", n)
		}
	}
}

func TestDecisionValidate(t *testing.T) {
	d := Decision{Reasons: "  We go on because the risk is mitigated by a human decision.  "}
	if fe := d.Validate(); len(fe) > 0 || strings.HasPrefix(d.Reasons, " ") {
		t.Fatalf("%v %q", fe, d.Reasons)
	}
	if fe := (&Decision{Reasons: "ok"}).Validate(); fe["decision"] == "" {
		t.Fatal("a two-letter reason accepted")
	}
}

// A problem with a condition names the row the person typed it in, even
// when blank rows come before it.
func TestConditionProblemNamesTheRow(t *testing.T) {
	o := Opinion{Before: model.StageAward, Verdict: Conditional, Reasons: reasons,
		Conditions: []Condition{{Text: ""}, {Text: "Publish the error rates.", Before: model.StagePlanning}}}
	fe := o.Validate(model.StageMarketEngagement)
	if fe["cond_2"] == "" || fe["cond_1"] != "" || len(o.Conditions) != 1 || o.Conditions[0].N != 1 {
		t.Fatalf("%v %+v", fe, o.Conditions)
	}
}

// Whatever a form sends, an opinion that passes Validate holds clean text,
// conditions numbered from 1 for gates still ahead, and a verdict a body
// may issue; one that fails names a field.
func FuzzOpinionValidate(f *testing.F) {
	f.Add("tender_design", "conditional", reasons, "ICESCR art. 9", "Publish error rates.", "award", "", "planning", "market_engagement")
	f.Add("planning", "not_given", "\x00\u202e", "", "x", "", "y", "closed", "planning")
	f.Fuzz(func(t *testing.T, before, verdict, why, refs, c1, b1, c2, b2, cur string) {
		o := Opinion{Before: model.Stage(before), Verdict: Verdict(verdict), Reasons: why, References: refs,
			Conditions: []Condition{{Text: c1, Before: model.Stage(b1)}, {Text: c2, Before: model.Stage(b2)}}}
		fe := o.Validate(model.Stage(cur))
		if len(fe) > 0 {
			return
		}
		if o.Verdict == NotGiven || !gateAhead(model.Stage(cur), o.Before) || model.CleanText(o.Reasons) != o.Reasons {
			t.Fatalf("accepted %+v at %q", o, cur)
		}
		for i, c := range o.Conditions {
			if c.N != i+1 || c.Text == "" || model.CleanText(c.Text) != c.Text || !gateAhead(model.Stage(cur), c.Before) {
				t.Fatalf("condition %d accepted as %+v", i, c)
			}
		}
		if (o.Verdict == Conditional) != (len(o.Conditions) > 0) {
			t.Fatalf("%s with %d conditions", o.Verdict, len(o.Conditions))
		}
	})
}
