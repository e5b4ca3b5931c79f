package tender

import (
	"context"

	"buyright/internal/catalog"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/screening"
)

// Facts is what the tender-pack gate needs about a purchase.
type Facts struct {
	Screened bool
	Result   screening.Result
	Choices  map[string]Choice
}

// Source reads the facts; the store implements it.
type Source interface {
	TenderFacts(ctx context.Context, purchaseID int64) (*Facts, error)
}

// RuleID is stored with overrides of the tender-pack gate; each uncovered
// requirement is reported as RuleID + ":" + its id.
const RuleID = "tender_pack"

// Rule returns the gate rule: leaving tender design needs a tender pack
// whose accepted or edited items cover every mandatory requirement of the
// tender and contract stages. set returns the catalogue set in force;
// title names a requirement in English (overrides are stored in English).
func Rule(src Source, set func() *catalog.Set, title func(string) string) lifecycle.Rule {
	return packRule{src, set, title}
}

type packRule struct {
	src   Source
	set   func() *catalog.Set
	title func(string) string
}

func (packRule) ID() string                { return RuleID }
func (packRule) Guards(s model.Stage) bool { return s == model.StageTenderDesign }

func (r packRule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	rs, err := r.CheckEach(ctx, sub)
	res := lifecycle.Result{Rule: RuleID, Title: "tender.gate.title", Passed: true, Message: "tender.gate.covered"}
	for _, x := range rs {
		if !x.Passed {
			res.Passed, res.Message = false, x.Message
		}
	}
	return res, err
}

func (r packRule) CheckEach(ctx context.Context, sub lifecycle.Subject) ([]lifecycle.Result, error) {
	f, err := r.src.TenderFacts(ctx, sub.Purchase.ID)
	if err != nil {
		return nil, err
	}
	if !f.Screened {
		return []lifecycle.Result{{Rule: RuleID, Title: "tender.gate.title", Message: "gate.screening.missing"}}, nil
	}
	cov := Cover(r.set(), f.Result, nil, f.Choices)
	if len(cov.Required) == 0 {
		return []lifecycle.Result{{Rule: RuleID, Title: "tender.gate.title", Passed: true, Message: "gate.not_applicable"}}, nil
	}
	if cov.Complete() {
		return []lifecycle.Result{{Rule: RuleID, Title: "tender.gate.title", Passed: true, Message: "tender.gate.covered"}}, nil
	}
	var out []lifecycle.Result
	for _, id := range cov.Uncovered {
		out = append(out, lifecycle.Result{Rule: RuleID + ":" + id, Title: r.title(id), Message: "tender.gate.uncovered"})
	}
	return out, nil
}
