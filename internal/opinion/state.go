package opinion

import (
	"sort"
	"time"

	"buyright/internal/catalog"
	"buyright/internal/evidence"
	"buyright/internal/model"
)

// Facts is what the store reads about one purchase for its opinions.
type Facts struct {
	Level     int                           // screened impact level, 0 when not screened
	Rules     []Rule                        // rules in force of the bodies whose remit covers the purchase's body
	Opinions  []Opinion                     // every opinion on the purchase, oldest first
	Decisions map[int64]*Decision           // decisions to go on, by opinion id
	Entered   map[model.Stage]time.Time     // when the purchase last reached each stage
	Evidence  map[string]*evidence.Evidence // the newest record for each condition (OPN-...)
}

// State is where one body's opinion for one gate stands.
type State string

const (
	Awaiting State = "awaiting" // asked for; its time has not run out (or not started)
	Overdue  State = "overdue"  // asked for; its time ran out and nothing is recorded yet
	// Proceeded is an unfavourable opinion after which the accountable
	// head decided to go on.
	Proceeded State = "proceeded"
)

// Standing is one oversight body's opinion for the gate into Before: asked
// for by a rule or not, and the newest opinion it gave.
type Standing struct {
	OrgID    int64
	OrgName  string
	Before   model.Stage
	Asked    bool       // a rule of the body asks for the opinion
	Due      model.Date // its time limit; zero while the clock has not started
	Opinion  *Opinion   // the body's newest for the gate (NotGiven included); nil when none
	Decision *Decision  // the accountable head's decision on Opinion, if any
}

// State says where the standing is on day today.
func (s *Standing) State(today model.Date) State {
	switch {
	case s.Opinion != nil && s.Opinion.Verdict == Unfavourable && s.Decision != nil:
		return Proceeded
	case s.Opinion != nil:
		return State(s.Opinion.Verdict)
	case !s.Due.IsZero() && s.Due.Before(today):
		return Overdue
	}
	return Awaiting
}

// Holds reports whether the standing keeps the purchase from moving into
// Before on day today: an opinion asked for and still awaited, or an
// unfavourable one with no decision to go on. Neither can be overridden
// by an approver.
func (s *Standing) Holds(today model.Date) bool {
	st := s.State(today)
	return st == Awaiting || st == State(Unfavourable)
}

// Standings lists, for the gate into before, every body that a rule
// makes give an opinion on p or that gave one, by body name. When several
// of a body's rules ask, the longest time limit counts: the body set each
// and may take the time it gave itself.
func (f *Facts) Standings(p *model.Purchase, before model.Stage) []Standing {
	by := map[int64]*Standing{}
	get := func(id int64, name string) *Standing {
		if s, ok := by[id]; ok {
			return s
		}
		s := &Standing{OrgID: id, OrgName: name, Before: before}
		by[id] = s
		return s
	}
	for i := range f.Rules {
		r := &f.Rules[i]
		if r.Before != before || !r.Applies(p, f.Level) {
			continue
		}
		s := get(r.OrgID, r.OrgName)
		s.Asked = true
		if at, ok := f.Entered[r.Gate()]; ok {
			if d := r.DueDate(at); s.Due.Before(d) {
				s.Due = d
			}
		}
	}
	for i := range f.Opinions {
		o := &f.Opinions[i]
		if o.Before == before {
			get(o.OrgID, o.OrgName).Opinion = o // oldest first: the newest stays
		}
	}
	out := make([]Standing, 0, len(by))
	for _, s := range by {
		if s.Opinion != nil {
			s.Decision = f.Decisions[s.Opinion.ID]
		}
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].OrgName != out[j].OrgName {
			return out[i].OrgName < out[j].OrgName
		}
		return out[i].OrgID < out[j].OrgID
	})
	return out
}

// InForce returns each body's newest opinion for each gate, leaving out
// records of an opinion not given: the opinions that count now.
func (f *Facts) InForce() []*Opinion {
	type key struct {
		org    int64
		before model.Stage
	}
	newest := map[key]*Opinion{}
	for i := range f.Opinions {
		o := &f.Opinions[i]
		newest[key{o.OrgID, o.Before}] = o
	}
	var out []*Opinion
	for i := range f.Opinions {
		o := &f.Opinions[i]
		if newest[key{o.OrgID, o.Before}] == o && o.Verdict != NotGiven {
			out = append(out, o)
		}
	}
	return out
}

// Superseded reports whether a later opinion of the same body for the
// same gate took o's place.
func (f *Facts) Superseded(o *Opinion) bool {
	for i := range f.Opinions {
		x := &f.Opinions[i]
		if x.Supersedes == o.ID {
			return true
		}
	}
	return false
}

// ConditionStatus is one condition of an opinion in force and how it is
// met.
type ConditionStatus struct {
	ID        string // OPN-<opinion>-<n>
	Opinion   *Opinion
	Condition Condition
	evidence.Status
}

// ConditionStatuses lists the conditions of the opinions in force in
// lifecycle order of their gates, each with how it stands. A condition is
// met only by a file, a link or a statement someone vouched for: the
// buying body's approver cannot declare the body's condition not
// applicable (it may still override the gate with a reason, which the
// oversight body sees).
func (f *Facts) ConditionStatuses() []ConditionStatus {
	var out []ConditionStatus
	for _, o := range f.InForce() {
		if o.Verdict != Conditional {
			continue
		}
		for _, c := range o.Conditions {
			id := RequirementID(o.ID, c.N)
			ev := f.Evidence[id]
			if ev != nil && ev.Kind == evidence.NotApplicable {
				ev = nil
			}
			st := evidence.Of(&catalog.Item{ID: id, Kind: "requirement"}, &evidence.Facts{Evidence: map[string]*evidence.Evidence{id: ev}})
			out = append(out, ConditionStatus{ID: id, Opinion: o, Condition: c, Status: st})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Condition.Before.Index() < out[j].Condition.Before.Index()
	})
	return out
}
