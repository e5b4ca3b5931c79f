// Package staterequest models the requests public authorities make of
// companies - for users' data, to remove content, to restrict a network,
// to intercept communications - as each side records them: the company the
// requests it received, the authority the requests it made. It matches the
// two sides for oversight bodies, and builds the public transparency
// reports from them with small counts suppressed so that no case can be
// singled out, not even by subtracting one published figure from another
// (see report.go).
//
// A record holds no personal data of the people targeted beyond counts:
// free text that looks like a phone number, an e-mail or a network address
// is refused.
package staterequest

import (
	"regexp"
	"strings"
	"time"

	"buyright/internal/access"
	"buyright/internal/model"
)

// Type is what the authority asked for.
type Type string

const (
	UserData           Type = "user_data"           // stored data about users or their communications
	ContentRemoval     Type = "content_removal"     // remove or restrict content or accounts
	NetworkRestriction Type = "network_restriction" // throttle, block or shut down a network or service
	Interception       Type = "interception"        // real-time access to communications
	OtherType          Type = "other"
)

// Types lists every type in the order forms and reports show them.
var Types = []Type{UserData, ContentRemoval, NetworkRestriction, Interception, OtherType}

// Process is the kind of legal process the request came through: what a
// transparency report counts by, where the legal basis itself is free text.
type Process string

const (
	CourtOrder       Process = "court_order"
	ProsecutorOrder  Process = "prosecutor_order"
	AdminOrder       Process = "administrative_order"
	LicenceCondition Process = "licence_condition"
	EmergencyPowers  Process = "emergency_powers"
	Informal         Process = "informal" // no formal legal process at all
	OtherProcess     Process = "other"
)

// Processes lists every process in order.
var Processes = []Process{CourtOrder, ProsecutorOrder, AdminOrder, LicenceCondition, EmergencyPowers, Informal, OtherProcess}

// Urgency is how fast the authority said it needed an answer.
type Urgency string

// Urgencies lists every urgency in order.
var Urgencies = []Urgency{"routine", "urgent", "emergency"}

// Response is what the company did.
type Response string

const (
	Complied   Response = "complied"
	Partly     Response = "partly"     // complied in part, or with a narrower scope
	Challenged Response = "challenged" // contested before a court or the authority, not (yet) complied
	Refused    Response = "refused"
	Pending    Response = "pending" // not answered yet
)

// Responses lists every response in order.
var Responses = []Response{Complied, Partly, Challenged, Refused, Pending}

// Notified is whether the people affected were told.
type Notified string

// NotifiedValues lists every answer in order: yes, no, the law or a court
// forbids it for now, not yet.
var NotifiedValues = []Notified{"yes", "no", "prohibited", "not_yet"}

// Request is one side's record of one request.
type Request struct {
	ID            int64
	Side          access.Side
	CompanyID     int64
	CompanyName   string
	AuthorityID   int64
	AuthorityName string
	PurchaseID    int64  // the relationship it was made under, 0 for one made under law alone
	PurchaseTitle string // filled only for readers who may see that purchase

	Reference  string     // the authority's reference for the request, which both sides know
	MadeOn     model.Date // the day it was made (authority) or received (company)
	LegalBasis string     // the law, article or order cited
	Process    Process
	Type       Type

	// Scope, as counts: never who.
	Accounts     int    // accounts, lines or devices concerned
	People       int    // people concerned, when known
	DurationDays int    // for how long (0: a single disclosure or act)
	Area         string // geographic area, for a network restriction

	Urgency         Urgency
	Legality        string // the recorder's assessment: is there a clear legal basis, is it the competent authority
	Necessity       string // is it needed for a legitimate aim, could less do
	Proportionality string // is the harm to rights in proportion to the aim

	Response   Response
	Escalation string // what was done to challenge or narrow it, and with whom
	Outcome    string // how the challenge or escalation ended
	Notified   Notified
	NotifiedOn model.Date

	Rev       int64
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Limits on free text, in characters, and on counts.
const (
	maxReference = 200
	maxBasis     = 2000
	maxArea      = 500
	maxText      = 8000
	maxCount     = 1_000_000_000
	maxDuration  = 36500
)

// RefKey is the normalised reference the two sides are matched on: case,
// spacing and punctuation do not count ("PSP 2026/411" and "psp-2026-411"
// are the same request).
func RefKey(ref string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(ref) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	emailRE = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[^\s@]+`)
	// A phone or subscriber number, an IMEI: nine or more digits in a row,
	// an international number, or three groups as numbers are often
	// written. Dates (2026-03-02) and legal citations (Law 32/2008) pass.
	phoneRE = regexp.MustCompile(`\d{9,}|\+\d[\d ]{7,}\d|\b\d{3}[ .]\d{3}[ .]\d{3,4}\b`)
	ipv4RE  = regexp.MustCompile(`\b\d{1,3}(\.\d{1,3}){3}\b`)
	ipv6RE  = regexp.MustCompile(`(?i)\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){4,7}\b`)
)

// Identifying reports whether s holds something that points at a person:
// an e-mail address, a phone or subscriber number, a network address.
func Identifying(s string) bool {
	return emailRE.MatchString(s) || phoneRE.MatchString(s) || ipv4RE.MatchString(s) || ipv6RE.MatchString(s)
}

func oneOf[T comparable](v T, set []T) bool {
	for _, x := range set {
		if x == v {
			return true
		}
	}
	return false
}

// Validate cleans the record and reports its problems by form field; today
// bounds the dates.
func (r *Request) Validate(today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	r.Reference = model.CleanLine(r.Reference)
	r.Area = model.CleanLine(r.Area)
	texts := []struct {
		name string
		v    *string
		max  int
	}{
		{"authority_reference", &r.Reference, maxReference}, {"legal_basis", &r.LegalBasis, maxBasis}, {"area", &r.Area, maxArea},
		{"legality", &r.Legality, maxText}, {"necessity", &r.Necessity, maxText}, {"proportionality", &r.Proportionality, maxText},
		{"escalation", &r.Escalation, maxText}, {"outcome", &r.Outcome, maxText},
	}
	for _, t := range texts {
		if t.name != "authority_reference" && t.name != "area" {
			*t.v = model.CleanText(*t.v)
		}
		switch {
		case model.TooLong(*t.v, t.max):
			fe.Add(t.name, "invalid.too_long")
		case Identifying(*t.v):
			fe.Add(t.name, "sreq.err.identifying")
		}
	}
	if r.Side != access.CompanySide && r.Side != access.AuthoritySide {
		fe.Add("side", "invalid.choice")
	}
	if r.Reference == "" {
		fe.Add("authority_reference", "invalid.required")
	} else if RefKey(r.Reference) == "" {
		fe.Add("authority_reference", "sreq.err.reference")
	}
	if r.LegalBasis == "" {
		fe.Add("legal_basis", "invalid.required")
	}
	switch {
	case r.MadeOn.IsZero():
		fe.Add("request_date", "invalid.required")
	case today.Before(r.MadeOn):
		fe.Add("request_date", "nexus.err.future")
	}
	if !oneOf(r.Process, Processes) {
		fe.Add("legal_process", "invalid.choice")
	}
	if !oneOf(r.Type, Types) {
		fe.Add("request_type", "invalid.choice")
	}
	if !oneOf(r.Urgency, Urgencies) {
		fe.Add("urgency", "invalid.choice")
	}
	if !oneOf(r.Response, Responses) {
		fe.Add("response", "invalid.choice")
	}
	if r.Notified == "" {
		r.Notified = "not_yet"
	}
	if !oneOf(r.Notified, NotifiedValues) {
		fe.Add("users_notified", "invalid.choice")
	}
	for name, n := range map[string]int{"accounts": r.Accounts, "people": r.People} {
		if n < 0 || n > maxCount {
			fe.Add(name, "nexus.err.count")
		}
	}
	if r.DurationDays < 0 || r.DurationDays > maxDuration {
		fe.Add("duration_days", "nexus.err.count")
	}
	switch {
	case r.Notified == "yes" && r.NotifiedOn.IsZero():
		fe.Add("notified_on", "sreq.err.notified_on")
	case r.Notified != "yes" && !r.NotifiedOn.IsZero():
		fe.Add("notified_on", "sreq.err.notified_on_not_told")
	case !r.NotifiedOn.IsZero() && today.Before(r.NotifiedOn):
		fe.Add("notified_on", "nexus.err.future")
	case !r.NotifiedOn.IsZero() && !r.MadeOn.IsZero() && r.NotifiedOn.Before(r.MadeOn):
		fe.Add("notified_on", "sreq.err.notified_before")
	}
	return fe
}
