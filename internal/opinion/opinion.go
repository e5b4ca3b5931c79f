// Package opinion is what an oversight body says about a purchase, and
// what that does at the purchase's gates. A body sets, for the public
// bodies in its remit, which purchases need its opinion and how long it
// takes to give one (Rule). It gives an opinion for one gate: favourable,
// favourable with conditions, or unfavourable, with reasons and references.
// An opinion is never changed once given; a later one for the same gate
// takes its place and both stay on record.
//
// At the gate it names, an opinion counts: an unfavourable one holds the
// purchase until the buying body's accountable head records a public,
// reasoned decision to go on; each condition is a requirement of the gate
// it names, met by evidence like any other; an opinion a rule asked for
// holds the gate until it is given or its time runs out, when the gate
// records it as not given and opens.
//
// The package holds the types and their rules; internal/store saves them
// and internal/web shows them. It imports no storage or web package.
package opinion

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"buyright/internal/model"
)

// Verdict is what an opinion concludes.
type Verdict string

const (
	Favourable   Verdict = "favourable"
	Conditional  Verdict = "conditional" // favourable with conditions
	Unfavourable Verdict = "unfavourable"
	// NotGiven records that a body asked for by a rule said nothing by its
	// time limit. buyright writes it; no person issues it.
	NotGiven Verdict = "not_given"
)

// Verdicts lists what a body may issue, in the order a form offers them.
var Verdicts = []Verdict{Favourable, Conditional, Unfavourable}

// Limits on what an opinion holds, so one form cannot fill the database.
const (
	MaxConditions = 20
	maxReasons    = 20000
	maxRefs       = 5000
	maxCondition  = 2000
	// minReasoned is the least a reason must say: a word or two gives a
	// reader nothing to check.
	minReasoned = 20
)

// Condition is something a favourable opinion asks for, to be met before
// the purchase moves into stage Before.
type Condition struct {
	N      int // 1, 2, ... within its opinion
	Text   string
	Before model.Stage
}

// Opinion is an oversight body's opinion on a purchase, given for the gate
// into stage Before. It is recorded once and never changed.
type Opinion struct {
	ID         int64
	PurchaseID int64
	OrgID      int64 // the oversight body
	OrgName    string
	Before     model.Stage
	Verdict    Verdict
	Reasons    string
	References string // one per line: instruments, articles, earlier findings
	Conditions []Condition
	Supersedes int64      // the body's earlier opinion for the same gate, 0 if none
	Due        model.Date // the time limit a rule set, zero when none asked
	By         int64
	ByName     string
	At         time.Time
}

// GateOf is the stage a purchase leaves when it moves into before: the
// gate an opinion or condition for before is checked at.
func GateOf(before model.Stage) model.Stage {
	i := before.Index()
	if i <= 0 {
		return ""
	}
	return model.Stages[i-1]
}

// Gate is the stage whose exit the opinion is given for.
func (o *Opinion) Gate() model.Stage { return GateOf(o.Before) }

// Gate is the stage whose exit the condition is checked at.
func (c Condition) Gate() model.Stage { return GateOf(c.Before) }

// Late reports whether the opinion came after the time limit a rule set.
func (o *Opinion) Late() bool {
	return !o.Due.IsZero() && o.Due.Before(model.DateOf(o.At))
}

// RefList splits the references into lines, without blank ones.
func (o *Opinion) RefList() []string {
	var out []string
	for _, l := range strings.Split(o.References, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// gateAhead reports whether a purchase now in stage cur has still to move
// into before: only a gate ahead can be held by an opinion.
func gateAhead(cur, before model.Stage) bool {
	return cur.Open() && before.Index() > 0 && before.Index() > cur.Index()
}

// Validate checks and normalises an opinion a body is about to issue on a
// purchase now in stage cur, and returns its problems by form field
// (cond_<row> for the condition typed in that row). Blank conditions are
// dropped and the others numbered in order.
func (o *Opinion) Validate(cur model.Stage) model.FieldErrors {
	fe := model.FieldErrors{}
	o.Reasons = model.CleanText(o.Reasons)
	o.References = model.CleanText(o.References)
	switch {
	case !cur.Open():
		fe.Add("before", "opinion.purchase_closed")
	case !o.Before.Valid() || o.Before.Index() <= 0:
		fe.Add("before", "invalid.choice")
	case !gateAhead(cur, o.Before):
		fe.Add("before", "opinion.gate_passed")
	}
	valid := false
	for _, v := range Verdicts {
		valid = valid || v == o.Verdict
	}
	if !valid {
		fe.Add("verdict", "invalid.choice")
	}
	switch n := len([]rune(o.Reasons)); {
	case n == 0:
		fe.Add("reasons", "invalid.required")
	case n < minReasoned:
		fe.Add("reasons", "opinion.reasons_short")
	case n > maxReasons:
		fe.Add("reasons", "invalid.too_long")
	}
	if model.TooLong(o.References, maxRefs) {
		fe.Add("references", "invalid.too_long")
	}
	var kept []Condition
	for i, c := range o.Conditions {
		c.Text = model.CleanText(c.Text)
		if c.Text == "" {
			continue
		}
		c.N = len(kept) + 1
		kept = append(kept, c)
		// Problems name the row as typed, before blank rows are dropped.
		field := "cond_" + strconv.Itoa(i+1)
		switch {
		case model.TooLong(c.Text, maxCondition):
			fe.Add(field, "invalid.too_long")
		case !c.Before.Valid() || c.Before.Index() <= 0:
			fe.Add(field, "opinion.condition_stage")
		case !gateAhead(cur, c.Before):
			fe.Add(field, "opinion.gate_passed")
		}
	}
	o.Conditions = kept
	switch {
	case len(kept) > MaxConditions:
		fe.Add("conditions", "opinion.too_many_conditions")
	case o.Verdict == Conditional && len(kept) == 0:
		fe.Add("conditions", "opinion.conditions_needed")
	case o.Verdict != Conditional && len(kept) > 0 && valid:
		// Conditions on a plain favourable or unfavourable opinion would
		// bind nobody; the body says "favourable with conditions".
		fe.Add("conditions", "opinion.conditions_only_conditional")
	}
	return fe
}

// RequirementID is the id a condition is met under in the evidence
// record and shown at the gate: OPN-<opinion id>-<n>.
func RequirementID(opinionID int64, n int) string {
	return "OPN-" + strconv.FormatInt(opinionID, 10) + "-" + strconv.Itoa(n)
}

// ParseRequirementID reads an id made by RequirementID. It accepts only
// the exact form, so a requirement id in a URL cannot pass for another.
func ParseRequirementID(id string) (opinionID int64, n int, ok bool) {
	rest, found := strings.CutPrefix(id, "OPN-")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(rest, "-")
	if !found || !digits(a) || !digits(b) || len(b) > 3 {
		return 0, 0, false
	}
	opinionID, err := strconv.ParseInt(a, 10, 64)
	if err != nil || opinionID <= 0 {
		return 0, 0, false
	}
	n, _ = strconv.Atoi(b)
	if n <= 0 || n > MaxConditions {
		return 0, 0, false
	}
	return opinionID, n, true
}

// digits reports a non-empty run of ASCII digits with no leading zero.
func digits(s string) bool {
	if s == "" || len(s) > 18 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Decision is the accountable head's public, reasoned decision to go on
// with a purchase although an oversight body's opinion for the gate is
// unfavourable. It is recorded once and never changed.
type Decision struct {
	ID         int64
	OpinionID  int64
	PurchaseID int64
	Reasons    string
	By         int64
	ByName     string
	At         time.Time
}

// Validate checks the decision's reasons.
func (d *Decision) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	d.Reasons = model.CleanText(d.Reasons)
	switch n := len([]rune(d.Reasons)); {
	case n == 0:
		fe.Add("decision", "invalid.required")
	case n < minReasoned:
		fe.Add("decision", "opinion.reasons_short")
	case n > maxReasons:
		fe.Add("decision", "invalid.too_long")
	}
	return fe
}

// String names the opinion in logs and audit rows.
func (o *Opinion) String() string {
	return fmt.Sprintf("opinion %d of %s on purchase %d (%s, before %s)", o.ID, o.OrgName, o.PurchaseID, o.Verdict, o.Before)
}

// Day is the calendar day the opinion was issued (or recorded as not
// given).
func (o *Opinion) Day() model.Date { return model.DateOf(o.At) }

// Day is the calendar day the decision was recorded.
func (d *Decision) Day() model.Date { return model.DateOf(d.At) }
