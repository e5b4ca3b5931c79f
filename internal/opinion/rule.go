package opinion

import (
	"time"

	"buyright/internal/model"
)

// Rule is an oversight body's standing request: the purchases of the
// bodies in its remit that match it need the body's opinion before they
// move into stage Before, and the body gives it within Days of the
// purchase reaching the stage before that one. Every criterion left empty
// matches every purchase, so "every level IV purchase before tender
// design" is {MinLevel: 4, Before: tender_design} and "every biometric
// system" is {Technology: biometrics}.
type Rule struct {
	ID         int64
	OrgID      int64 // the oversight body
	OrgName    string
	MinLevel   int // the screened impact level from which it applies, 1-4; 0 for any
	Technology model.Technology
	Sector     model.Sector
	Before     model.Stage
	Days       int
	ByName     string
	At         time.Time
	RetiredAt  time.Time // zero while in force
	RetiredBy  string
}

// MaxDays is the longest time limit a rule may set: a year.
const MaxDays = 365

// Validate checks a rule before it is stored, by form field.
func (r *Rule) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	if r.MinLevel < 0 || r.MinLevel > 4 {
		fe.Add("min_level", "invalid.choice")
	}
	if r.Technology != "" && !oneOf(r.Technology, model.Technologies) {
		fe.Add("technology", "invalid.choice")
	}
	if r.Sector != "" && !oneOf(r.Sector, model.Sectors) {
		fe.Add("sector", "invalid.choice")
	}
	// The first stage has no gate into it, and nothing is decided on the
	// way into "closed" that an oversight body could still change.
	if r.Before.Index() <= 0 || r.Before == model.StageClosed {
		fe.Add("before", "invalid.choice")
	}
	if r.Days < 1 || r.Days > MaxDays {
		fe.Add("days", "opinion.days_range")
	}
	return fe
}

// Retired reports whether the body withdrew the rule.
func (r *Rule) Retired() bool { return !r.RetiredAt.IsZero() }

// Gate is the stage whose exit the rule holds.
func (r *Rule) Gate() model.Stage { return GateOf(r.Before) }

// Applies reports whether the rule asks for an opinion on p, screened at
// impact level (0: not screened, which no level rule matches).
func (r *Rule) Applies(p *model.Purchase, level int) bool {
	if r.Retired() {
		return false
	}
	if r.MinLevel > 0 && level < r.MinLevel {
		return false
	}
	if r.Technology != "" && !p.Has(r.Technology) {
		return false
	}
	return r.Sector == "" || r.Sector == p.Sector
}

// DueDate is the time limit of a rule for a purchase that reached the
// rule's gate stage at entered. The clock starts at the later of that and
// the rule's own start: a body cannot be late for what it had not yet
// asked for.
func (r *Rule) DueDate(entered time.Time) model.Date {
	start := entered
	if r.At.After(start) {
		start = r.At
	}
	return model.DateOf(start).AddDays(r.Days)
}

func oneOf[T comparable](v T, set []T) bool {
	for _, x := range set {
		if x == v {
			return true
		}
	}
	return false
}
