package lifecycle

import (
	"context"
	"testing"

	"buyright/internal/model"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		from, to model.Stage
		want     Direction
	}{
		{model.StagePlanning, model.StageMarketEngagement, Forward},
		{model.StagePlanning, model.StageTenderDesign, Invalid}, // no skipping a gate
		{model.StageContract, model.StagePlanning, Backward},
		{model.StageContract, model.StageCancelled, Cancel},
		{model.StageClosed, model.StagePlanning, Invalid},
		{model.StageCancelled, model.StagePlanning, Invalid},
		{model.StagePlanning, model.StagePlanning, Invalid},
		{model.StageRenewalExit, model.StageClosed, Forward},
		{model.StagePlanning, "nowhere", Invalid},
	}
	for _, c := range cases {
		if got := Classify(c.from, c.to); got != c.want {
			t.Errorf("Classify(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

func TestFoundationGates(t *testing.T) {
	g := New()
	eval := func(p *model.Purchase, to model.Stage) map[string]bool {
		res, err := g.Evaluate(context.Background(), Subject{Purchase: p, From: p.Stage, To: to})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, r := range res {
			out[r.Rule] = r.Passed
		}
		return out
	}
	p := &model.Purchase{Stage: model.StagePlanning, Need: "n", Purpose: " ", Emergency: true}
	got := eval(p, model.StageMarketEngagement)
	want := map[string]bool{"need_recorded": true, "purpose_recorded": false, "legal_basis_recorded": false, "affected_people_recorded": false, "emergency_sunset": false}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	p.Emergency = false
	if !eval(p, model.StageMarketEngagement)["emergency_sunset"] {
		t.Error("the sunset rule should pass (not apply) for a non-emergency purchase")
	}
	p.Stage = model.StageContract
	if got := eval(p, model.StageImplementation); got["review_date_set"] || len(got) != 1 {
		t.Errorf("leaving contract: %v", got)
	}
	if res, _ := g.Evaluate(context.Background(), Subject{Purchase: p, From: p.Stage, To: model.StageCancelled}); len(res) != 0 {
		t.Error("cancelling runs no gate")
	}
}

func TestSunsetAllowsOnlyTheEnd(t *testing.T) {
	today, _ := model.ParseDate("2026-12-03")
	p := &model.Purchase{Emergency: true, SunsetDate: today.AddDays(-1)}
	for _, st := range model.AllStages {
		want := st == model.StageRenewalExit || st == model.StageClosed || st == model.StageCancelled
		if got := SunsetAllows(p, st, today); got != want {
			t.Errorf("past sunset, to %s: %v", st, got)
		}
	}
	for _, q := range []*model.Purchase{
		{Emergency: true, SunsetDate: today},              // the last day still counts
		{Emergency: true},                                 // no sunset yet: the planning gate asks for one
		{Emergency: false, SunsetDate: today.AddDays(-9)}, // not an emergency measure
	} {
		if PastSunset(q, today) || !SunsetAllows(q, model.StageImplementation, today) {
			t.Errorf("%+v treated as past its sunset", q)
		}
	}
}
