package staterequest

import (
	"sort"

	"buyright/internal/access"
	"buyright/internal/model"
)

// Mismatch is a request the two sides did not record alike: one side has
// it and the other does not, or both have it with a different scope,
// type, process or response. Oversight bodies see these.
type Mismatch struct {
	Kind          string // company_only, authority_only or differs
	Reference     string
	CompanyID     int64
	CompanyName   string
	AuthorityID   int64
	AuthorityName string
	Company       *Request // the company's record, nil when it has none
	Authority     *Request // the authority's record, nil when it has none
	Fields        []string // for differs: the form fields whose values differ
}

// Mismatch kinds.
const (
	CompanyOnly   = "company_only"
	AuthorityOnly = "authority_only"
	Differs       = "differs"
)

// dateSlack is how many days the day a request was made and the day it
// was received may differ before the two records are said to disagree.
const dateSlack = 7

type matchKey struct {
	company, authority int64
	ref                string
}

// Match pairs the records of the two sides by company, authority and
// reference, and returns every pair that does not agree and every record
// that has no partner, ordered by the day the request was made.
func Match(recs []Request) []Mismatch {
	pairs := map[matchKey]*[2]*Request{}
	var order []matchKey
	for i := range recs {
		r := &recs[i]
		k := matchKey{r.CompanyID, r.AuthorityID, RefKey(r.Reference)}
		p := pairs[k]
		if p == nil {
			p = &[2]*Request{}
			pairs[k] = p
			order = append(order, k)
		}
		if r.Side == access.CompanySide {
			p[0] = r
		} else {
			p[1] = r
		}
	}
	var out []Mismatch
	for _, k := range order {
		p := pairs[k]
		c, a := p[0], p[1]
		m := Mismatch{Company: c, Authority: a, CompanyID: k.company, AuthorityID: k.authority}
		for _, r := range []*Request{c, a} {
			if r != nil {
				m.Reference, m.CompanyName, m.AuthorityName = r.Reference, r.CompanyName, r.AuthorityName
			}
		}
		switch {
		case a == nil:
			m.Kind = CompanyOnly
		case c == nil:
			m.Kind = AuthorityOnly
		default:
			m.Fields = differences(c, a)
			if len(m.Fields) == 0 {
				continue
			}
			m.Kind = Differs
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].made().Before(out[j].made()) })
	return out
}

// made is the day the request was made, by the earlier of the two records.
func (m Mismatch) made() model.Date {
	switch {
	case m.Company == nil:
		return m.Authority.MadeOn
	case m.Authority == nil || m.Company.MadeOn.Before(m.Authority.MadeOn):
		return m.Company.MadeOn
	}
	return m.Authority.MadeOn
}

// differences names the fields in which two records of one request differ.
func differences(c, a *Request) []string {
	var out []string
	if c.Type != a.Type {
		out = append(out, "request_type")
	}
	if c.Process != a.Process {
		out = append(out, "legal_process")
	}
	if c.Accounts != a.Accounts {
		out = append(out, "accounts")
	}
	if c.People != a.People {
		out = append(out, "people")
	}
	if c.DurationDays != a.DurationDays {
		out = append(out, "duration_days")
	}
	if c.Response != a.Response {
		out = append(out, "response")
	}
	if d := c.MadeOn.Time().Sub(a.MadeOn.Time()).Hours() / 24; d > dateSlack || d < -dateSlack {
		out = append(out, "request_date")
	}
	return out
}
