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
		name, file, id, with, msg string
	}{
		{"unknown id", `{"ai_decides": "yes"}`, "ai_decides", "", "unknown question"},
		{"yes/no given text", `{"digital": "maybe"}`, "digital", "", "yes or no"},
		{"number given text", `{"digital": "yes", "personal_data": "yes", "people_count": "lots"}`, "people_count", "", "number"},
		{"negative number", `{"digital": "yes", "personal_data": "yes", "people_count": -5}`, "people_count", "", "at least 0"},
		{"value outside the choices", `{"digital": "yes", "automation": "sometimes"}`, "automation", "", "not an option"},
		{"single given list", `{"digital": "yes", "automation": ["none"]}`, "automation", "", "one option id"},
		{"multiple given string", `{"digital": "yes", "vulnerable_groups": "children"}`, "vulnerable_groups", "", "list of option ids"},
		{"none with others", `{"digital": "yes", "vulnerable_groups": ["none", "children"]}`, "vulnerable_groups", "", "cannot be combined"},
		{"answered twice", `{"digital": "yes", "digital": "no"}`, "digital", "", "answered twice"},
		{"answer to a question not asked", `{"digital": "no", "hardware": "no", "automation": "none"}`, "automation", "", "not asked with these answers (asked only when digital is yes)"},
		{"biometrics without personal data", `{"digital": "yes", "personal_data": "no", "biometric_use": "verification"}`, "biometric_use", "personal_data", "processes personal data"},
		{"children's data with no group", `{"digital": "yes", "personal_data": "yes", "data_categories": ["children"], "vulnerable_groups": ["none"]}`, "data_categories", "vulnerable_groups", "children are among the people concerned"},
		{"decisions without personal data", `{"digital": "yes", "personal_data": "no", "automation": "recommends"}`, "automation", "personal_data", "processes their personal data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := q.ParseAnswers([]byte(c.file))
			var errs AnswerErrors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("want one answer error, got %v", err)
			}
			e := errs[0]
			if e.Question != c.id || e.With != c.with || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got %q with %q: %q, want %s with %q: ...%s...", e.Question, e.With, e.Msg, c.id, c.with, c.msg)
			}
			if c.with != "" && !strings.Contains(err.Error(), c.id+" and "+c.with) {
				t.Errorf("the message does not name both questions: %v", err)
			}
		})
	}
}

// Files that are not one JSON object are refused with where they went
// wrong; nothing is scored from them.
func TestParseAnswersRefusesWhatIsNotJSON(t *testing.T) {
	q := defaultQuestionnaire(t)
	cases := []struct{ name, file, want string }{
		{"empty", "", "the file is empty"},
		{"blank", " \n\t", "the file is empty"},
		{"YAML", "digital: yes\n", "not JSON at line 1, column 1"},
		{"a list", `["digital"]`, "must be a JSON object"},
		{"a string", `"digital"`, "must be a JSON object"},
		{"cut short", `{"digital": "yes",`, "ends before the object is closed"},
		{"bad token on line 2", "{\n  \"digital\": yes\n}", "not JSON at line 2, column 14"},
		{"text after the object", `{"digital": "yes"} {}`, "text after the closing brace"},
		{"binary", "\x00\x01PK", "not JSON at line 1, column 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := q.ParseAnswers([]byte(c.file))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v (%v), want ...%s...", err, a, c.want)
			}
		})
	}
}

func TestParseAnswersAcceptsJSON(t *testing.T) {
	q := defaultQuestionnaire(t)
	a, err := q.ParseAnswers([]byte(`{"digital": true, "personal_data": "yes", "hardware": false, "people_count": 12, "vulnerable_groups": ["children"], "purpose": null}`))
	if err != nil {
		t.Fatal(err)
	}
	if a["digital"] != "yes" || a["hardware"] != "no" || a["people_count"] != 12.0 {
		t.Errorf("not normalised: %#v", a)
	}
	if _, ok := a["purpose"]; ok {
		t.Error("a null was kept as an answer")
	}
}

// An empty object is a draft listing every question a screening starts
// with, never "level I".
func TestEmptyAnswersAreADraft(t *testing.T) {
	q := defaultQuestionnaire(t)
	a, err := q.ParseAnswers([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	r := q.Score(a)
	if r.Complete() || len(r.Missing) == 0 || !contains(r.Missing, "digital") {
		t.Errorf("empty answers: status %s, missing %v", r.Status, r.Missing)
	}
	if len(r.Changes) != 0 {
		t.Errorf("a draft offers changes: %v", r.Changes)
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
	if v := shown(Answers{}); v["data_categories"] || v["rbi_exception"] || v["personal_data"] || !v["digital"] {
		t.Errorf("empty answers show follow-up questions: %v", v)
	}
	// Goods alone ask about units and the supply chain, not about data or AI.
	if v := shown(Answers{"digital": "no", "goods": "yes"}); !v["units"] || !v["supply_chain_findings"] || v["personal_data"] || v["ai_system"] {
		t.Errorf("goods: %v", v)
	}
	if v := shown(Answers{"digital": "yes", "personal_data": "yes"}); !v["data_categories"] || !v["people_count"] || !v["monitoring_individuals"] {
		t.Error("personal data yes does not show data questions")
	}
	// The offline alternative means something only where people must go
	// through what is bought; a back-office system is not asked.
	backOffice := Answers{"digital": "yes", "essential_service": "yes", "access_gate": "no"}
	if shown(backOffice)["offline_alternative"] {
		t.Error("a back-office system is asked about an offline alternative")
	}
	backOffice["access_gate"] = "yes"
	if !shown(backOffice)["offline_alternative"] {
		t.Error("a portal people must use is not asked about an offline alternative")
	}
	// Coercive services ask how easily harm is put right.
	if !shown(Answers{"staff_services": "yes", "staff_powers": []string{"detention"}})["reversibility"] {
		t.Error("detention services are not asked about reversibility")
	}
	rbi := Answers{"digital": "yes", "biometric_use": "remote_realtime", "public_space": "yes", "law_enforcement": "yes"}
	if !shown(rbi)["rbi_exception"] {
		t.Error("real-time identification in public by police does not ask for the exception")
	}
	if v := shown(Answers{"digital": "yes", "ai_system": "yes", "prohibited_practices": []string{"social_scoring"}}); !v["art5_social_scoring"] || v["art5_manipulation"] {
		t.Errorf("each ticked practice, and only it, asks clearly or possibly: %v", v)
	}
	// An answer to a hidden question does not count when scoring (Validate
	// refuses it in a file; the web form prunes it).
	hidden := Answers{"digital": "yes", "personal_data": "no", "data_categories": []string{"special"}, "people_count": 1e6}
	r := q.Score(hidden)
	if !contains(r.Ignored, "data_categories") || r.Level != 1 {
		t.Errorf("hidden answers were scored: ignored %v, level %d", r.Ignored, r.Level)
	}
	if p := q.Prune(hidden); len(p) != 2 {
		t.Errorf("prune kept %v", p)
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
	a := q.Prefill([]string{"surveillance", "hardware"}, "policing", "")
	if a["monitoring_public"] != "yes" || a["hardware"] != "yes" || a["law_enforcement"] != "yes" || a["digital"] != "yes" {
		t.Errorf("prefill %v", a)
	}
	if _, err := q.Normalize(map[string]any(a)); err != nil {
		t.Errorf("prefilled answers do not validate: %v", err)
	}
}
