package supplierdd

import (
	"fmt"
	"strings"
	"time"

	"buyright/internal/model"
)

// After the award the supplier holding the contract keeps the body
// informed: the monitoring values it is responsible for, on a cadence the
// body sets, and every sub-contractor and sub-processor it brings in, with
// what data they reach. These are the rules; internal/store keeps them.

// Cadences are the months between two values a supplier owes.
var Cadences = []int{1, 3, 6, 12}

// Grace is how long after a period ends its value is due.
const Grace = 14

// Feed is an indicator of the monitoring plan the supplier must feed.
type Feed struct {
	IndicatorID   int64
	PurchaseID    int64
	SupplierOrgID int64
	EveryMonths   int
	FirstPeriod   model.Date // the first day of the first period owed
}

// Validate checks a feed before it is saved.
func (f *Feed) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	ok := false
	for _, c := range Cadences {
		ok = ok || c == f.EveryMonths
	}
	if !ok {
		fe.Add("every", "invalid.choice")
	}
	if f.FirstPeriod.IsZero() {
		fe.Add("first_period", "invalid.required")
	}
	return fe
}

func addMonths(d model.Date, n int) model.Date {
	return model.DateOf(d.Time().AddDate(0, n, 0))
}

// NextPeriod is the first period the supplier still owes: the first period
// when it has given none, else the period after the latest it gave.
func (f Feed) NextPeriod(latest model.Date) model.Date {
	if latest.IsZero() || latest.Before(f.FirstPeriod) {
		return f.FirstPeriod
	}
	// Periods run from the first on, every EveryMonths: the latest value
	// given may be for any day inside one, so step from the first period.
	p := f.FirstPeriod
	for !latest.Before(p) {
		p = addMonths(p, f.EveryMonths)
	}
	return p
}

// DueOn is when the value for period is due: Grace days after the period
// ends.
func (f Feed) DueOn(period model.Date) model.Date {
	return addMonths(period, f.EveryMonths).AddDays(Grace)
}

// Roles a third party can have under the supplier.
const (
	RoleSubprocessor  = "subprocessor"  // processes personal data on the supplier's behalf (GDPR Art. 28(2), (4))
	RoleSubcontractor = "subcontractor" // does part of the work
)

// SubRoles lists the roles in the order forms offer them.
var SubRoles = []string{RoleSubprocessor, RoleSubcontractor}

// DataAccess is what data a third party reaches, from none to special
// categories; the order matters (wider is later).
var DataAccess = []string{"none", "pseudonymised", "personal", "special"}

func accessRank(a string) int {
	for i, x := range DataAccess {
		if x == a {
			return i
		}
	}
	return -1
}

// Subcontractor is a third party the supplier brings into the contract.
type Subcontractor struct {
	ID            int64
	PurchaseID    int64
	SupplierOrgID int64
	Name          string
	Role          string
	Work          string // what it does under the contract
	DataAccess    string
	Country       string // where it works or processes the data
	Since         model.Date
	EndedOn       model.Date
	UpdatedAt     time.Time
}

// Validate checks a declaration before it is saved.
func (s *Subcontractor) Validate(today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	s.Name, s.Country, s.Work = model.CleanLine(s.Name), model.CleanLine(s.Country), model.CleanText(s.Work)
	if s.Name == "" {
		fe.Add("sub_name", "invalid.required")
	} else if model.TooLong(s.Name, 200) {
		fe.Add("sub_name", "invalid.too_long")
	}
	if s.Role != RoleSubprocessor && s.Role != RoleSubcontractor {
		fe.Add("sub_role", "invalid.choice")
	}
	if s.Work == "" {
		fe.Add("sub_work", "invalid.required")
	} else if model.TooLong(s.Work, 2000) {
		fe.Add("sub_work", "invalid.too_long")
	}
	if accessRank(s.DataAccess) < 0 {
		fe.Add("sub_data", "invalid.choice")
	}
	// A sub-processor processes personal data by definition.
	if s.Role == RoleSubprocessor && (s.DataAccess == "none" || s.DataAccess == "") {
		fe.Add("sub_data", "afteraward.err.subprocessor_data")
	}
	if model.TooLong(s.Country, 100) {
		fe.Add("sub_country", "invalid.too_long")
	}
	if s.Since.IsZero() {
		fe.Add("sub_since", "invalid.required")
	}
	if !s.EndedOn.IsZero() && (s.EndedOn.Before(s.Since) || today.Before(s.EndedOn)) {
		fe.Add("sub_ended_on", "afteraward.err.ended_on")
	}
	return fe
}

// PersonalData reports whether the third party reaches personal data.
func (s Subcontractor) PersonalData() bool { return accessRank(s.DataAccess) >= accessRank("personal") }

// NeedsConsent reports whether a declaration brings in someone who
// reaches personal data, or lets someone reach more of it: under GDPR
// Art. 28(2) a processor engages another only with the controller's
// authorisation, and the controller may object to a change, so the body
// must look at it.
func NeedsConsent(old *Subcontractor, cur Subcontractor) bool {
	if !cur.EndedOn.IsZero() {
		return false
	}
	if old == nil {
		return cur.PersonalData()
	}
	return accessRank(cur.DataAccess) > accessRank(old.DataAccess) && cur.PersonalData() ||
		cur.PersonalData() && !strings.EqualFold(old.Country, cur.Country)
}

// Describe says in English what a declaration changed, for the record
// the body reads and the audit log.
func Describe(old *Subcontractor, cur Subcontractor) (change, summary string) {
	what := fmt.Sprintf("%s (%s: %s; data: %s", cur.Name, cur.Role, cur.Work, cur.DataAccess)
	if cur.Country != "" {
		what += "; in " + cur.Country
	}
	what += ")"
	switch {
	case old == nil:
		return "added", "Added " + what + " from " + cur.Since.String()
	case !cur.EndedOn.IsZero() && old.EndedOn.IsZero():
		return "ended", "Ended " + cur.Name + " on " + cur.EndedOn.String()
	}
	var parts []string
	if old.Role != cur.Role {
		parts = append(parts, "role "+old.Role+" → "+cur.Role)
	}
	if old.DataAccess != cur.DataAccess {
		parts = append(parts, "data "+old.DataAccess+" → "+cur.DataAccess)
	}
	if old.Country != cur.Country {
		parts = append(parts, "country "+orNone(old.Country)+" → "+orNone(cur.Country))
	}
	if old.Work != cur.Work {
		parts = append(parts, "work: "+cur.Work)
	}
	if old.Name != cur.Name {
		parts = append(parts, "name "+old.Name+" → "+cur.Name)
	}
	if len(parts) == 0 {
		return "", ""
	}
	return "changed", "Changed " + cur.Name + ": " + strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
