package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScreeningScorePrintsJSON(t *testing.T) {
	p := filepath.Join("..", "..", "internal", "screening", "testdata", "scenarios", "02-realtime-rbi-public-space.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// The scenario file nests its answers under "answers:"; the CLI takes
	// them flat, so the block is cut out and unindented.
	answers := strings.SplitN(strings.SplitN(string(data), "\nexpect:", 2)[0], "answers:\n", 2)[1]
	file := filepath.Join(t.TempDir(), "a.yaml")
	flat := strings.ReplaceAll(answers, "\n  ", "\n")
	if err := os.WriteFile(file, []byte(strings.TrimPrefix(flat, "  ")), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "screening", "score", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Level       int      `json:"level"`
		Stop        bool     `json:"stop"`
		Assessments []string `json:"assessments"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r.Level != 4 || !r.Stop {
		t.Errorf("level %d stop %v", r.Level, r.Stop)
	}
}

func TestScreeningScoreFromStdinJSON(t *testing.T) {
	code, out, errs := runCLI(t, `{"hardware": "yes", "personal_data": false}`, "screening", "score", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"status": "incomplete"`) || !strings.Contains(out, `"level_name": "II"`) {
		t.Errorf("output:\n%s", out)
	}
}

func TestScreeningScoreRejectsUnknownQuestion(t *testing.T) {
	code, _, errs := runCLI(t, "ai_decides: yes\npeople_count: many\n", "screening", "score", "-")
	if code != 1 || !strings.Contains(errs, "ai_decides: unknown question") || !strings.Contains(errs, "people_count: expected a number") {
		t.Errorf("exit %d, stderr %q", code, errs)
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
