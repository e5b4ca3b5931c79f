package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// scenarioAnswers writes the answers of one screening scenario as a JSON
// answer file.
func scenarioAnswers(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "internal", "screening", "testdata", "scenarios", name))
	if err != nil {
		t.Fatal(err)
	}
	var sc struct {
		Answers map[string]any `yaml:"answers"`
	}
	if err := yaml.Unmarshal(data, &sc); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(sc.Answers)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(file, j, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestScreeningScorePrintsJSON(t *testing.T) {
	code, out, errs := runCLI(t, "", "screening", "score", scenarioAnswers(t, "02-realtime-rbi-public-space.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Status      string   `json:"status"`
		Level       int      `json:"level"`
		Stop        bool     `json:"stop"`
		Assessments []string `json:"assessments"`
		Reasons     []struct {
			Rule     string `json:"rule"`
			Decisive bool   `json:"decisive"`
		} `json:"reasons"`
		Changes []struct {
			Question, Text string
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r.Status != "complete" || r.Level != 4 || !r.Stop {
		t.Errorf("status %s level %d stop %v", r.Status, r.Level, r.Stop)
	}
	decisive := map[string]bool{}
	for _, rs := range r.Reasons {
		decisive[rs.Rule] = rs.Decisive
	}
	if !decisive["stop-rbi-realtime"] || decisive["l3-public-monitoring"] {
		t.Errorf("decisive reasons wrong: %v", decisive)
	}
	lifts := false
	for _, c := range r.Changes {
		if c.Question == "rbi_exception" && strings.Contains(c.Text, "lift the stop") {
			lifts = true
		}
	}
	if !lifts {
		t.Errorf("no change names the exception that would lift the stop: %+v", r.Changes)
	}
}

// An incomplete file is a draft: the result is printed, the missing
// questions are named, and the exit status says it is not a result. An
// empty object is not "level I".
func TestScreeningScoreDraftExitsNonZero(t *testing.T) {
	code, out, errs := runCLI(t, `{"digital": "yes", "hardware": "yes", "units": 5}`, "screening", "score", "-")
	if code != 1 || !strings.Contains(errs, "draft:") || !strings.Contains(errs, "goods, staff_services") || !strings.Contains(out, `"status": "incomplete"`) {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	code, _, errs = runCLI(t, `{}`, "screening", "score", "-")
	if code != 1 || !strings.Contains(errs, "draft:") || !strings.Contains(errs, "digital") {
		t.Errorf("empty object: exit %d, stderr %q", code, errs)
	}
	code, out, errs = runCLI(t, "", "screening", "score", "-")
	if code != 1 || out != "" || !strings.Contains(errs, "empty") {
		t.Errorf("empty file: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestScreeningScoreRejectsBadInput(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"unknown id and wrong type", `{"ai_decides": "yes", "people_count": "many"}`, "ai_decides: unknown question"},
		{"value outside the choices", `{"digital": "yes", "automation": "sometimes"}`, `automation: "sometimes" is not an option`},
		{"question not asked", `{"digital": "no", "hardware": "no", "ai_system": "yes"}`, "ai_system: not asked with these answers"},
		{"conflict", `{"digital": "yes", "personal_data": "no", "biometric_use": "verification"}`, "biometric_use and personal_data:"},
		{"not JSON", "digital: yes\n", "not JSON at line 1, column 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, c.in, "screening", "score", "-")
			if code != 1 || out != "" || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
			}
		})
	}
}

func TestScreeningQuestionsPrintsQuestionnaire(t *testing.T) {
	code, out, _ := runCLI(t, "", "screening", "questions")
	if code != 0 || !strings.Contains(out, `"id": "rbi_exception"`) || !strings.Contains(out, `"show_if"`) {
		t.Errorf("exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "screening", "score"); code != 2 {
		t.Errorf("score without file: exit %d", code)
	}
}
