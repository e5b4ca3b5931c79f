package catalog

import (
	"strings"
	"testing"
)

func TestLintClauseFields(t *testing.T) {
	cases := []struct{ name, item, want string }{
		{"unknown part", `{id: C1, kind: clause, title: a, text: a, refs: [UDHR 1], part: price}`, `C1: part must be one of`},
		{"award without weight", `{id: C1, kind: clause, title: a, text: a, refs: [UDHR 1], part: award}`, `C1: an award criterion needs a weight`},
		{"weight over 100", `{id: C1, kind: clause, title: a, text: a, refs: [UDHR 1], part: award, weight: 120}`, `C1: an award criterion needs a weight`},
		{"weight on a clause", `{id: C1, kind: clause, title: a, text: a, refs: [UDHR 1], weight: 10}`, `C1: only award criteria have a weight`},
		{"unknown technology", `{id: C1, kind: clause, title: a, text: a, refs: [UDHR 1], technology: [drones]}`, `C1: unknown technology kind "drones"`},
		{"part on another kind", `{id: C1, kind: criterion, title: a, text: a, refs: [UDHR 1], part: award}`, `field part is not used by kind criterion`},
		{"answers a missing id", `{id: C1, kind: clause, title: a, text: a, refs: [UDHR 1], answers: [NOPE]}`, `answers names "NOPE", which does not exist`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := lintOverride(t, header+"  - "+tc.item+"\n")
			if !strings.Contains(strings.Join(got, "\n"), tc.want) {
				t.Errorf("want a problem containing %q, got %q", tc.want, got)
			}
		})
	}
	ok := lintOverride(t, header+"  - {id: C1, kind: clause, title: a, text: a, refs: [UDHR 1], part: award, weight: 20, technology: [hardware], answers: [CORE-EXIT-PLAN]}\n")
	if len(ok) > 0 {
		t.Errorf("a valid award criterion was refused: %q", ok)
	}
}

// Every built-in clause item answers at least one requirement, so a tender
// pack can always say what an item it proposes is for.
func TestBuiltInClausesAnswerRequirements(t *testing.T) {
	s, probs := Build(Embedded())
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	n := 0
	for _, it := range s.OfKind("clause") {
		n++
		req := 0
		for _, id := range it.Answers {
			if a, ok := s.Item(id); ok && a.Kind == "requirement" {
				req++
			}
		}
		if req == 0 {
			t.Errorf("%s answers no requirement", it.ID)
		}
	}
	if n < 35 {
		t.Errorf("want at least 35 clause items, have %d", n)
	}
}
