package lifecycle

import (
	"context"
	"strings"

	"buyright/internal/model"
)

// FieldRule passes when a purchase field is filled in before leaving a stage.
type FieldRule struct {
	RuleID     string
	Leaving    model.Stage
	TitleKey   string
	MissingKey string
	Filled     func(p *model.Purchase) bool
	// When limits the rule to some purchases (nil: all).
	When func(p *model.Purchase) bool
}

func (r FieldRule) ID() string                { return r.RuleID }
func (r FieldRule) Guards(s model.Stage) bool { return s == r.Leaving }
func (r FieldRule) Check(_ context.Context, sub Subject) (Result, error) {
	res := Result{Title: r.TitleKey, Passed: true, Message: "gate.ok"}
	if r.When != nil && !r.When(sub.Purchase) {
		res.Message = "gate.not_applicable"
		return res, nil
	}
	if !r.Filled(sub.Purchase) {
		res.Passed, res.Message = false, r.MissingKey
	}
	return res, nil
}

func has(s string) bool { return strings.TrimSpace(s) != "" }

// foundationRules are the obvious checks every purchase meets: why and for
// whom it is bought, on what legal basis, before the market is approached;
// a sunset for emergency measures from the start; and a review date before
// the system is used on people.
func foundationRules() []Rule {
	return []Rule{
		FieldRule{RuleID: "need_recorded", Leaving: model.StagePlanning, TitleKey: "gate.need.title", MissingKey: "gate.need.missing",
			Filled: func(p *model.Purchase) bool { return has(p.Need) }},
		FieldRule{RuleID: "purpose_recorded", Leaving: model.StagePlanning, TitleKey: "gate.purpose.title", MissingKey: "gate.purpose.missing",
			Filled: func(p *model.Purchase) bool { return has(p.Purpose) }},
		FieldRule{RuleID: "legal_basis_recorded", Leaving: model.StagePlanning, TitleKey: "gate.legal_basis.title", MissingKey: "gate.legal_basis.missing",
			Filled: func(p *model.Purchase) bool { return has(p.LegalBasis) }},
		FieldRule{RuleID: "affected_people_recorded", Leaving: model.StagePlanning, TitleKey: "gate.affected.title", MissingKey: "gate.affected.missing",
			Filled: func(p *model.Purchase) bool { return has(p.AffectedPeople) }},
		FieldRule{RuleID: "emergency_sunset", Leaving: model.StagePlanning, TitleKey: "gate.sunset.title", MissingKey: "gate.sunset.missing",
			When:   func(p *model.Purchase) bool { return p.Emergency },
			Filled: func(p *model.Purchase) bool { return !p.SunsetDate.IsZero() }},
		FieldRule{RuleID: "review_date_set", Leaving: model.StageContract, TitleKey: "gate.review.title", MissingKey: "gate.review.missing",
			Filled: func(p *model.Purchase) bool { return !p.ReviewDate.IsZero() }},
	}
}
