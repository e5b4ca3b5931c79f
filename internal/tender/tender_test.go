package tender

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/screening"
)

func builtIn(t testing.TB) *catalog.Set {
	t.Helper()
	set, probs := catalog.Build(catalog.Embedded())
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return set
}

// demoAnswers are the answers the demo gives the welfare fraud-scoring
// purchase (internal/demo/assessment.go).
var demoAnswers = map[string]any{
	"digital": "yes", "goods": "no", "staff_services": "no", "essential_service": "yes", "access_gate": "no",
	"personal_data": "yes", "data_categories": []any{"financial", "special"},
	"people_count": 40000.0, "vulnerable_groups": []any{"low_income", "disability"}, "vulnerable_reached": "yes", "automation": "decides_alone",
	"decision_effects": []any{"fraud_selection", "suspension"}, "reversibility": "hard", "profiling": "yes",
	"ai_system": "yes", "public_deployer": "yes", "annex_iii": []any{"public_benefits"}, "biometric_use": "none",
	"prohibited_practices": []any{"none"}, "monitoring_public": "no", "monitoring_individuals": "no", "legal_basis": "general",
	"data_sharing": []any{"pooled", "vendor_access"}, "partnership": "no", "procurement_route": "open",
	"emergency": "no", "hardware": "no",
}

func input(t *testing.T, set *catalog.Set, raw map[string]any, tech []string) Input {
	t.Helper()
	q := screening.New(set)
	a, err := q.Normalize(raw)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Set: set, Answers: a, Result: q.Score(a), Technology: tech}
}

// acceptAll is the pack an officer gets by accepting every proposal.
func acceptAll(props []Proposal) map[string]Choice {
	out := map[string]Choice{}
	for _, p := range props {
		out[p.Item.ID] = Choice{ItemID: p.Item.ID, Decision: Accepted}
	}
	return out
}

// The property the tender pack rests on: for a purchase at level III or
// IV, every mandatory requirement of the tender and contract stages is met
// by at least one proposed item, so accepting the proposal covers them all.
func TestProposalCoversMandatoryRequirements(t *testing.T) {
	set := builtIn(t)
	check := func(t *testing.T, in Input) {
		if in.Result.Level < 3 {
			t.Fatalf("level %d, want III or IV", in.Result.Level)
		}
		props := Propose(in)
		cov := Cover(set, in.Result, props, acceptAll(props))
		if len(cov.Required) == 0 {
			t.Fatal("no mandatory requirements: the scenario tests nothing")
		}
		for _, id := range cov.Uncovered {
			t.Errorf("mandatory requirement %s is met by no proposed item", id)
		}
	}
	t.Run("demo fraud scoring", func(t *testing.T) {
		in := input(t, set, demoAnswers, []string{"automated_decisions", "data_platform"})
		if in.Result.Level != 4 {
			t.Fatalf("demo level %d, want IV", in.Result.Level)
		}
		check(t, in)
		// The proposal's award criteria add up to 100 as proposed.
		cov := Cover(set, in.Result, nil, acceptAll(Propose(in)))
		if !cov.WeightsOK() {
			t.Errorf("award weights of the demo proposal add up to %d, want 100", cov.WeightSum)
		}
	})
	files, _ := filepath.Glob("../screening/testdata/scenarios/*.yaml")
	n := 0
	for _, f := range files {
		var sc struct {
			Answers map[string]any `yaml:"answers"`
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &sc); err != nil {
			t.Fatal(err)
		}
		in := input(t, set, sc.Answers, nil)
		if in.Result.Level < 3 {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) { check(t, in) })
	}
	if n < 5 {
		t.Errorf("only %d scenarios reach level III or IV", n)
	}
}

func TestConditionsDecideWhatIsProposed(t *testing.T) {
	set := builtIn(t)
	in := input(t, set, demoAnswers, []string{"automated_decisions"})
	ids := func(ps []Proposal) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Item.ID)
		}
		return out
	}
	got := ids(Propose(in))
	for _, want := range []string{"SPEC-OVERSIGHT", "CL-PROCESSOR-INSTRUCTIONS", "AWD-EXPLAIN", "CL-EXIT"} {
		if !slices.Contains(got, want) {
			t.Errorf("%s not proposed for the demo", want)
		}
	}
	for _, not := range []string{"CL-LABOUR-ELECTRONICS", "CL-SUNSET", "SEL-PRIVATE-SECURITY", "CL-LABOUR-APPAREL"} {
		if slices.Contains(got, not) {
			t.Errorf("%s proposed for a software purchase with no emergency", not)
		}
	}
	// Technology kinds bring in the supply-chain clauses.
	in.Technology = []string{"services", "goods"}
	got = ids(Propose(in))
	for _, want := range []string{"CL-LABOUR-SERVICES", "CL-LABOUR-APPAREL", "SEL-PRIVATE-SECURITY"} {
		if !slices.Contains(got, want) {
			t.Errorf("%s not proposed for services and goods", want)
		}
	}
	// Parts come in order: selection, award, specification, clause.
	props := Propose(in)
	for i := 1; i < len(props); i++ {
		if slices.Index(catalog.Parts, props[i-1].Part) > slices.Index(catalog.Parts, props[i].Part) {
			t.Fatalf("%s (%s) before %s (%s)", props[i-1].Item.ID, props[i-1].Part, props[i].Item.ID, props[i].Part)
		}
	}
	// A mitigation naming a clause proposes it even where its conditions do not hold.
	in.Mitigations = []assessment.Mitigation{{ID: 7, Basis: "CL-SUNSET", Status: "planned"}}
	for _, p := range Propose(in) {
		if p.Item.ID == "CL-SUNSET" {
			if !p.ByMitigation || !slices.Contains(p.Mitigations, 7) {
				t.Errorf("CL-SUNSET proposal %+v", p)
			}
			return
		}
	}
	t.Error("a clause named by a mitigation was not proposed")
}

func TestCoverageAndWeights(t *testing.T) {
	set := builtIn(t)
	in := input(t, set, demoAnswers, nil)
	props := Propose(in)
	choices := acceptAll(props)
	// Reject everything that meets ADM-HUMAN-DECISION: it becomes uncovered.
	for _, p := range props {
		if slices.Contains(p.Meets, "ADM-HUMAN-DECISION") {
			choices[p.Item.ID] = Choice{ItemID: p.Item.ID, Decision: Rejected, Reason: "no"}
		}
	}
	cov := Cover(set, in.Result, props, choices)
	if !slices.Contains(cov.Uncovered, "ADM-HUMAN-DECISION") {
		t.Errorf("uncovered = %v, want ADM-HUMAN-DECISION", cov.Uncovered)
	}
	if len(cov.Proposed["ADM-HUMAN-DECISION"]) != 0 {
		t.Errorf("rejected items still listed as proposed: %v", cov.Proposed["ADM-HUMAN-DECISION"])
	}
	// An edited weight counts instead of the catalogue's.
	choices["AWD-COST"] = Choice{ItemID: "AWD-COST", Decision: Edited, EditedText: "x", Reason: "y", Weight: 30}
	cov = Cover(set, in.Result, props, choices)
	if cov.WeightsOK() {
		t.Errorf("weights add up to %d, want a warning", cov.WeightSum)
	}
}

func TestValidate(t *testing.T) {
	set := builtIn(t)
	clause, _ := set.Item("CL-EXIT")
	award, _ := set.Item("AWD-COST")
	cases := []struct {
		c     Choice
		it    *catalog.Item
		field string
	}{
		{Choice{Decision: Rejected}, clause, "reason"},
		{Choice{Decision: Edited, EditedText: "new", Reason: " "}, clause, "reason"},
		{Choice{Decision: Edited, Reason: "why"}, clause, "text"},
		{Choice{Decision: "maybe"}, clause, "decision"},
		{Choice{Decision: Accepted, Weight: 10}, clause, "weight"},
		{Choice{Decision: Accepted, Weight: 101}, award, "weight"},
	}
	for _, tc := range cases {
		if errs := tc.c.Validate(tc.it); errs[tc.field] == "" {
			t.Errorf("%+v: want an error on %s, got %v", tc.c, tc.field, errs)
		}
	}
	if errs := (Choice{Decision: Accepted, Weight: 25}).Validate(award); len(errs) > 0 {
		t.Errorf("valid choice refused: %v", errs)
	}
}

type facts Facts

func (f *facts) TenderFacts(context.Context, int64) (*Facts, error) { return (*Facts)(f), nil }

func TestGateNamesUncoveredRequirement(t *testing.T) {
	set := builtIn(t)
	in := input(t, set, demoAnswers, nil)
	props := Propose(in)
	choices := acceptAll(props)
	for _, p := range props {
		if slices.Contains(p.Meets, "AIA-26-6") {
			delete(choices, p.Item.ID)
		}
	}
	f := &facts{Screened: true, Result: in.Result, Choices: choices}
	r := Rule(f, func() *catalog.Set { return set }, func(id string) string { return "title of " + id })
	if !r.Guards(model.StageTenderDesign) || r.Guards(model.StageContract) {
		t.Fatal("the rule must guard leaving tender design only")
	}
	sub := lifecycle.Subject{Purchase: &model.Purchase{ID: 1}, From: model.StageTenderDesign, To: model.StageAward}
	rs, err := r.(lifecycle.MultiRule).CheckEach(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Passed || rs[0].Rule != "tender_pack:AIA-26-6" || rs[0].Title != "title of AIA-26-6" {
		t.Fatalf("results %+v", rs)
	}
	f.Choices = acceptAll(props)
	rs, _ = r.(lifecycle.MultiRule).CheckEach(context.Background(), sub)
	if len(rs) != 1 || !rs[0].Passed {
		t.Fatalf("a full pack should pass: %+v", rs)
	}
}
