// Package firewall is the record that keeps a relationship's data from
// uses it was not shared for: each rule names the data, the purposes and
// the parties it is barred from, and the technical and contractual
// barriers that stop it; each incident is a time a barrier failed. The
// concern comes from the pandemic partnerships (IGF 2020): data gathered
// for public health must not flow to policing, to other parts of the State
// or to the company's own products.
package firewall

import (
	"time"

	"buyright/internal/model"
)

// Rule is one barrier around a relationship's data.
type Rule struct {
	ID            int64
	PurchaseID    int64
	Data          string // which data
	BarredUses    string // purposes it may not be used for
	BarredParties string // who may not use or receive it
	Technical     string // technical barriers (separate systems, keys, access control)
	Contractual   string // contractual barriers (clauses, penalties, audit rights)
	Audit         string // how and how often the barriers are checked
	CreatedBy     string
	CreatedAt     time.Time
}

// Barrier is which kind of barrier failed.
type Barrier string

const (
	Technical   Barrier = "technical"
	Contractual Barrier = "contractual"
	Both        Barrier = "both"
)

// Barriers lists the kinds a form offers.
var Barriers = []Barrier{Technical, Contractual, Both}

// Incident is a time a barrier failed: data reached a use or a party a
// rule bars. Each opens a task for the body, which oversight sees.
type Incident struct {
	ID          int64
	PurchaseID  int64
	RuleID      int64 // the rule breached, 0 when none fits
	OccurredOn  model.Date
	FoundOn     model.Date
	Barrier     Barrier
	What        string // what happened
	DataReached string // which data reached whom
	People      int    // how many people's data, as a count
	Action      string // what was done about it
	TaskID      int64
	TaskOpen    bool
	ReportedOrg string
	ReportedBy  string
	ReportedAt  time.Time
}

// Size limits, in characters.
const (
	maxShort = 2000
	maxLong  = 8000
)

// Validate cleans a rule and reports its problems by form field.
func (r *Rule) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"data", &r.Data, maxShort}, {"barred_uses", &r.BarredUses, maxLong}, {"barred_parties", &r.BarredParties, maxLong},
		{"technical", &r.Technical, maxLong}, {"contractual", &r.Contractual, maxLong}, {"audit", &r.Audit, maxLong}} {
		*f.v = model.CleanText(*f.v)
		if model.TooLong(*f.v, f.max) {
			fe.Add(f.name, "invalid.too_long")
		}
	}
	if r.Data == "" {
		fe.Add("data", "invalid.required")
	}
	// A rule that bars nothing, or stops nothing, is not a firewall.
	if r.BarredUses == "" && r.BarredParties == "" {
		fe.Add("barred_uses", "firewall.err.nothing_barred")
	}
	if r.Technical == "" && r.Contractual == "" {
		fe.Add("technical", "firewall.err.no_barrier")
	}
	return fe
}

// Validate cleans an incident and reports its problems by form field;
// today bounds the dates, which cannot be in the future.
func (in *Incident) Validate(today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	for _, f := range []struct {
		name string
		v    *string
	}{{"what", &in.What}, {"data_reached", &in.DataReached}, {"action_taken", &in.Action}} {
		*f.v = model.CleanText(*f.v)
		if model.TooLong(*f.v, maxLong) {
			fe.Add(f.name, "invalid.too_long")
		}
	}
	if in.What == "" {
		fe.Add("what", "invalid.required")
	}
	switch in.Barrier {
	case Technical, Contractual, Both:
	default:
		fe.Add("barrier", "invalid.choice")
	}
	switch {
	case in.OccurredOn.IsZero():
		fe.Add("occurred_on", "invalid.required")
	case today.Before(in.OccurredOn):
		fe.Add("occurred_on", "nexus.err.future")
	}
	switch {
	case in.FoundOn.IsZero():
		fe.Add("found_on", "invalid.required")
	case today.Before(in.FoundOn):
		fe.Add("found_on", "nexus.err.future")
	case !in.OccurredOn.IsZero() && in.FoundOn.Before(in.OccurredOn):
		fe.Add("found_on", "firewall.err.found_before")
	}
	if in.People < 0 || in.People > 1_000_000_000 {
		fe.Add("people", "nexus.err.count")
	}
	return fe
}
