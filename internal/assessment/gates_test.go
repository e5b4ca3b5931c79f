package assessment

import (
	"context"
	"testing"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/screening"
)

type facts Facts

func (f *facts) GateFacts(context.Context, int64) (*Facts, error) { x := Facts(*f); return &x, nil }

// Marking "assessment signed off" as met in the checklist does not pass the
// gate: only an approver's sign-off does, and it is needed before the
// tender is designed.
func TestSignOffCannotBeDeclared(t *testing.T) {
	f := &facts{Screened: true,
		Result:    screening.Result{Status: screening.StatusComplete, Level: 4, Assessments: []string{"hria"}, RequirementsByStage: map[string][]string{"market_engagement": {hriaSignedOff}}},
		Checklist: map[string]Check{hriaSignedOff: {Status: Met, Evidence: "trust me"}},
	}
	sub := lifecycle.Subject{Purchase: &model.Purchase{ID: 1, Stage: model.StageMarketEngagement}, From: model.StageMarketEngagement, To: model.StageTenderDesign}
	gates := &lifecycle.Gates{}
	for _, r := range Rules(f, func(id string) string { return id }) {
		gates.Add(r)
	}
	failed := func() map[string]bool {
		res, err := gates.Evaluate(context.Background(), sub)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, r := range res {
			if !r.Passed {
				out[r.Rule] = true
			}
		}
		return out
	}
	if got := failed(); !got["assessment_signed_off"] || !got[hriaSignedOff] {
		t.Fatalf("unsigned assessment passed leaving market engagement: %v", got)
	}
	f.SignedOff = true
	if got := failed(); got["assessment_signed_off"] || got[hriaSignedOff] {
		t.Fatalf("signed-off assessment still fails: %v", got)
	}
}
