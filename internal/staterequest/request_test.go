package staterequest

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"buyright/internal/access"
	"buyright/internal/model"
)

var today = model.DateOf(jan1.AddDate(0, 3, 0))

func valid() Request {
	return Request{Side: access.CompanySide, Reference: "PSP-2026/0411", MadeOn: model.DateOf(jan1.AddDate(0, 1, 0)),
		LegalBasis: "Code of Criminal Procedure, art. 187 and 189; Law 32/2008, art. 9", Process: CourtOrder, Type: UserData,
		Accounts: 3, Urgency: "routine", Response: Partly, Notified: "prohibited",
		Necessity: "The order names three lines; the investigation needs subscriber data only, not traffic data."}
}

func TestValidate(t *testing.T) {
	r := valid()
	if fe := r.Validate(today); len(fe) > 0 {
		t.Fatalf("a valid record is refused: %v", fe)
	}
	cases := map[string]func(r *Request){
		"authority_reference": func(r *Request) { r.Reference = " -/ " },
		"request_date":        func(r *Request) { r.MadeOn = today.AddDays(1) },
		"legal_basis":         func(r *Request) { r.LegalBasis = "" },
		"legal_process":       func(r *Request) { r.Process = "by_phone" },
		"request_type":        func(r *Request) { r.Type = "" },
		"accounts":            func(r *Request) { r.Accounts = -1 },
		"duration_days":       func(r *Request) { r.DurationDays = 100000 },
		"notified_on":         func(r *Request) { r.Notified = "yes" },
		"necessity":           func(r *Request) { r.Necessity = strings.Repeat("x", maxText+1) },
	}
	for field, spoil := range cases {
		r := valid()
		spoil(&r)
		if fe := r.Validate(today); fe[field] == "" {
			t.Errorf("%s: not refused (%v)", field, fe)
		}
	}
}

// A record holds no personal data of the people targeted: numbers and
// addresses that point at someone are refused in every free-text field,
// while dates and legal citations pass.
func TestNoIdentifiers(t *testing.T) {
	for _, s := range []string{"subscriber 912345678", "line +351 912 345 678", "call 912 345 678", "user ana.silva@example.org",
		"from 192.168.10.4", "IMEI 356938035643809", "addr 2001:db8:85a3:0:0:8a2e:370:7334"} {
		r := valid()
		r.Escalation = s
		if fe := r.Validate(today); fe["escalation"] != "sreq.err.identifying" {
			t.Errorf("%q accepted", s)
		}
	}
	for _, s := range []string{"Order of 2026-03-02 under Law 32/2008, art. 9(1)", "Decree-Law 10-A/2020, art. 2", "about 40 accounts for 30 days", "ref PSP-2026/0411"} {
		r := valid()
		r.LegalBasis = s
		if fe := r.Validate(today); len(fe) > 0 {
			t.Errorf("%q refused: %v", s, fe)
		}
	}
}

// Hostile strings from the team's corpus are kept as text (cleaned of
// control characters), or refused by size; never an error of another kind.
func TestHostileStrings(t *testing.T) {
	b, err := os.ReadFile("../../testdata/hostile/strings.json")
	if err != nil {
		t.Skip("no hostile strings file:", err)
	}
	var entries []struct{ Name, Value string }
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, e := range entries {
		list = append(list, e.Value)
	}
	if len(list) == 0 {
		t.Fatal("no hostile strings read")
	}
	for _, s := range list {
		r := valid()
		r.Outcome, r.Area = s, s
		fe := r.Validate(today)
		for f, k := range fe {
			if k != "invalid.too_long" && k != "sreq.err.identifying" {
				t.Errorf("%q: %s refused with %s", s, f, k)
			}
		}
		if strings.ContainsAny(r.Outcome, "\x00\x1b\u202e") {
			t.Errorf("%q kept a control character", s)
		}
	}
}

func TestRefKey(t *testing.T) {
	if RefKey("PSP 2026/411") != RefKey("psp-2026-411") || RefKey("a") == RefKey("b") {
		t.Error("references are matched on letters and digits only")
	}
}

func TestMatch(t *testing.T) {
	c := valid()
	c.CompanyID, c.AuthorityID = 1, 2
	a := c
	a.Side = access.AuthoritySide
	a.Reference = "psp 2026 0411"
	same := Match([]Request{c, a})
	if len(same) != 0 {
		t.Fatalf("two agreeing records are a mismatch: %+v", same)
	}
	a.Accounts, a.Response = 1, Complied
	diff := Match([]Request{c, a})
	if len(diff) != 1 || diff[0].Kind != Differs || strings.Join(diff[0].Fields, ",") != "accounts,response" {
		t.Fatalf("differs: %+v", diff)
	}
	lone := c
	lone.Reference = "HA-7"
	other := a
	other.Reference = "PSP-99"
	got := Match([]Request{lone, other})
	if len(got) != 2 || got[0].Kind == got[1].Kind {
		t.Fatalf("unpartnered records: %+v", got)
	}
}

// FuzzFromForm: a request form is outside input. Whatever is posted, the
// form reader and the checks never panic, and a record that passes both
// reads back through FormValues to itself.
func FuzzFromForm(f *testing.F) {
	f.Add("PSP-1", "2026-02-01", "3", "x", "user_data", "court_order", "complied", "routine", "not_yet", "", "12")
	f.Add("", "2026-13-40", "-1", "\x00\u202e", "?", "", "", "", "yes", "2026-01-01", "0")
	f.Add("ref", "", "99999999999999999999", "+351 912 345 678", "other", "informal", "refused", "emergency", "prohibited", "x", "-5")
	f.Fuzz(func(t *testing.T, ref, made, accounts, text, typ, process, response, urgency, notified, notifiedOn, purchase string) {
		form := map[string]string{"authority_reference": ref, "request_date": made, "accounts": accounts, "legal_basis": text, "escalation": text,
			"request_type": typ, "legal_process": process, "response": response, "urgency": urgency, "users_notified": notified,
			"notified_on": notifiedOn, "purchase_id": purchase}
		r := Request{Side: access.CompanySide}
		fe := FromForm(func(k string) string { return form[k] }, &r)
		for k, v := range r.Validate(today) {
			fe.Add(k, v)
		}
		if len(fe) > 0 {
			return
		}
		back := FormValues(&r)
		var again Request
		again.Side = access.CompanySide
		if fe := FromForm(func(k string) string { return back[k] }, &again); len(fe) > 0 {
			t.Fatalf("a valid record does not read back: %v", fe)
		}
		if fe := again.Validate(today); len(fe) > 0 || again.Accounts != r.Accounts || again.Reference != r.Reference || again.MadeOn != r.MadeOn {
			t.Fatalf("read back differently: %+v vs %+v (%v)", again, r, fe)
		}
	})
}
