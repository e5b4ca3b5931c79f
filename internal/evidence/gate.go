package evidence

import (
	"context"

	"buyright/internal/catalog"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

// Source reads the facts of a purchase; the store implements it.
type Source interface {
	RequirementFacts(ctx context.Context, purchaseID int64) (*Facts, error)
}

// RuleID is the id overrides of the requirement gate are stored under.
const RuleID = "requirements"

// Rule is the gate that holds a purchase in a stage until every
// requirement the latest screening made mandatory for that stage is met.
// Each requirement is reported under its own id, with how it is met or what
// is missing. set gives the current catalogue; title names a requirement in
// English (overrides record English text).
func Rule(src Source, set func() *catalog.Set, title func(string) string) lifecycle.Rule {
	return rule{src, set, title}
}

type rule struct {
	src   Source
	set   func() *catalog.Set
	title func(string) string
}

func (rule) ID() string                { return RuleID }
func (rule) Guards(s model.Stage) bool { return s.Open() }

func (r rule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	rs, err := r.CheckEach(ctx, sub)
	res := lifecycle.Result{Title: "gate.requirements.title", Passed: true, Message: "gate.ok"}
	for _, x := range rs {
		if !x.Passed {
			res.Passed, res.Message = false, "gate.requirement.unmet"
		}
	}
	return res, err
}

func (r rule) CheckEach(ctx context.Context, sub lifecycle.Subject) ([]lifecycle.Result, error) {
	f, err := r.src.RequirementFacts(ctx, sub.Purchase.ID)
	if err != nil || !f.Screened {
		return nil, err
	}
	set := r.set()
	f.Cover(set)
	var out []lifecycle.Result
	for _, id := range f.Result.RequirementsByStage[string(sub.From)] {
		it, _ := set.Item(id)
		st := Of(it, f)
		out = append(out, lifecycle.Result{Rule: id, Title: r.title(id), Passed: st.Met, Message: st.Key, Args: st.Args})
	}
	return out, nil
}
