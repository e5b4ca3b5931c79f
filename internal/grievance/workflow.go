package grievance

// Status is where a complaint is in the body's handling.
type Status string

const (
	Received     Status = "received"
	Acknowledged Status = "acknowledged"
	UnderReview  Status = "under_review"
	Answered     Status = "answered"
	Closed       Status = "closed"
	Escalated    Status = "escalated" // sent to the oversight body
)

// Statuses in workflow order.
var Statuses = []Status{Received, Acknowledged, UnderReview, Answered, Closed, Escalated}

// next lists the moves a body may make from each status. Escalation is
// possible until the case is closed; an answered case may be reopened.
var next = map[Status][]Status{
	Received:     {Acknowledged, UnderReview, Answered, Escalated},
	Acknowledged: {UnderReview, Answered, Escalated},
	UnderReview:  {Answered, Escalated},
	Answered:     {UnderReview, Closed, Escalated},
	Escalated:    {Answered, Closed},
	Closed:       nil,
}

// Next returns the statuses a case may move to from s.
func Next(s Status) []Status { return next[s] }

// CanMove reports whether from → to is allowed.
func CanMove(from, to Status) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Outcome is what the body concluded, for public statistics.
type Outcome string

const (
	Upheld       Outcome = "upheld"
	PartlyUpheld Outcome = "partly_upheld"
	NotUpheld    Outcome = "not_upheld"
	Withdrawn    Outcome = "withdrawn"
)

var Outcomes = []Outcome{Upheld, PartlyUpheld, NotUpheld, Withdrawn}

// ValidOutcome reports whether o is known (or empty).
func ValidOutcome(o Outcome) bool {
	if o == "" {
		return true
	}
	for _, x := range Outcomes {
		if x == o {
			return true
		}
	}
	return false
}
