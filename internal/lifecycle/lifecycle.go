// Package lifecycle decides which stage moves are allowed and runs the gate
// rules that guard them. Rules are small values behind one interface, so
// later work (requirements from the framework catalogues, an exit plan
// before closing) adds rules without touching the mechanism.
package lifecycle

import (
	"context"

	"buyright/internal/model"
)

// Direction classifies a requested move.
type Direction int

const (
	Invalid  Direction = iota
	Forward            // to the next stage: gate rules apply
	Backward           // back to an earlier stage, e.g. an amendment re-opens screening
	Cancel             // stop the purchase
)

// Classify says what kind of move from → to is. Forward moves go one stage
// at a time, so no gate is skipped.
func Classify(from, to model.Stage) Direction {
	switch {
	case !from.Open() || !to.Valid() || from == to:
		return Invalid
	case to == model.StageCancelled:
		return Cancel
	case to == from.Next():
		return Forward
	case to.Index() >= 0 && to.Index() < from.Index():
		return Backward
	}
	return Invalid
}

// NeedsReason reports whether a move must be explained in writing.
func NeedsReason(d Direction) bool { return d == Backward || d == Cancel }

// Subject is what a rule looks at.
type Subject struct {
	Purchase *model.Purchase
	From, To model.Stage
	Today    model.Date
}

// Result is one rule's verdict. Message is a translation key; Args fill it.
// A Hard failure cannot be overridden: no approver's reason makes a
// purchase that was never screened, or whose screening found a prohibited
// practice, fit to move on.
type Result struct {
	Rule    string
	Title   string // translation key naming what the rule checks
	Passed  bool
	Hard    bool
	Message string
	Args    []any
}

// HardFailures counts the failed results no override can pass.
func HardFailures(rs []Result) int {
	n := 0
	for _, r := range rs {
		if !r.Passed && r.Hard {
			n++
		}
	}
	return n
}

// Rule is one check on a forward move out of a stage.
type Rule interface {
	// ID is stable: it is stored with overrides.
	ID() string
	// Guards reports whether the rule applies when leaving stage s.
	Guards(s model.Stage) bool
	Check(ctx context.Context, sub Subject) (Result, error)
}

// MultiRule is a rule that checks several items at once (the requirements
// a screening made mandatory for a stage) and reports one result per item,
// each under the item's own id, so a person sees exactly what is missing.
// Evaluate calls CheckEach instead of Check.
type MultiRule interface {
	Rule
	CheckEach(ctx context.Context, sub Subject) ([]Result, error)
}

// Gates holds the rules in the order they are shown.
type Gates struct{ rules []Rule }

// New returns gates with the foundation rules; Add more with Add.
func New() *Gates {
	g := &Gates{}
	for _, r := range foundationRules() {
		g.Add(r)
	}
	return g
}

// Add appends a rule.
func (g *Gates) Add(r Rule) { g.rules = append(g.rules, r) }

// Evaluate runs every rule that guards leaving sub.From. Backward moves and
// cancellation have no gates.
func (g *Gates) Evaluate(ctx context.Context, sub Subject) ([]Result, error) {
	if Classify(sub.From, sub.To) != Forward {
		return nil, nil
	}
	var out []Result
	for _, r := range g.rules {
		if !r.Guards(sub.From) {
			continue
		}
		if m, ok := r.(MultiRule); ok {
			rs, err := m.CheckEach(ctx, sub)
			if err != nil {
				return nil, err
			}
			for _, res := range rs {
				if res.Rule == "" {
					res.Rule = r.ID()
				}
				out = append(out, res)
			}
			continue
		}
		res, err := r.Check(ctx, sub)
		if err != nil {
			return nil, err
		}
		res.Rule = r.ID()
		out = append(out, res)
	}
	return out, nil
}

// Failures returns the results that did not pass, as stored with overrides.
func Failures(rs []Result, text func(key string, args ...any) string) []model.GateFailure {
	var out []model.GateFailure
	for _, r := range rs {
		if !r.Passed {
			out = append(out, model.GateFailure{Rule: r.Rule, Message: text(r.Message, r.Args...)})
		}
	}
	return out
}
