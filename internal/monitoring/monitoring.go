// Package monitoring holds what a public body watches once a purchased
// system is in use: indicators with targets and thresholds, measurements
// per period (and per group of people), outcome counts of automated
// decisions by group with their disparity ratio, and incidents. It has no
// storage; internal/store saves these and internal/web shows them.
package monitoring

import (
	"math"
	"sort"
	"strings"
	"time"

	"buyright/internal/model"
)

// Indicator is one thing a purchase's monitoring plan measures.
type Indicator struct {
	ID         int64
	PurchaseID int64
	CatalogID  string // the catalogue indicator it comes from, or "" for the body's own
	Title      string
	Unit       string
	Direction  string   // higher or lower: which way is better
	Target     *float64 // what the body aims for
	Threshold  *float64 // beyond it the body must act
	ByGroup    bool
	Mitigation string // the assessment mitigation it checks, if any
}

// Units an indicator may be measured in.
var Units = []string{"percent", "count", "days", "hours", "ratio", "score"}

// Validate checks an indicator before it is saved.
func (i *Indicator) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	i.Title, i.Mitigation = model.CleanLine(i.Title), model.CleanLine(i.Mitigation)
	if i.Title == "" {
		fe.Add("title", "invalid.required")
	} else if model.TooLong(i.Title, 300) {
		fe.Add("title", "invalid.too_long")
	}
	ok := false
	for _, u := range Units {
		ok = ok || u == i.Unit
	}
	if !ok {
		fe.Add("unit", "invalid.choice")
	}
	if i.Direction != "higher" && i.Direction != "lower" {
		fe.Add("direction", "invalid.choice")
	}
	if i.Unit == "percent" {
		for f, v := range map[string]*float64{"target": i.Target, "threshold": i.Threshold} {
			if v != nil && (*v < 0 || *v > 100) {
				fe.Add(f, "monitoring.err.percent")
			}
		}
	}
	return fe
}

// Breached reports whether a value is on the wrong side of the threshold.
func (i *Indicator) Breached(v float64) bool {
	if i.Threshold == nil {
		return false
	}
	if i.Direction == "higher" {
		return v < *i.Threshold
	}
	return v > *i.Threshold
}

// Measurement is one value of an indicator for a period (and a group).
type Measurement struct {
	ID          int64
	IndicatorID int64
	Period      model.Date // the first day of the period measured
	Group       string     // "" when not by group
	Value       float64
	Source      string // form or csv
	EnteredBy   string
	CreatedAt   time.Time
}

// GroupOutcome is how many people of a group an automated decision system
// decided on in a period, and how many of them got the favourable outcome
// (benefit granted, not flagged for fraud, passed the gate).
type GroupOutcome struct {
	Period     model.Date
	Group      string
	Favourable int
	Total      int
}

// GroupRate is a group's rate of favourable outcomes.
type GroupRate struct {
	Group      string
	Favourable int
	Total      int
	Rate       float64
	Ratio      float64 // rate / the highest group's rate
	Flagged    bool    // under four fifths of the highest rate
}

// Disparity compares groups' favourable-outcome rates in one period.
type Disparity struct {
	Period  model.Date
	Groups  []GroupRate // by rate, lowest first
	Ratio   float64     // lowest rate / highest rate
	Valid   bool        // at least two groups with decisions and a non-zero highest rate
	Flagged bool        // some group is under four fifths of the highest rate
}

// FourFifths is the ratio under which a group's rate is flagged: the
// four-fifths rule of thumb for adverse impact. It is a screening signal
// to look closer, not a legal test of discrimination.
const FourFifths = 0.8

// ComputeDisparity compares the groups of one period. Groups with no
// decisions have no rate and are left out.
func ComputeDisparity(period model.Date, rows []GroupOutcome) Disparity {
	d := Disparity{Period: period}
	best := 0.0
	for _, r := range rows {
		if r.Total <= 0 || r.Favourable < 0 || r.Favourable > r.Total {
			continue
		}
		g := GroupRate{Group: r.Group, Favourable: r.Favourable, Total: r.Total, Rate: float64(r.Favourable) / float64(r.Total)}
		best = math.Max(best, g.Rate)
		d.Groups = append(d.Groups, g)
	}
	sort.SliceStable(d.Groups, func(i, j int) bool { return d.Groups[i].Rate < d.Groups[j].Rate })
	if len(d.Groups) < 2 || best == 0 {
		return d
	}
	d.Valid = true
	for i := range d.Groups {
		g := &d.Groups[i]
		g.Ratio = g.Rate / best
		g.Flagged = g.Ratio < FourFifths
		d.Flagged = d.Flagged || g.Flagged
	}
	d.Ratio = d.Groups[0].Ratio
	return d
}

// Severities of an incident.
var Severities = []string{"low", "medium", "high", "critical"}

// Incident is something that went wrong with the system or service.
type Incident struct {
	ID         int64
	PurchaseID int64
	OccurredOn model.Date
	Severity   string
	What       string
	Affected   string // who and how many were affected
	Action     string // what was done about it
	ReportedTo string // oversight body, data-protection authority...
	CreatedBy  string
	CreatedAt  time.Time
}

// Validate checks an incident before it is saved.
func (x *Incident) Validate(today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	x.What, x.Affected, x.Action, x.ReportedTo = model.CleanText(x.What), model.CleanText(x.Affected), model.CleanText(x.Action), model.CleanLine(x.ReportedTo)
	if x.OccurredOn.IsZero() {
		fe.Add("occurred_on", "invalid.required")
	} else if today.Before(x.OccurredOn) {
		fe.Add("occurred_on", "contract.err.future")
	}
	ok := false
	for _, s := range Severities {
		ok = ok || s == x.Severity
	}
	if !ok {
		fe.Add("severity", "invalid.choice")
	}
	if x.What == "" {
		fe.Add("what", "invalid.required")
	}
	for f, v := range map[string]string{"what": x.What, "affected": x.Affected, "action": x.Action} {
		if model.TooLong(v, 8000) {
			fe.Add(f, "invalid.too_long")
		}
	}
	if model.TooLong(x.ReportedTo, 300) {
		fe.Add("reported_to", "invalid.too_long")
	}
	return fe
}

// cleanGroup tidies a group label as typed or read from a file.
func cleanGroup(s string) string { return strings.Join(strings.Fields(model.CleanLine(s)), " ") }
