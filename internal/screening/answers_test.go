package screening

import (
	"errors"
	"strings"
	"testing"

	"buyright/internal/catalog"
)

func TestParseAnswersRejectsWithQuestionID(t *testing.T) {
	q := defaultQuestionnaire(t)
	cases := []struct {
		name, file, id, msg string
	}{
		{"unknown id", "ai_decides: yes\n", "ai_decides", "unknown question"},
		{"yes/no given text", "personal_data: maybe\n", "personal_data", "yes or no"},
		{"number given text", "people_count: lots\n", "people_count", "number"},
		{"negative number", "people_count: -5\n", "people_count", "at least 0"},
		{"unknown option", "automation: sometimes\n", "automation", "not an option"},
		{"single given list", "automation: [none]\n", "automation", "one option id"},
		{"multiple given string", "vulnerable_groups: children\n", "vulnerable_groups", "list of option ids"},
		{"none with others", "vulnerable_groups: [none, children]\n", "vulnerable_groups", "cannot be combined"},
		{"json wrong type", `{"hardware": 3}`, "hardware", "yes or no"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := q.ParseAnswers([]byte(c.file))
			var errs AnswerErrors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("want one answer error, got %v", err)
			}
			if errs[0].Question != c.id || !strings.Contains(errs[0].Msg, c.msg) {
				t.Errorf("got %q: %q, want %s: ...%s...", errs[0].Question, errs[0].Msg, c.id, c.msg)
			}
		})
	}
}

func TestParseAnswersAcceptsYAMLAndJSON(t *testing.T) {
	q := defaultQuestionnaire(t)
	y, err := q.ParseAnswers([]byte("personal_data: yes\nhardware: false\npeople_count: 12\nvulnerable_groups: [children]\n"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := q.ParseAnswers([]byte(`{"personal_data": true, "hardware": "no", "people_count": 12.0, "vulnerable_groups": ["children"]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []Answers{y, j} {
		if a["personal_data"] != "yes" || a["hardware"] != "no" || a["people_count"] != 12.0 {
			t.Errorf("not normalised: %#v", a)
		}
	}
	if _, err := q.ParseAnswers([]byte("- not\n- a mapping\n")); err == nil {
		t.Error("a list was accepted as an answer file")
	}
}

func TestVisibilityFollowsAnswers(t *testing.T) {
	q := defaultQuestionnaire(t)
	shown := func(a Answers) map[string]bool {
		m := map[string]bool{}
		for _, it := range q.Visible(a) {
			m[it.ID] = true
		}
		return m
	}
	if v := shown(Answers{}); v["data_categories"] || v["rbi_exception"] || !v["personal_data"] {
		t.Errorf("empty answers show follow-up questions: %v", v)
	}
	if v := shown(Answers{"personal_data": "yes"}); !v["data_categories"] || !v["people_count"] {
		t.Error("personal data yes does not show data questions")
	}
	rbi := Answers{"biometric_use": "remote_realtime", "public_space": "yes", "law_enforcement": "yes"}
	if !shown(rbi)["rbi_exception"] {
		t.Error("real-time identification in public by police does not ask for the exception")
	}
	// An answer to a question that is hidden does not count.
	hidden := Answers{"personal_data": "no", "data_categories": []string{"special"}, "people_count": 1e6}
	r := q.Score(hidden)
	if !contains(r.Ignored, "data_categories") || r.Level != 1 {
		t.Errorf("hidden answers were scored: ignored %v, level %d", r.Ignored, r.Level)
	}
}

// A signed-off result pins the catalogue by its sources: changing a
// question later changes the hash, and the pinned sources still give the
// old result.
func TestPinnedCatalogueKeepsSignedOffResult(t *testing.T) {
	q := defaultQuestionnaire(t)
	a := Answers{"hardware": "yes"}
	signed := q.Score(a)
	pinned := q.Set().Layers()

	override := []catalog.Source{{Name: "org/scoring.yaml", Data: []byte(`catalog: scoring
version: org-1
languages: {en: full}
items:
  - id: l2-hardware
    kind: rule
    title: Electronic hardware, treated as high risk by this organisation
    when: {q: hardware, is: "yes"}
    raise: 3
    refs: [ILO C029]
`)}}
	changed, probs := catalog.Build(append(pinned, override)...)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if changed.Hash() == signed.CatalogHash {
		t.Fatal("changing a rule did not change the catalogue hash")
	}
	if got := New(changed).Score(a).Level; got != 3 {
		t.Fatalf("override not applied: level %d", got)
	}
	again, probs := catalog.Build(pinned...)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if r := New(again).Score(a); r.CatalogHash != signed.CatalogHash || r.Level != signed.Level {
		t.Errorf("pinned sources gave level %d hash %s, signed off %d %s", r.Level, r.CatalogHash, signed.Level, signed.CatalogHash)
	}
}

func TestPrefillFromPurchaseRecord(t *testing.T) {
	q := defaultQuestionnaire(t)
	a := q.Prefill([]string{"surveillance", "hardware"}, "policing")
	if a["monitoring_public"] != "yes" || a["hardware"] != "yes" || a["law_enforcement"] != "yes" {
		t.Errorf("prefill %v", a)
	}
	if _, err := q.Normalize(map[string]any(a)); err != nil {
		t.Errorf("prefilled answers do not validate: %v", err)
	}
}
