package opinion

import (
	"context"
	"strconv"
	"strings"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

// Source reads a purchase's opinions and records an opinion not given in
// time; the store implements it.
type Source interface {
	OpinionFacts(ctx context.Context, p *model.Purchase) (*Facts, error)
	RecordNotGiven(ctx context.Context, purchaseID, orgID int64, before model.Stage, due model.Date) error
}

// RuleID is the id of the opinions gate. Each body is reported under
// "opinion:<body id>" and each condition under its requirement id.
const RuleID = "opinions"

// Gate is the gate rule of oversight opinions. At a forward move into
// stage To it reports, for each body asked by a rule or that gave an
// opinion for that gate, whether its opinion lets the purchase pass, and
// each condition of an opinion in force that names the gate as a
// requirement.
//
// An opinion whose time ran out is recorded as not given when the gate is
// evaluated (showing the move page, trying the move, the API's move): the
// gate then opens. Nothing runs in the background; until a gate looks, the
// oversight views show such an opinion as overdue.
func Gate(src Source) lifecycle.Rule { return gate{src} }

type gate struct{ src Source }

func (gate) ID() string                { return RuleID }
func (gate) Guards(s model.Stage) bool { return s.Open() }

func (g gate) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	rs, err := g.CheckEach(ctx, sub)
	res := lifecycle.Result{Title: "opinion.gate.title", Passed: true, Message: "gate.ok"}
	for _, x := range rs {
		if !x.Passed {
			res.Passed, res.Message = false, "opinion.gate.failed"
			res.Hard = res.Hard || x.Hard
		}
	}
	return res, err
}

func (g gate) CheckEach(ctx context.Context, sub lifecycle.Subject) ([]lifecycle.Result, error) {
	f, err := g.src.OpinionFacts(ctx, sub.Purchase)
	if err != nil {
		return nil, err
	}
	var out []lifecycle.Result
	for _, s := range f.Standings(sub.Purchase, sub.To) {
		res := lifecycle.Result{Rule: "opinion:" + strconv.FormatInt(s.OrgID, 10), Title: "opinion.gate.title", Passed: true}
		switch st := s.State(sub.Today); st {
		case Awaiting:
			res.Passed, res.Hard = false, true
			if s.Due.IsZero() {
				res.Message, res.Args = "opinion.gate.awaiting_unstarted", []any{s.OrgName}
			} else {
				res.Message, res.Args = "opinion.gate.awaiting", []any{s.OrgName, s.Due.String()}
			}
		case Overdue:
			if err := g.src.RecordNotGiven(ctx, sub.Purchase.ID, s.OrgID, sub.To, s.Due); err != nil {
				return nil, err
			}
			res.Message, res.Args = "opinion.gate.not_given", []any{s.OrgName, s.Due.String()}
		case State(NotGiven):
			res.Message, res.Args = "opinion.gate.not_given", []any{s.OrgName, s.Opinion.Due.String()}
		case State(Favourable):
			res.Message, res.Args = "opinion.gate.favourable", []any{s.OrgName, day(s.Opinion)}
		case State(Conditional):
			res.Message, res.Args = "opinion.gate.conditional", []any{s.OrgName, day(s.Opinion)}
		case State(Unfavourable):
			res.Passed, res.Hard = false, true
			res.Message, res.Args = "opinion.gate.unfavourable", []any{s.OrgName, day(s.Opinion)}
		case Proceeded:
			res.Message, res.Args = "opinion.gate.proceeded", []any{s.OrgName, day(s.Opinion), s.Decision.ByName, model.DateOf(s.Decision.At).String()}
		}
		out = append(out, res)
	}
	for _, c := range f.ConditionStatuses() {
		if c.Condition.Before != sub.To {
			continue
		}
		res := lifecycle.Result{Rule: c.ID, Title: "opinion.gate.condition_title", Passed: c.Met}
		head := []any{c.Condition.N, c.Opinion.OrgName, c.Condition.Text}
		if c.Met {
			// The evidence's own words say by what (a file's name, a
			// link), by whom and when.
			res.Message, res.Args = "opinion.cond.met."+strings.TrimPrefix(c.Key, "req.met."), append(head, c.Args...)
		} else {
			res.Message, res.Args = "opinion.cond.unmet", head
		}
		out = append(out, res)
	}
	return out, nil
}

func day(o *Opinion) string { return model.DateOf(o.At).String() }
