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
		Status         string              `yaml:"status"`
		Level          int                 `yaml:"level"`
		Decisive       []string            `yaml:"decisive"`        // exactly the rules that set the level
		ReasonsInclude []string            `yaml:"reasons_include"` // rules that must fire too
		NotReasons     []string            `yaml:"not_reasons"`     // rules that must not fire
		Changes        []string            `yaml:"changes"`         // questions whose other answers must lower the level or lift the stop
		Assessments    []string            `yaml:"assessments"`
		Stop           bool                `yaml:"stop"`
		Missing        []string            `yaml:"missing"`
		Requirements   map[string][]string `yaml:"requirements"` // must be included, per stage
		NotRequired    []string            `yaml:"not_required"` // must not be mandatory at any stage
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
			if err == nil {
				err = q.Validate(a)
			}
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
			if got := decisive(r); !sameSet(got, want.Decisive) {
				t.Errorf("decisive reasons\n got %v\nwant %v", got, want.Decisive)
			}
			fired := ruleIDs(r.Reasons)
			for _, id := range want.ReasonsInclude {
				if !contains(fired, id) {
					t.Errorf("rule %s did not fire; fired %v", id, fired)
				}
			}
			for _, id := range want.NotReasons {
				if contains(fired, id) {
					t.Errorf("rule %s fired, want not", id)
				}
			}
			var changed []string
			for _, c := range r.Changes {
				changed = append(changed, c.Question)
			}
			for _, id := range want.Changes {
				if !contains(changed, id) {
					t.Errorf("no change of %s is offered; changes %v", id, changed)
				}
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
				if len(rs.Refs) == 0 {
					t.Errorf("reason %s cites no instrument", rs.Rule)
				}
			}
			// Every change offered really does lower the level or lift the stop.
			for _, c := range r.Changes {
				b := Answers{}
				for k, v := range a {
					b[k] = v
				}
				b[c.Question] = c.To
				rc := q.Score(q.Prune(b))
				if !(rc.Level < r.Level || (r.Stop && !rc.Stop)) || rc.Level != c.Level {
					t.Errorf("change %q does not do what it says: level %d stop %v", c.Text, rc.Level, rc.Stop)
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
