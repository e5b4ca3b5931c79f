package consultation

import (
	"context"
	"time"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

// RuleID is the id overrides of the consultation gate are stored under.
const RuleID = "consultation_held"

// Waiver is the body's recorded reason for holding no consultation.
type Waiver struct {
	Reason string
	By     string
	At     time.Time
}

// WaiverProblem checks a reason for holding no consultation: it must say
// something a reader can weigh.
func WaiverProblem(reason string) (string, model.FieldErrors) {
	reason = model.CleanText(reason)
	fe := model.FieldErrors{}
	switch {
	case len([]rune(reason)) < 20:
		fe.Add("w_reason", "consult.waiver_short")
	case model.TooLong(reason, 5000):
		fe.Add("w_reason", "invalid.too_long")
	}
	return reason, fe
}

// GateFacts is what the gate looks at, read in one go by the store.
type GateFacts struct {
	Screened bool // a complete screening exists
	Level    int  // its impact level
	Reported int  // consultations whose report is published
	// Closing is the latest deadline of the consultations still open or
	// waiting for their report (zero: none).
	Closing model.Date
	Drafts  int
	Waiver  *Waiver
}

// Source reads the facts of a purchase; the store implements it.
type Source interface {
	ConsultationFacts(ctx context.Context, purchaseID int64) (*GateFacts, error)
}

// Rule is the gate that asks, before the tender of a level III or IV
// purchase is designed (so when it leaves market engagement), for a
// consultation with a published report, or the body's recorded reason for
// holding none. An approver may override it like any other gate: it is
// not hard, because a body may have consulted outside buyright.
func Rule(src Source) lifecycle.Rule { return rule{src} }

type rule struct{ src Source }

func (rule) ID() string                { return RuleID }
func (rule) Guards(s model.Stage) bool { return s == model.StageMarketEngagement }

func (r rule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	res := lifecycle.Result{Title: "consult.gate.title", Passed: true, Message: "gate.ok"}
	f, err := r.src.ConsultationFacts(ctx, sub.Purchase.ID)
	if err != nil {
		return res, err
	}
	return Judge(f, sub.Today), nil
}

// Judge is the gate's verdict on the facts, on day today.
func Judge(f *GateFacts, today model.Date) lifecycle.Result {
	res := lifecycle.Result{Rule: RuleID, Title: "consult.gate.title", Passed: true}
	switch {
	case !f.Screened || f.Level < 3:
		res.Message = "gate.not_applicable"
	case f.Reported > 0:
		res.Message, res.Args = "consult.gate.reported", []any{f.Reported}
	case f.Waiver != nil:
		res.Message, res.Args = "consult.gate.waived", []any{f.Waiver.Reason, f.Waiver.By, f.Waiver.At.UTC().Format("2006-01-02")}
	case !f.Closing.IsZero() && !f.Closing.Before(today):
		res.Passed, res.Message, res.Args = false, "consult.gate.open", []any{f.Closing.String()}
	case !f.Closing.IsZero():
		res.Passed, res.Message = false, "consult.gate.no_report"
	case f.Drafts > 0:
		res.Passed, res.Message = false, "consult.gate.draft"
	default:
		res.Passed, res.Message = false, "consult.gate.missing"
	}
	return res
}
