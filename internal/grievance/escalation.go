package grievance

// A complaint the body did not resolve goes to the oversight body: the
// second tier that makes a channel "rights-compatible" and "predictable"
// (UN Guiding Principle 31). The person takes it there with their receipt
// code; the body may refer it itself.

// Grounds for taking a complaint to the oversight body.
const (
	GroundTimeLimit    = "time_limit"   // the body's published time limit passed without an answer
	GroundDissatisfied = "dissatisfied" // the body answered and the person is not satisfied
	GroundReferred     = "referred"     // the body referred the case itself
)

// Grounds the person may choose, in the order the form offers them.
var Grounds = []string{GroundTimeLimit, GroundDissatisfied}

// Who raised an escalation.
const (
	ByComplainant = "complainant"
	ByBody        = "body"
)

// Decisions the oversight body records.
const (
	DecisionUpheld       = "upheld"        // the complaint is well founded: the body must put it right
	DecisionPartlyUpheld = "partly_upheld" // in part
	DecisionNotUpheld    = "not_upheld"    // the body's handling stands
	DecisionReferred     = "referred"      // another body is competent; the decision says which
)

// Decisions in the order the form offers them.
var Decisions = []string{DecisionUpheld, DecisionPartlyUpheld, DecisionNotUpheld, DecisionReferred}

// Upholds reports whether a decision finds the complaint well founded, in
// whole or in part: the body then has something to put right.
func Upholds(decision string) bool {
	return decision == DecisionUpheld || decision == DecisionPartlyUpheld
}

// EscalationAnswerDays is how long the body has to give the oversight body
// its account of an escalated complaint.
const EscalationAnswerDays = 14

// GroundHolds reports whether a ground applies to a case: the time limit
// has passed with no answer, or there is an answer to be dissatisfied
// with. A body's referral is the body's own move.
func GroundHolds(ground string, answered, overdue bool) bool {
	switch ground {
	case GroundTimeLimit:
		return !answered && overdue
	case GroundDissatisfied:
		return answered
	}
	return false
}

// ValidDecision reports whether d is a decision the oversight body can
// record.
func ValidDecision(d string) bool {
	for _, x := range Decisions {
		if x == d {
			return true
		}
	}
	return false
}
