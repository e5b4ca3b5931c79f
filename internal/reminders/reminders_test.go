package reminders

import (
	"strings"
	"testing"

	"buyright/internal/i18n"
	"buyright/internal/model"
	"buyright/internal/store"
)

// The reminders of suppliers holding a contract and of lapsed redaction
// grounds read whole in every language and link where the person acts.
func TestAfterAwardReminders(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := &Writer{I18n: b, BaseURL: "https://buyright.example.org/"}
	due, _ := model.ParseDate("2026-07-14")
	cases := []struct {
		r    store.Reminder
		link string
		what string
	}{
		{store.Reminder{Kind: "supplier_values_due", What: "Service availability (uptime)", Purchase: "Appointment booking", PurchaseID: 12, ObjectID: 3, Due: due},
			"https://buyright.example.org/purchases/12/obligations", "Service availability (uptime)"},
		{store.Reminder{Kind: "supplier_values_overdue", What: "Service availability (uptime)", Purchase: "Appointment booking", PurchaseID: 12, ObjectID: 3, Due: due},
			"https://buyright.example.org/purchases/12/obligations", "2026-07-14"},
		{store.Reminder{Kind: "supplier_review_due", What: "review", Purchase: "Appointment booking", PurchaseID: 12, ObjectID: 7, Due: due},
			"https://buyright.example.org/purchases/12/obligations", "Appointment booking"},
		{store.Reminder{Kind: "disclosure_lapsed", What: "Signed contract", Purchase: "Appointment booking", PurchaseID: 12, ObjectID: 5, Due: due},
			"https://buyright.example.org/purchases/12/disclosure#doc-5", "Signed contract"},
	}
	for _, c := range cases {
		for _, lang := range b.Langs() {
			c.r.Lang = lang
			m := w.Reminder(c.r)
			text := m.Subject + "\n" + m.Body
			if !strings.Contains(m.Body, c.link) || !strings.Contains(text, c.what) || strings.Contains(text, "%!") || strings.Contains(text, "mail.") {
				t.Errorf("%s in %s:\n%s", c.r.Kind, lang, text)
			}
		}
	}
}
