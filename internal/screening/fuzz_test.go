package screening

import (
	"encoding/json"
	"testing"
)

// FuzzParseAnswers feeds arbitrary answer files through parsing and
// scoring: nothing may panic; whatever is accepted is consistent (no
// hidden answer, no conflict), scores to a level from I to IV, and a
// complete result's offered changes each name a question that was
// answered.
func FuzzParseAnswers(f *testing.F) {
	q := defaultQuestionnaire(f)
	f.Add([]byte(`{"digital": "yes", "personal_data": "yes", "people_count": 10}`))
	f.Add([]byte(`{"digital": "yes", "automation": "decides_alone", "decision_effects": ["suspension"]}`))
	f.Add([]byte(`{"digital": "yes", "vulnerable_groups": ["none", "children"]}`))
	f.Add([]byte(`{"digital": "yes", "ai_system": "yes", "prohibited_practices": ["social_scoring"], "art5_social_scoring": "possibly"}`))
	f.Add([]byte(`{"staff_services": "yes", "staff_powers": ["detention"], "digital": "no", "hardware": "no", "goods": "no"}`))
	f.Add([]byte(`{"people_count": 1e309}`))
	f.Add([]byte(`{"digital": "yes", "digital": "no"}`))
	f.Add([]byte("digital: yes\n"))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := q.ParseAnswers(data)
		if err != nil {
			return
		}
		if err := q.Validate(a); err != nil {
			t.Fatalf("accepted answers do not validate: %v", err)
		}
		r := q.Score(a)
		if r.Level < 1 || r.Level > 4 {
			t.Fatalf("level %d", r.Level)
		}
		for _, c := range r.Changes {
			if _, ok := a[c.Question]; !ok {
				t.Fatalf("change of unanswered %s", c.Question)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}
