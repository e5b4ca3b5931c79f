package assessment

import (
	"context"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/screening"
)

// Facts is what the gate rules need to know about a purchase's due
// diligence: its latest screening, the checklist of its newest assessment
// version, and whether any version has been signed off.
type Facts struct {
	Screened  bool
	Result    screening.Result
	Checklist map[string]Check
	SignedOff bool
}

// Source reads the facts of a purchase; the store implements it.
type Source interface {
	GateFacts(ctx context.Context, purchaseID int64) (*Facts, error)
}

// Rules returns the gate rules of the screening and the assessment. title
// names a requirement by id (in English: overrides record English text).
func Rules(src Source, title func(id string) string) []lifecycle.Rule {
	return []lifecycle.Rule{
		screeningRule{src},
		signOffRule{src},
		requirementRule{src, title},
	}
}

// screeningRule: the screening is complete, and no prohibited practice is
// signalled, before the purchase leaves planning. An incomplete screening
// is a draft and cannot pass, however low its level.
type screeningRule struct{ src Source }

func (screeningRule) ID() string                { return "screening_complete" }
func (screeningRule) Guards(s model.Stage) bool { return s == model.StagePlanning }
func (r screeningRule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	res := lifecycle.Result{Title: "gate.screening.title", Passed: true, Message: "gate.ok"}
	f, err := r.src.GateFacts(ctx, sub.Purchase.ID)
	if err != nil {
		return res, err
	}
	switch {
	case !f.Screened:
		res.Passed, res.Message = false, "gate.screening.missing"
	case !f.Result.Complete():
		res.Passed, res.Message = false, "gate.screening.incomplete"
	case f.Result.Stop:
		res.Passed, res.Message = false, "gate.screening.stop"
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
	case !requires(f.Result, "hria"):
		res.Message = "gate.not_applicable"
	case !f.SignedOff:
		res.Passed, res.Message = false, "gate.signoff.missing"
	}
	return res, nil
}

func requires(r screening.Result, assessment string) bool {
	for _, a := range r.Assessments {
		if a == assessment {
			return true
		}
	}
	return false
}

// requirementRule reports, for the stage being left, every requirement the
// latest screening made mandatory, each under its own id and title: met, or
// not applicable with a justification, passes; anything else fails.
type requirementRule struct {
	src   Source
	title func(string) string
}

// hriaSignedOff is the requirement met only by an approver's sign-off.
const hriaSignedOff = "CORE-HRIA-DONE"

func (requirementRule) ID() string                { return "requirements" }
func (requirementRule) Guards(s model.Stage) bool { return s.Open() }
func (r requirementRule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	rs, err := r.CheckEach(ctx, sub)
	res := lifecycle.Result{Title: "gate.requirements.title", Passed: true, Message: "gate.ok"}
	for _, x := range rs {
		if !x.Passed {
			res.Passed, res.Message = false, "gate.requirement.unmet"
		}
	}
	return res, err
}

func (r requirementRule) CheckEach(ctx context.Context, sub lifecycle.Subject) ([]lifecycle.Result, error) {
	f, err := r.src.GateFacts(ctx, sub.Purchase.ID)
	if err != nil || !f.Screened {
		return nil, err
	}
	var out []lifecycle.Result
	for _, id := range f.Result.RequirementsByStage[string(sub.From)] {
		c := f.Checklist[id]
		res := lifecycle.Result{Rule: id, Title: r.title(id), Passed: c.Satisfied(), Message: "gate.requirement.met"}
		switch {
		case id == hriaSignedOff:
			// A sign-off is a fact the workspace records, not something an
			// officer declares in the checklist.
			res.Passed = f.SignedOff
			if !res.Passed {
				res.Message = "gate.signoff.missing"
			}
		case res.Passed:
		case c.Status == NotApplicable:
			res.Message = "gate.requirement.no_justification"
		case c.Status == PartlyMet:
			res.Message = "gate.requirement.partly_met"
		default:
			res.Message = "gate.requirement.unmet"
		}
		out = append(out, res)
	}
	return out, nil
}
