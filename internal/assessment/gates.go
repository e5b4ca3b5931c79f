package assessment

import (
	"context"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/screening"
)

// Facts is what the gate rules of the screening and the assessment need to
// know about a purchase: its latest screening and whether any assessment
// version has been signed off.
type Facts struct {
	Screened  bool
	Result    screening.Result
	SignedOff bool
}

// Source reads the facts of a purchase; the store implements it.
type Source interface {
	GateFacts(ctx context.Context, purchaseID int64) (*Facts, error)
}

// Rules returns the gate rules of the screening and the assessment. The
// requirements a screening makes mandatory are checked by the evidence
// package's rule.
func Rules(src Source) []lifecycle.Rule {
	return []lifecycle.Rule{screeningRule{src}, signOffRule{src}}
}

// screeningRule: a complete screening with no prohibited practice
// signalled, before the purchase leaves any stage. An incomplete screening
// is a draft and cannot pass, however low its level. The failure is hard:
// no override moves a purchase nobody screened, such as one imported from
// open contracting data at a late stage, or one whose screening found a
// practice the law prohibits.
type screeningRule struct{ src Source }

func (screeningRule) ID() string                { return "screening_complete" }
func (screeningRule) Guards(s model.Stage) bool { return s.Open() }
func (r screeningRule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	res := lifecycle.Result{Title: "gate.screening.title", Passed: true, Message: "gate.ok"}
	f, err := r.src.GateFacts(ctx, sub.Purchase.ID)
	if err != nil {
		return res, err
	}
	switch {
	case !f.Screened:
		res.Passed, res.Hard, res.Message = false, true, "gate.screening.missing"
	case !f.Result.Complete():
		res.Passed, res.Hard, res.Message = false, true, "gate.screening.incomplete"
	case f.Result.Stop:
		res.Passed, res.Hard, res.Message = false, true, "gate.screening.stop"
	}
	return res, nil
}

// signOffRule: when the screening requires a human-rights impact
// assessment, a version of it is signed off before the tender is designed,
// that is before the purchase leaves market engagement.
type signOffRule struct{ src Source }

func (signOffRule) ID() string                { return "assessment_signed_off" }
func (signOffRule) Guards(s model.Stage) bool { return s == model.StageMarketEngagement }
func (r signOffRule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	res := lifecycle.Result{Title: "gate.signoff.title", Passed: true, Message: "gate.ok"}
	f, err := r.src.GateFacts(ctx, sub.Purchase.ID)
	if err != nil {
		return res, err
	}
	switch {
	case !f.Screened:
		res.Passed, res.Message = false, "gate.screening.missing"
	case !Requires(f.Result, "hria"):
		res.Message = "gate.not_applicable"
	case !f.SignedOff:
		res.Passed, res.Message = false, "gate.signoff.missing"
	}
	return res, nil
}

// Requires reports whether a screening result requires an assessment.
func Requires(r screening.Result, assessment string) bool {
	for _, a := range r.Assessments {
		if a == assessment {
			return true
		}
	}
	return false
}
