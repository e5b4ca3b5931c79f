// Package retention holds the retention schedule's bounds: for each kind of
// record buyright deletes on schedule, the fewest and most days a site
// administrator may choose, the default, and the references that justify
// them. The bounds are catalogue data (schedule.yaml), so a lawyer can read
// and change them without reading Go.
package retention

import (
	"bytes"
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed schedule.yaml
var scheduleYAML []byte

// Basis is one reason for a bound.
type Basis struct {
	Ref   string `yaml:"ref"`
	URL   string `yaml:"url"`
	Note  string `yaml:"note"`  // i18n key retention.basis.NOTE
	Check bool   `yaml:"check"` // to be confirmed for the installation's country
}

// Kind is a kind of record deleted (or erased) on schedule.
type Kind struct {
	ID      string  `yaml:"id"`
	From    string  `yaml:"from"` // the event the days count from
	Min     int     `yaml:"min_days"`
	Default int     `yaml:"default_days"`
	Max     int     `yaml:"max_days"`
	Bases   []Basis `yaml:"bases"`
}

// Fixed is a kind of record the schedule names but does not set: why it
// is kept (or deleted) otherwise.
type Fixed struct {
	ID    string `yaml:"id"`
	Note  string `yaml:"note"`
	Ref   string `yaml:"ref"`
	URL   string `yaml:"url"`
	Check bool   `yaml:"check"`
}

// Schedule is the whole catalogue.
type Schedule struct {
	Kinds []Kind  `yaml:"kinds"`
	Fixed []Fixed `yaml:"fixed"`
}

// The kinds the deletion job knows; the catalogue may not name others.
const (
	Outbox               = "outbox"
	ComplaintIdentity    = "complaint_identity"
	ComplaintFiles       = "complaint_files"
	ConsultationIdentity = "consultation_identity"
)

var known = map[string]string{
	Outbox:               "sent_or_given_up",
	ComplaintIdentity:    "complaint_closed",
	ComplaintFiles:       "complaint_closed",
	ConsultationIdentity: "consultation_reported",
}

// Default is the built-in schedule.
var Default = mustParse(scheduleYAML)

func mustParse(b []byte) *Schedule {
	s, err := Parse(b)
	if err != nil {
		panic("retention: built-in schedule: " + err.Error())
	}
	return s
}

// Parse reads and checks a schedule: known kinds, each once, counted from
// the event the job counts from, with 0 < min ≤ default ≤ max and at least
// one basis.
func Parse(b []byte) (*Schedule, error) {
	var s Schedule
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("retention schedule: %v", err)
	}
	seen := map[string]bool{}
	for i, k := range s.Kinds {
		where := fmt.Sprintf("retention schedule: kinds[%d] (%s)", i, k.ID)
		from, ok := known[k.ID]
		switch {
		case !ok:
			return nil, fmt.Errorf("%s: unknown kind", where)
		case seen[k.ID]:
			return nil, fmt.Errorf("%s: listed twice", where)
		case k.From != from:
			return nil, fmt.Errorf("%s: from must be %s", where, from)
		case k.Min < 1 || k.Min > k.Default || k.Default > k.Max:
			return nil, fmt.Errorf("%s: need 1 ≤ min_days (%d) ≤ default_days (%d) ≤ max_days (%d)", where, k.Min, k.Default, k.Max)
		case len(k.Bases) == 0:
			return nil, fmt.Errorf("%s: no basis given", where)
		}
		for j, b := range k.Bases {
			if b.Ref == "" || b.Note == "" {
				return nil, fmt.Errorf("%s: bases[%d] needs ref and note", where, j)
			}
		}
		seen[k.ID] = true
	}
	for id := range known {
		if !seen[id] {
			return nil, fmt.Errorf("retention schedule: kind %s missing", id)
		}
	}
	for i, f := range s.Fixed {
		if f.ID == "" || f.Note == "" || seen[f.ID] {
			return nil, fmt.Errorf("retention schedule: fixed[%d] (%s): needs a new id and a note", i, f.ID)
		}
		seen[f.ID] = true
	}
	return &s, nil
}

// Kind returns the kind with this id.
func (s *Schedule) Kind(id string) (Kind, bool) {
	for _, k := range s.Kinds {
		if k.ID == id {
			return k, true
		}
	}
	return Kind{}, false
}

// OutOfBounds is a setting refused, with the bound it crossed.
type OutOfBounds struct {
	Kind  string
	Days  int
	Bound int
	Below bool // below the minimum (else above the maximum)
}

func (e *OutOfBounds) Error() string {
	if e.Below {
		return fmt.Sprintf("%s: %d days is below the minimum of %d days", e.Kind, e.Days, e.Bound)
	}
	return fmt.Sprintf("%s: %d days is above the maximum of %d days", e.Kind, e.Days, e.Bound)
}

// ParseDays reads a number of days for a kind as typed in a form or on the
// command line, and checks it against the kind's bounds. An error is
// *OutOfBounds when the number was read but refused.
func (s *Schedule) ParseDays(kind, text string) (int, error) {
	k, ok := s.Kind(kind)
	if !ok {
		return 0, fmt.Errorf("unknown kind of record %q", kind)
	}
	text = strings.TrimSpace(text)
	n, err := strconv.Atoi(text)
	if err != nil || len(text) > 6 {
		return 0, fmt.Errorf("%s: %q is not a whole number of days", kind, text)
	}
	switch {
	case n < k.Min:
		return 0, &OutOfBounds{Kind: kind, Days: n, Bound: k.Min, Below: true}
	case n > k.Max:
		return 0, &OutOfBounds{Kind: kind, Days: n, Bound: k.Max}
	}
	return n, nil
}
