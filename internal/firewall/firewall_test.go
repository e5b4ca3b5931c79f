package firewall

import (
	"testing"
	"time"

	"buyright/internal/model"
)

func TestRuleValidate(t *testing.T) {
	r := Rule{Data: " Proximity keys ", BarredUses: "Policing", Contractual: "Clause 9"}
	if fe := r.Validate(); len(fe) > 0 || r.Data != "Proximity keys" {
		t.Fatalf("a rule barring a use with a contractual barrier: %v", fe)
	}
	fe := (&Rule{Data: "Keys"}).Validate()
	if fe["barred_uses"] == "" || fe["technical"] == "" {
		t.Errorf("a rule that bars nothing and stops nothing: %v", fe)
	}
	if fe := (&Rule{BarredParties: "Police", Technical: "x"}).Validate(); fe["data"] != "invalid.required" {
		t.Errorf("a rule without data: %v", fe)
	}
}

func TestIncidentValidate(t *testing.T) {
	today := model.DateOf(time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
	ok := Incident{OccurredOn: today.AddDays(-3), FoundOn: today, Barrier: Technical, What: "Crash reports carried device identifiers", People: 3400}
	if fe := ok.Validate(today); len(fe) > 0 {
		t.Fatalf("a valid incident: %v", fe)
	}
	for field, spoil := range map[string]func(*Incident){
		"what":        func(in *Incident) { in.What = " " },
		"barrier":     func(in *Incident) { in.Barrier = "social" },
		"occurred_on": func(in *Incident) { in.OccurredOn = today.AddDays(1) },
		"found_on":    func(in *Incident) { in.FoundOn = in.OccurredOn.AddDays(-1) },
		"people":      func(in *Incident) { in.People = -1 },
	} {
		in := ok
		spoil(&in)
		if fe := in.Validate(today); fe[field] == "" {
			t.Errorf("%s not refused: %v", field, fe)
		}
	}
}
