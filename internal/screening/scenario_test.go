package screening

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"

	"buyright/internal/catalog"
)

// scenario is one written case: answers a real purchase would give and what
// a person reviewing it would expect to see.
type scenario struct {
	Name    string         `yaml:"name"`
	Answers map[string]any `yaml:"answers"`
	Expect  struct {
		Status       string              `yaml:"status"`
		Level        int                 `yaml:"level"`
		Reasons      []string            `yaml:"reasons"` // exactly the rules that fire
		Assessments  []string            `yaml:"assessments"`
		Stop         bool                `yaml:"stop"`
		Missing      []string            `yaml:"missing"`
		Requirements map[string][]string `yaml:"requirements"` // must be included, per stage
		NotRequired  []string            `yaml:"not_required"` // must not be mandatory at any stage
	} `yaml:"expect"`
}

func defaultQuestionnaire(t testing.TB) *Questionnaire {
	t.Helper()
	set, probs := catalog.Build(catalog.Embedded())
	if len(probs) > 0 {
		t.Fatalf("built-in catalogues: %v", probs)
	}
	return New(set)
}

func TestScenarios(t *testing.T) {
	q := defaultQuestionnaire(t)
	files, _ := filepath.Glob("testdata/scenarios/*.yaml")
	if len(files) < 12 {
		t.Fatalf("want at least 12 scenarios, have %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var sc scenario
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal(data, &sc); err != nil {
				t.Fatal(err)
			}
			a, err := q.Normalize(sc.Answers)
			if err != nil {
				t.Fatalf("answers rejected: %v", err)
			}
			r := q.Score(a)
			want := sc.Expect
			if want.Status == "" {
				want.Status = StatusComplete
			}
			if r.Status != want.Status {
				t.Errorf("status %s (missing %v), want %s", r.Status, r.Missing, want.Status)
			}
			if want.Missing != nil && !sameSet(r.Missing, want.Missing) {
				t.Errorf("missing %v, want %v", r.Missing, want.Missing)
			}
			if r.Level != want.Level {
				t.Errorf("level %s, want %s; reasons %v", r.LevelName, LevelName(want.Level), ruleIDs(r.Reasons))
			}
			if got := ruleIDs(r.Reasons); !sameSet(got, want.Reasons) {
				t.Errorf("reasons\n got %v\nwant %v", got, want.Reasons)
			}
			if !sameSet(r.Assessments, want.Assessments) {
				t.Errorf("assessments %v, want %v", r.Assessments, want.Assessments)
			}
			if r.Stop != want.Stop {
				t.Errorf("stop %v, want %v (%v)", r.Stop, want.Stop, ruleIDs(r.StopReasons))
			}
			for _, rs := range r.Reasons {
				if rs.Level > 0 && len(rs.Answers) == 0 {
					t.Errorf("reason %s raised the level without naming an answer", rs.Rule)
				}
			}
			for stage, ids := range want.Requirements {
				for _, id := range ids {
					if !contains(r.RequirementsByStage[stage], id) {
						t.Errorf("requirement %s not mandatory for %s; have %v", id, stage, r.RequirementsByStage[stage])
					}
				}
			}
			for _, id := range want.NotRequired {
				for stage, ids := range r.RequirementsByStage {
					if contains(ids, id) {
						t.Errorf("requirement %s mandatory for %s, want not required", id, stage)
					}
				}
			}
		})
	}
}

func ruleIDs(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Rule
	}
	return out
}

func sameSet(a, b []string) bool {
	x, y := append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
