package evidence

import (
	"context"
	"strings"
	"testing"
	"time"

	"buyright/internal/catalog"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/screening"
)

func TestParseLink(t *testing.T) {
	cases := []struct {
		link    string
		section string
		n       int64
		problem string
	}{
		{"/purchases/7", "", 0, ""},
		{"/purchases/7/contract", "contract", 0, ""},
		{"/purchases/7/files/3", "files", 3, ""},
		{"https://buyright.example/purchases/7/reviews/2?x=1#top", "reviews", 2, ""},
		{"/purchases/7/assessment/report?version=2", "assessment/report", 0, ""},
		{"/purchases/8/contract", "", 0, "evidence.link_other_purchase"},
		{"/purchases/07x/contract", "", 0, "evidence.link_not_record"},
		{"/purchases/7/files/0", "", 0, "evidence.link_not_record"},
		{"/purchases/7/files/abc", "", 0, "evidence.link_not_record"},
		{"/purchases/7/transition", "", 0, "evidence.link_not_record"},
		{"/register/7", "", 0, "evidence.link_not_record"},
		{"javascript:alert(1)", "", 0, "evidence.link_not_record"},
		{"https://evil.example", "", 0, "evidence.link_not_record"},
		{"", "", 0, "evidence.link_missing"},
	}
	for _, c := range cases {
		sec, n, problem := ParseLink(c.link, 7)
		if sec != c.section || n != c.n || problem != c.problem {
			t.Errorf("ParseLink(%q) = %q, %d, %q; want %q, %d, %q", c.link, sec, n, problem, c.section, c.n, c.problem)
		}
	}
}

func FuzzParseLink(f *testing.F) {
	for _, s := range []string{"/purchases/1/files/2", "https://x/purchases/1", "/purchases/1/../2", "/purchases/-1", "\x00/purchases/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, link string) {
		sec, n, problem := ParseLink(link, 1)
		if problem != "" {
			if sec != "" || n != 0 {
				t.Fatalf("refused link %q still named %q/%d", link, sec, n)
			}
			return
		}
		// An accepted link names this purchase and a known page of it.
		if !strings.Contains(link, "/purchases/1") || (!linkSections[sec] && !numberedSections[sec]) {
			t.Fatalf("accepted %q as %q/%d", link, sec, n)
		}
	})
}

func TestValidate(t *testing.T) {
	cases := []struct {
		e     Evidence
		field string
	}{
		{Evidence{Kind: Statement, Text: "ok"}, "text"},
		{Evidence{Kind: Statement, Text: "   \n  "}, "text"},
		{Evidence{Kind: NotApplicable, Text: ""}, "text"},
		{Evidence{Kind: File}, "file"},
		{Evidence{Kind: Link, Link: "/purchases/2/contract", PurchaseID: 1}, "link"},
		{Evidence{Kind: "met"}, "kind"},
		{Evidence{Kind: Statement, Text: "The privacy notice was updated on 3 May and sent to every applicant."}, ""},
		{Evidence{Kind: Link, Link: "/purchases/1/contract", PurchaseID: 1}, ""},
		{Evidence{Kind: Withdrawn}, ""},
	}
	for _, c := range cases {
		fe := c.e.Validate()
		if c.field == "" && len(fe) > 0 {
			t.Errorf("%+v refused: %v", c.e, fe)
		}
		if c.field != "" && fe[c.field] == "" {
			t.Errorf("%+v: want a problem with %s, got %v", c.e, c.field, fe)
		}
	}
}

func req(id, stage, check string) *catalog.Item {
	return &catalog.Item{ID: id, Kind: "requirement", Stage: stage, Check: check}
}

func TestOf(t *testing.T) {
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	stmt := &Evidence{Kind: Statement, Text: "We did it, trust us, it is all fine here.", ByName: "Ana", At: at}
	signed := &Signed{Version: 2, By: "Rui", At: at}
	cases := []struct {
		name string
		req  *catalog.Item
		f    Facts
		met  bool
		how  string
	}{
		// A statement cannot stand in for what buyright checks itself.
		{"computed ignores a statement", req("CORE-HRIA-DONE", "market_engagement", "hria_signed"), Facts{Evidence: map[string]*Evidence{"CORE-HRIA-DONE": stmt}}, false, HowComputed},
		{"computed met by the sign-off", req("CORE-HRIA-DONE", "market_engagement", "hria_signed"), Facts{HRIA: signed}, true, HowComputed},
		{"dpia needs its own section", req("GDPR-35-DONE", "planning", "dpia_signed"), Facts{HRIA: signed}, false, HowComputed},
		{"dpia met", req("GDPR-35-DONE", "planning", "dpia_signed"), Facts{HRIA: signed, DPIA: signed}, true, HowComputed},
		{"screening needs a sign-off", req("CORE-SCREENING", "planning", "screening_signed"), Facts{Screened: true, Result: screening.Result{Status: screening.StatusComplete}}, false, HowComputed},
		{"screening signed but a draft", req("CORE-SCREENING", "planning", "screening_signed"), Facts{Screened: true, ScreeningSigned: signed}, false, HowComputed},
		{"engagement planned is not held", req("CORE-ENGAGEMENT", "planning", "engagement_held"), Facts{Held: 0}, false, HowComputed},
		{"engagement held", req("CORE-ENGAGEMENT", "planning", "engagement_held"), Facts{Held: 2, LastHeld: "2026-04-01"}, true, HowComputed},
		{"nothing recorded", req("CORE-NEED", "planning", ""), Facts{}, false, ""},
		{"statement vouched for", req("CORE-NEED", "planning", ""), Facts{Evidence: map[string]*Evidence{"CORE-NEED": stmt}}, true, HowEvidence},
		{"withdrawn", req("CORE-NEED", "planning", ""), Facts{Evidence: map[string]*Evidence{"CORE-NEED": {Kind: Withdrawn}}}, false, ""},
		{"tender item answers a tender requirement", req("CORE-SUPPLY-CHAIN", "tender_design", ""), Facts{Tender: map[string][]string{"CORE-SUPPLY-CHAIN": {"SEL-LABOUR"}}}, true, HowTender},
		{"a tender item does not sign a contract", req("GDPR-28-CONTRACT", "contract", ""), Facts{Tender: map[string][]string{"GDPR-28-CONTRACT": {"CL-28"}}}, false, ""},
		{"a signed safeguard does", req("GDPR-28-CONTRACT", "contract", ""), Facts{Contract: map[string][]string{"GDPR-28-CONTRACT": {"CL-28"}}}, true, HowContract},
		{"a clause does not show practice in use", req("PT-08-a", "implementation", ""), Facts{Contract: map[string][]string{"PT-08-a": {"CL-TRAIN"}}}, false, ""},
		{"not applicable", req("CORE-NEED", "planning", ""), Facts{Evidence: map[string]*Evidence{"CORE-NEED": {Kind: NotApplicable, Text: "No personal data at all in this purchase.", ByName: "Rui", At: at}}}, true, HowNotApplicable},
		{"unknown requirement needs evidence", nil, Facts{}, false, ""},
	}
	for _, c := range cases {
		st := Of(c.req, &c.f)
		if st.Met != c.met || st.How != c.how || st.Key == "" {
			t.Errorf("%s: got %+v, want met=%v how=%q", c.name, st, c.met, c.how)
		}
	}
}

type source Facts

func (s *source) RequirementFacts(context.Context, int64) (*Facts, error) {
	f := Facts(*s)
	return &f, nil
}

// The gate reports each requirement of the stage being left under its own
// id, and a requirement "ticked" with an empty record never passes.
func TestRule(t *testing.T) {
	set, err := catalog.Load("")
	if err != nil {
		t.Fatalf("catalogue: %v", err)
	}
	src := &source{Screened: true, Result: screening.Result{Status: screening.StatusComplete, Level: 3,
		RequirementsByStage: map[string][]string{"planning": {"CORE-SCREENING", "CORE-NEED"}}},
		Evidence: map[string]*Evidence{"CORE-SCREENING": {Kind: Statement, Text: "Signed off on paper by the head of unit."}}}
	g := &lifecycle.Gates{}
	g.Add(Rule(src, func() *catalog.Set { return set }, func(id string) string { return id }))
	sub := lifecycle.Subject{Purchase: &model.Purchase{ID: 1, Stage: model.StagePlanning}, From: model.StagePlanning, To: model.StageMarketEngagement}
	res, err := g.Evaluate(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range res {
		got[r.Rule] = r.Passed
	}
	if len(got) != 2 || got["CORE-SCREENING"] || got["CORE-NEED"] {
		t.Fatalf("results %v", res)
	}
	src.ScreeningSigned = &Signed{By: "Rui", At: time.Now()}
	src.Evidence["CORE-NEED"] = &Evidence{Kind: Link, Link: "/purchases/1", ByName: "Ana"}
	res, _ = g.Evaluate(context.Background(), sub)
	for _, r := range res {
		if !r.Passed {
			t.Errorf("%s still fails: %s", r.Rule, r.Message)
		}
	}
}
