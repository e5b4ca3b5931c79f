package contract

import (
	"time"

	"buyright/internal/model"
)

// Kinds of review.
const (
	KindReview  = "review"  // a scheduled review of the system in use
	KindSunset  = "sunset"  // an emergency measure reaching its sunset date
	KindRenewal = "renewal" // the decision to renew or to exit
)

// Outcomes of a held review.
const (
	OutcomeContinue = "continue" // keep going as is
	OutcomeChange   = "change"   // keep going with changes (findings say which)
	OutcomeSuspend  = "suspend"  // stop using the system until fixed
	OutcomeRenew    = "renew"    // renewal: extend the contract
	OutcomeExit     = "exit"     // renewal or sunset: end and leave
)

// Kinds lists the review kinds in the order forms offer them.
var Kinds = []string{KindReview, KindSunset, KindRenewal}

// OutcomesFor lists the outcomes a review of the kind may have: a renewal
// ends in renew or exit; a sunset cannot renew the measure silently.
func OutcomesFor(kind string) []string {
	switch kind {
	case KindRenewal:
		return []string{OutcomeRenew, OutcomeExit}
	case KindSunset:
		return []string{OutcomeExit, OutcomeSuspend}
	}
	return []string{OutcomeContinue, OutcomeChange, OutcomeSuspend, OutcomeExit}
}

// Review is a scheduled review and, once held, its result.
type Review struct {
	ID         int64
	PurchaseID int64
	Kind       string
	DueOn      model.Date
	HeldOn     model.Date
	Outcome    string
	Findings   string
	Evidence   string // the monitoring evidence the decision rests on
	NewEndsOn  model.Date
	CreatedBy  string
	DecidedBy  string
	DecidedAt  time.Time
}

// Held reports whether the review took place.
func (r Review) Held() bool { return r.Outcome != "" }

// Overdue reports whether the review should have been held by today.
func (r Review) Overdue(today model.Date) bool { return !r.Held() && r.DueOn.Before(today) }

// Renewal is what a decision to renew rests on, read by the store.
type Renewal struct {
	ScreenedAt    time.Time // zero: never screened
	Measurements  int       // monitoring results recorded in the last year
	LastWidening  time.Time // the last amendment that widened the contract
	ContractSince time.Time // when the contract record was first saved
}

// ValidateDecision checks the outcome of a review against its kind and,
// for a renewal, against the evidence good practice asks for: a
// screening done for this renewal (after the review was scheduled) and
// monitoring results, so a contract is not renewed on habit.
func (r *Review) ValidateDecision(today model.Date, f Renewal) model.FieldErrors {
	fe := model.FieldErrors{}
	r.Findings, r.Evidence = model.CleanText(r.Findings), model.CleanText(r.Evidence)
	ok := false
	for _, o := range OutcomesFor(r.Kind) {
		ok = ok || o == r.Outcome
	}
	if !ok {
		fe.Add("outcome", "invalid.choice")
	}
	if r.HeldOn.IsZero() {
		fe.Add("held_on", "invalid.required")
	} else if today.Before(r.HeldOn) {
		fe.Add("held_on", "contract.err.future")
	}
	if r.Findings == "" {
		fe.Add("findings", "invalid.required")
	}
	if model.TooLong(r.Findings, 8000) || model.TooLong(r.Evidence, 8000) {
		fe.Add("findings", "invalid.too_long")
	}
	if r.Outcome == OutcomeRenew {
		if r.Evidence == "" {
			fe.Add("evidence", "contract.err.evidence_needed")
		}
		if f.Measurements == 0 {
			fe.Add("evidence", "contract.err.no_measurements")
		}
		if f.ScreenedAt.IsZero() || !f.ScreenedAt.After(r.scheduledAt()) || (!f.LastWidening.IsZero() && f.ScreenedAt.Before(f.LastWidening)) {
			fe.Add("outcome", "contract.err.fresh_screening")
		}
		if r.NewEndsOn.IsZero() {
			fe.Add("new_ends_on", "contract.err.new_end_needed")
		}
	}
	return fe
}

// scheduledAt is when the renewal came up: a screening must be newer.
// Screenings done in the 90 days before the due date also count, so a body
// can prepare the renewal ahead of it.
func (r *Review) scheduledAt() time.Time { return r.DueOn.AddDays(-90).Time() }

// ExitPlan is how the body leaves the contract without harm: the data
// returned and deleted, and the service handed over or ended.
type ExitPlan struct {
	PurchaseID int64
	DataReturn string // what data comes back, in which format, to whom
	Deletion   string // what the supplier deletes and how it proves it
	Transition string // how people keep the service (or are told it ends)
	ReturnedOn model.Date
	DeletedOn  model.Date
	Evidence   int // documents attached as evidence
	Rev        int64
	UpdatedBy  string
	UpdatedAt  time.Time
}

// Validate returns what is wrong with the plan, by form field.
func (e *ExitPlan) Validate(today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	e.DataReturn, e.Deletion, e.Transition = model.CleanText(e.DataReturn), model.CleanText(e.Deletion), model.CleanText(e.Transition)
	for f, v := range map[string]string{"data_return": e.DataReturn, "deletion": e.Deletion, "transition": e.Transition} {
		if model.TooLong(v, 8000) {
			fe.Add(f, "invalid.too_long")
		}
	}
	if !e.ReturnedOn.IsZero() && today.Before(e.ReturnedOn) {
		fe.Add("returned_on", "contract.err.future")
	}
	if !e.DeletedOn.IsZero() && today.Before(e.DeletedOn) {
		fe.Add("deleted_on", "contract.err.future")
	}
	return fe
}

// Missing lists what the plan still lacks before the purchase may close,
// as translation keys.
func (e *ExitPlan) Missing() []string {
	if e == nil {
		e = &ExitPlan{}
	}
	var out []string
	if e.DataReturn == "" || e.Deletion == "" || e.Transition == "" {
		out = append(out, "contract.exit.missing_plan")
	}
	if e.ReturnedOn.IsZero() {
		out = append(out, "contract.exit.missing_returned")
	}
	if e.DeletedOn.IsZero() {
		out = append(out, "contract.exit.missing_deleted")
	}
	if e.Evidence == 0 {
		out = append(out, "contract.exit.missing_evidence")
	}
	return out
}
