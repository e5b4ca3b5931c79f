package model

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day without a time zone (a review date, a sunset date).
// The zero Date means "not set". It is stored as 'YYYY-MM-DD' text, which
// both SQLite and PostgreSQL's date type accept and sort correctly.
type Date struct{ t time.Time }

const dateLayout = "2006-01-02"

// ParseDate reads 'YYYY-MM-DD'; an empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("not a date in the form YYYY-MM-DD: %q", s)
	}
	return Date{t}, nil
}

// DateOf returns the calendar day of t in UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d Date) IsZero() bool       { return d.t.IsZero() }
func (d Date) Time() time.Time    { return d.t }
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// String is 'YYYY-MM-DD', or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// Value stores the zero Date as NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads what either database returns for a date column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = DateOf(v)
	case string:
		return d.parseInto(v)
	case []byte:
		return d.parseInto(string(v))
	default:
		return fmt.Errorf("model.Date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) parseInto(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	x, err := ParseDate(s)
	*d = x
	return err
}

func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	x, err := ParseDate(string(b))
	*d = x
	return err
}
