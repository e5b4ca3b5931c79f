package staterequest

import (
	"strconv"
	"strings"

	"buyright/internal/model"
)

// FormFields are the names of a request form's fields, which are also the
// keys of its problems.
var FormFields = []string{"authority_reference", "request_date", "legal_basis", "legal_process", "request_type", "accounts", "people", "duration_days", "area",
	"urgency", "legality", "necessity", "proportionality", "response", "escalation", "outcome", "users_notified", "notified_on", "purchase_id"}

// FromForm reads a request form (get returns a field's value) into r,
// keeping every problem of a number or a date by its field. Choices and
// text are checked by Validate.
func FromForm(get func(string) string, r *Request) model.FieldErrors {
	fe := model.FieldErrors{}
	r.Reference, r.LegalBasis, r.Area = get("authority_reference"), get("legal_basis"), get("area")
	r.Process, r.Type, r.Urgency = Process(get("legal_process")), Type(get("request_type")), Urgency(get("urgency"))
	r.Legality, r.Necessity, r.Proportionality = get("legality"), get("necessity"), get("proportionality")
	r.Response, r.Escalation, r.Outcome, r.Notified = Response(get("response")), get("escalation"), get("outcome"), Notified(get("users_notified"))
	date := func(name string, dst *model.Date) {
		d, err := model.ParseDate(strings.TrimSpace(get(name)))
		if err != nil {
			fe.Add(name, "invalid.date")
		}
		*dst = d
	}
	date("request_date", &r.MadeOn)
	date("notified_on", &r.NotifiedOn)
	count := func(name string, dst *int) {
		s := strings.TrimSpace(strings.ReplaceAll(get(name), ",", ""))
		if s == "" {
			*dst = 0
			return
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			fe.Add(name, "nexus.err.count")
		}
		*dst = n
	}
	count("accounts", &r.Accounts)
	count("people", &r.People)
	count("duration_days", &r.DurationDays)
	r.PurchaseID = 0
	if s := strings.TrimSpace(get("purchase_id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			fe.Add("purchase_id", "invalid.choice")
		}
		r.PurchaseID = id
	}
	return fe
}

// FormValues is the record as a form shows it, the inverse of FromForm.
func FormValues(r *Request) map[string]string {
	n := func(i int) string {
		if i == 0 {
			return ""
		}
		return strconv.Itoa(i)
	}
	v := map[string]string{
		"authority_reference": r.Reference, "request_date": r.MadeOn.String(), "legal_basis": r.LegalBasis, "legal_process": string(r.Process),
		"request_type": string(r.Type), "accounts": n(r.Accounts), "people": n(r.People), "duration_days": n(r.DurationDays),
		"area": r.Area, "urgency": string(r.Urgency), "legality": r.Legality, "necessity": r.Necessity, "proportionality": r.Proportionality,
		"response": string(r.Response), "escalation": r.Escalation, "outcome": r.Outcome, "users_notified": string(r.Notified),
		"notified_on": r.NotifiedOn.String(), "purchase_id": "",
	}
	if r.PurchaseID != 0 {
		v["purchase_id"] = strconv.FormatInt(r.PurchaseID, 10)
	}
	return v
}
