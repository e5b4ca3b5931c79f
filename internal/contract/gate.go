package contract

import (
	"context"
	"time"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

// Facts is what the contract gates look at, read in one go by the store.
type Facts struct {
	Contract     *Contract            // nil: not recorded
	Chosen       []string             // tender-pack items accepted or edited, in order
	Safeguards   map[string]Safeguard // by item id; absent: not yet marked
	ScreenedAt   time.Time            // zero: never screened
	LastWidening *Amendment           // the newest amendment that widens, or nil
	Exit         *ExitPlan            // nil: no plan
	ExitDecided  bool                 // a review decided to exit
}

// Source reads the facts of a purchase.
type Source interface {
	ContractFacts(ctx context.Context, purchaseID int64) (*Facts, error)
}

// Rules are the gate rules of the contract stages. title names a tender
// item in English for gate messages.
func Rules(src Source, title func(id string) string) []lifecycle.Rule {
	return []lifecycle.Rule{
		rule{id: "contract_recorded", leaving: []model.Stage{model.StageContract}, src: src, check: recorded},
		rule{id: "safeguards_signed", leaving: []model.Stage{model.StageContract}, src: src, multi: signed(title)},
		rule{id: "screening_current", leaving: []model.Stage{model.StageContract, model.StageImplementation, model.StageRenewalExit}, src: src, check: current},
		rule{id: "exit_decided", leaving: []model.Stage{model.StageRenewalExit}, src: src, check: decided},
		rule{id: "exit_plan_evidenced", leaving: []model.Stage{model.StageRenewalExit}, src: src, multi: exitPlan},
	}
}

type rule struct {
	id      string
	leaving []model.Stage
	src     Source
	check   func(f *Facts) lifecycle.Result
	multi   func(f *Facts) []lifecycle.Result
}

func (r rule) ID() string { return r.id }

func (r rule) Guards(s model.Stage) bool {
	for _, x := range r.leaving {
		if x == s {
			return true
		}
	}
	return false
}

func (r rule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	rs, err := r.CheckEach(ctx, sub)
	if err != nil || len(rs) == 0 {
		return lifecycle.Result{Passed: true}, err
	}
	for _, x := range rs {
		if !x.Passed {
			return x, nil
		}
	}
	return rs[0], nil
}

func (r rule) CheckEach(ctx context.Context, sub lifecycle.Subject) ([]lifecycle.Result, error) {
	f, err := r.src.ContractFacts(ctx, sub.Purchase.ID)
	if err != nil {
		return nil, err
	}
	if r.multi != nil {
		rs := r.multi(f)
		for i := range rs {
			if rs[i].Rule == "" {
				rs[i].Rule = r.id
			}
		}
		return rs, nil
	}
	res := r.check(f)
	res.Rule = r.id
	return []lifecycle.Result{res}, nil
}

func ok(title, msg string) lifecycle.Result {
	return lifecycle.Result{Title: title, Passed: true, Message: msg}
}

func fail(title, msg string, args ...any) lifecycle.Result {
	return lifecycle.Result{Title: title, Message: msg, Args: args}
}

func recorded(f *Facts) lifecycle.Result {
	if f.Contract == nil {
		return fail("contract.gate.recorded", "contract.gate.not_recorded")
	}
	return ok("contract.gate.recorded", "gate.ok")
}

// signed passes when every safeguard the tender pack chose is in the signed
// contract; one result per item dropped or not yet marked, so the approver
// who overrides sees exactly which safeguard is missing.
func signed(title func(string) string) func(f *Facts) []lifecycle.Result {
	return func(f *Facts) []lifecycle.Result {
		if len(f.Chosen) == 0 {
			return []lifecycle.Result{ok("contract.gate.safeguards", "gate.not_applicable")}
		}
		var out []lifecycle.Result
		for _, id := range f.Chosen {
			sg, marked := f.Safeguards[id]
			switch {
			case !marked:
				out = append(out, lifecycle.Result{Rule: "safeguards_signed:" + id, Title: "contract.gate.safeguards", Message: "contract.gate.unmarked", Args: []any{title(id)}})
			case !sg.Signed:
				out = append(out, lifecycle.Result{Rule: "safeguards_signed:" + id, Title: "contract.gate.safeguards", Message: "contract.gate.dropped", Args: []any{title(id)}})
			}
		}
		if len(out) == 0 {
			out = append(out, ok("contract.gate.safeguards", "contract.gate.all_signed"))
		}
		return out
	}
}

// current fails while an amendment that widens the contract is newer than
// the screening: the risks were judged for a narrower contract.
func current(f *Facts) lifecycle.Result {
	if f.LastWidening == nil {
		return ok("contract.gate.current", "gate.not_applicable")
	}
	if f.ScreenedAt.IsZero() || f.ScreenedAt.Before(f.LastWidening.CreatedAt) {
		return fail("contract.gate.current", "contract.gate.rescreen", f.LastWidening.Number)
	}
	return ok("contract.gate.current", "gate.ok")
}

func decided(f *Facts) lifecycle.Result {
	if !f.ExitDecided {
		return fail("contract.gate.decided", "contract.gate.no_exit_decision")
	}
	return ok("contract.gate.decided", "gate.ok")
}

func exitPlan(f *Facts) []lifecycle.Result {
	missing := f.Exit.Missing()
	if len(missing) == 0 {
		return []lifecycle.Result{ok("contract.gate.exit", "gate.ok")}
	}
	var out []lifecycle.Result
	for _, m := range missing {
		out = append(out, lifecycle.Result{Rule: "exit_plan_evidenced:" + m[len("contract.exit."):], Title: "contract.gate.exit", Message: m})
	}
	return out
}
