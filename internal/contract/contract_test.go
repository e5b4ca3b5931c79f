package contract

import (
	"context"
	"testing"
	"time"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

type facts struct{ f *Facts }

func (x facts) ContractFacts(context.Context, int64) (*Facts, error) { return x.f, nil }

func check(t *testing.T, f *Facts, from model.Stage) map[string]bool {
	t.Helper()
	g := lifecycle.New()
	for _, r := range Rules(facts{f}, func(id string) string { return id }) {
		g.Add(r)
	}
	p := &model.Purchase{ID: 1, Stage: from}
	rs, err := g.Evaluate(context.Background(), lifecycle.Subject{Purchase: p, From: from, To: from.Next()})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range rs {
		out[r.Rule] = r.Passed
	}
	return out
}

func TestGatesOfTheContractStages(t *testing.T) {
	now := time.Now()
	f := &Facts{Chosen: []string{"CL-A", "CL-B"}, Safeguards: map[string]Safeguard{"CL-A": {Signed: true}, "CL-B": {Note: "refused"}}}
	got := check(t, f, model.StageContract)
	if got["contract_recorded"] || got["safeguards_signed:CL-B"] || !got["screening_current"] {
		t.Errorf("leaving the contract stage without a record, with a dropped safeguard: %v", got)
	}
	if _, ok := got["safeguards_signed:CL-A"]; ok {
		t.Error("a signed safeguard is listed as a failure")
	}
	// A widening amendment newer than the screening holds the purchase.
	f = &Facts{Contract: &Contract{}, ScreenedAt: now.Add(-time.Hour), LastWidening: &Amendment{Number: 2, WidensData: true, CreatedAt: now}}
	if got := check(t, f, model.StageImplementation); got["screening_current"] {
		t.Error("a stale screening passes")
	}
	f.ScreenedAt = now.Add(time.Minute)
	if got := check(t, f, model.StageImplementation); !got["screening_current"] {
		t.Error("screening again does not clear the gate")
	}
	// Closing needs an exit decision and an evidenced plan.
	got = check(t, &Facts{}, model.StageRenewalExit)
	if got["exit_decided"] || got["exit_plan_evidenced:missing_plan"] || got["exit_plan_evidenced:missing_evidence"] {
		t.Errorf("closing without a plan: %v", got)
	}
	d, _ := model.ParseDate("2026-01-01")
	got = check(t, &Facts{ExitDecided: true, Exit: &ExitPlan{DataReturn: "x", Deletion: "y", Transition: "z", ReturnedOn: d, DeletedOn: d, Evidence: 1}}, model.StageRenewalExit)
	if !got["exit_decided"] || !got["exit_plan_evidenced"] {
		t.Errorf("closing with an evidenced plan: %v", got)
	}
}

func TestRenewalRestsOnAFreshScreeningAndMonitoring(t *testing.T) {
	today := model.DateOf(time.Now())
	r := &Review{Kind: KindRenewal, DueOn: today.AddDays(10), HeldOn: today, Outcome: OutcomeRenew, Findings: "Fine.", Evidence: "Uptime 99.8%.", NewEndsOn: today.AddDays(700)}
	fresh := Renewal{ScreenedAt: time.Now(), Measurements: 12}
	if fe := r.ValidateDecision(today, fresh); len(fe) != 0 {
		t.Errorf("a renewal on evidence is refused: %v", fe)
	}
	stale := Renewal{ScreenedAt: today.AddDays(-200).Time(), Measurements: 12}
	if fe := r.ValidateDecision(today, stale); fe["outcome"] != "contract.err.fresh_screening" {
		t.Errorf("a renewal on an old screening: %v", fe)
	}
	if fe := r.ValidateDecision(today, Renewal{ScreenedAt: time.Now()}); fe["evidence"] != "contract.err.no_measurements" {
		t.Errorf("a renewal without monitoring results: %v", fe)
	}
	widened := Renewal{ScreenedAt: time.Now().Add(-time.Hour), LastWidening: time.Now(), Measurements: 3}
	if fe := r.ValidateDecision(today, widened); fe["outcome"] == "" {
		t.Error("a renewal screened before the last widening amendment is accepted")
	}
	// A sunset cannot renew; exiting needs no screening.
	s := &Review{Kind: KindSunset, HeldOn: today, Outcome: OutcomeRenew, Findings: "x"}
	if fe := s.ValidateDecision(today, Renewal{}); fe["outcome"] != "invalid.choice" {
		t.Errorf("a sunset renews: %v", fe)
	}
	s.Outcome = OutcomeExit
	if fe := s.ValidateDecision(today, Renewal{}); len(fe) != 0 {
		t.Errorf("a sunset exit: %v", fe)
	}
}

func TestAmendmentThatWidensDurationNeedsTheNewEnd(t *testing.T) {
	today := model.DateOf(time.Now())
	a := &Amendment{MadeOn: today, Summary: "Two more years", Reason: "The tender for the successor failed", WidensDuration: true}
	if fe := a.Validate(today); fe["new_ends_on"] == "" {
		t.Error("a longer contract without its new end date is accepted")
	}
	a.MadeOn = today.AddDays(1)
	if fe := a.Validate(today); fe["made_on"] != "contract.err.future" {
		t.Errorf("an amendment agreed tomorrow: %v", fe)
	}
}
