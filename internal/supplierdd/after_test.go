package supplierdd

import (
	"strings"
	"testing"

	"buyright/internal/model"
)

func day(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Periods run from the first one on, every so many months; the value of a
// period is due two weeks after it ends.
func TestFeedPeriods(t *testing.T) {
	q := Feed{EveryMonths: 3, FirstPeriod: day("2026-01-01")}
	cases := []struct{ latest, next, due string }{
		{"", "2026-01-01", "2026-04-15"},
		{"2025-12-01", "2026-01-01", "2026-04-15"}, // a value from before the feed began
		{"2026-01-01", "2026-04-01", "2026-07-15"},
		{"2026-02-10", "2026-04-01", "2026-07-15"}, // a value inside the first quarter
		{"2026-10-01", "2027-01-01", "2027-04-15"},
	}
	for _, c := range cases {
		var latest model.Date
		if c.latest != "" {
			latest = day(c.latest)
		}
		next := q.NextPeriod(latest)
		if next.String() != c.next || q.DueOn(next).String() != c.due {
			t.Errorf("after %q: next %s due %s, want %s due %s", c.latest, next, q.DueOn(next), c.next, c.due)
		}
	}
	for _, f := range []Feed{{EveryMonths: 2, FirstPeriod: day("2026-01-01")}, {EveryMonths: 1}} {
		if len(f.Validate()) == 0 {
			t.Errorf("accepted %+v", f)
		}
	}
}

func TestSubcontractorRules(t *testing.T) {
	today := day("2026-06-01")
	s := Subcontractor{Name: " Nimbus\u202e ", Role: RoleSubprocessor, Work: "Hosting", DataAccess: "personal", Country: "NL", Since: day("2026-01-01")}
	if fe := s.Validate(today); len(fe) != 0 || s.Name != "Nimbus" {
		t.Fatalf("valid declaration: %v %q", fe, s.Name)
	}
	for name, bad := range map[string]Subcontractor{
		"no name":                  {Role: RoleSubcontractor, Work: "w", DataAccess: "none", Since: today},
		"unknown role":             {Name: "n", Role: "partner", Work: "w", DataAccess: "none", Since: today},
		"sub-processor, no data":   {Name: "n", Role: RoleSubprocessor, Work: "w", DataAccess: "none", Since: today},
		"ended before it began":    {Name: "n", Role: RoleSubcontractor, Work: "w", DataAccess: "none", Since: today, EndedOn: today.AddDays(-1)},
		"ends in the future":       {Name: "n", Role: RoleSubcontractor, Work: "w", DataAccess: "none", Since: today, EndedOn: today.AddDays(1)},
		"unknown data":             {Name: "n", Role: RoleSubcontractor, Work: "w", DataAccess: "everything", Since: today},
		"no start":                 {Name: "n", Role: RoleSubcontractor, Work: "w", DataAccess: "none"},
		"work far too long to say": {Name: "n", Role: RoleSubcontractor, Work: strings.Repeat("w", 2001), DataAccess: "none", Since: today},
	} {
		if len(bad.Validate(today)) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
	none := Subcontractor{Name: "n", Role: RoleSubcontractor, Work: "w", DataAccess: "none"}
	pseudo := none
	pseudo.DataAccess = "pseudonymised"
	personal := none
	personal.DataAccess = "personal"
	moved := personal
	moved.Country = "US"
	ended := personal
	ended.EndedOn = today
	for _, c := range []struct {
		name string
		old  *Subcontractor
		cur  Subcontractor
		want bool
	}{
		{"new without data", nil, none, false},
		{"new with personal data", nil, personal, true},
		{"pseudonymised data only", &none, pseudo, false},
		{"now personal data", &pseudo, personal, true},
		{"personal data moved abroad", &personal, moved, true},
		{"less data", &personal, none, false},
		{"ended", &personal, ended, false},
	} {
		if got := NeedsConsent(c.old, c.cur); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if ch, sum := Describe(&personal, moved); ch != "changed" || !strings.Contains(sum, "country none → US") {
		t.Errorf("describe: %s %s", ch, sum)
	}
	if ch, _ := Describe(&personal, personal); ch != "" {
		t.Errorf("no change described as %q", ch)
	}
}

func FuzzSubcontractorValidate(f *testing.F) {
	f.Add("Nimbus", "subprocessor", "Hosting", "personal", "NL", "2026-01-01", "")
	f.Add("\x00<script>", "subcontractor", "", "none", "\u202e", "2026-13-01", "2025-01-01")
	today := day("2026-06-01")
	f.Fuzz(func(t *testing.T, name, role, work, data, country, since, ended string) {
		s := Subcontractor{Name: name, Role: role, Work: work, DataAccess: data, Country: country}
		s.Since, _ = model.ParseDate(since)
		s.EndedOn, _ = model.ParseDate(ended)
		if len(s.Validate(today)) > 0 {
			return
		}
		if s.Name == "" || s.Work == "" || model.TooLong(s.Name, 200) || accessRank(s.DataAccess) < 0 || s.Since.IsZero() ||
			strings.ContainsAny(s.Name+s.Country, "\x00\u202e") || (s.Role == RoleSubprocessor && !s.PersonalData() && s.DataAccess != "pseudonymised") {
			t.Fatalf("accepted %+v", s)
		}
		if _, sum := Describe(nil, s); !strings.Contains(sum, s.Name) {
			t.Fatalf("description %q", sum)
		}
	})
}
