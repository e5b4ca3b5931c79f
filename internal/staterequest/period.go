package staterequest

import (
	"fmt"
	"strconv"
	"time"

	"buyright/internal/model"
)

// Period is a calendar half-year, the only span reports are published for.
// Fixed, non-overlapping spans matter for suppression: if a year were
// published beside its two halves, a small half could be had by
// subtracting the other half from the year.
type Period struct {
	Year int
	Half int // 1: January to June, 2: July to December
}

// ParsePeriod reads "2026-H1" or "2026-H2".
func ParsePeriod(s string) (Period, error) {
	bad := fmt.Errorf("not a half-year such as 2026-H1: %q", s)
	if len(s) != 7 || s[4] != '-' || s[5] != 'H' || (s[6] != '1' && s[6] != '2') {
		return Period{}, bad
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1900 || y > 9999 || s[0] == '+' || s[0] == '-' {
		return Period{}, bad
	}
	return Period{Year: y, Half: int(s[6] - '0')}, nil
}

// PeriodOf is the half-year a day falls in.
func PeriodOf(d model.Date) Period {
	t := d.Time()
	h := 1
	if t.Month() > time.June {
		h = 2
	}
	return Period{Year: t.Year(), Half: h}
}

func (p Period) String() string { return fmt.Sprintf("%04d-H%d", p.Year, p.Half) }

// IsZero reports whether p is the zero Period (none chosen).
func (p Period) IsZero() bool { return p.Year == 0 }

// Start is the first day of the half-year.
func (p Period) Start() model.Date {
	m := time.January
	if p.Half == 2 {
		m = time.July
	}
	return model.DateOf(time.Date(p.Year, m, 1, 0, 0, 0, 0, time.UTC))
}

// End is the last day of the half-year.
func (p Period) End() model.Date { return p.Next().Start().AddDays(-1) }

// Next is the half-year after p.
func (p Period) Next() Period {
	if p.Half == 1 {
		return Period{p.Year, 2}
	}
	return Period{p.Year + 1, 1}
}

// Prev is the half-year before p.
func (p Period) Prev() Period {
	if p.Half == 2 {
		return Period{p.Year, 1}
	}
	return Period{p.Year - 1, 2}
}

// Ended reports whether the half-year is over on today: only then can its
// report be published, so that it is complete when it is frozen.
func (p Period) Ended(today model.Date) bool { return p.End().Before(today) }

// Contains reports whether d falls in p.
func (p Period) Contains(d model.Date) bool { return !d.IsZero() && PeriodOf(d) == p }
