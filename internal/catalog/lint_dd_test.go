package catalog

import (
	"strings"
	"testing"
)

// A supplier question needs its part, help, and an id with the prefix
// that keeps its answer key apart from the screening's questions; the
// fields of other kinds are refused on it.
func TestLintSupplierQuestions(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"no part", header + "  - {id: sdd-x, kind: dd_question, title: a, help: h, refs: [UNGP P15]}\n", "sdd-x: a supplier question needs part: supplier or state"},
		{"unknown part", header + "  - {id: sdd-x, kind: dd_question, part: award, title: a, help: h, refs: [UNGP P15]}\n", "needs part"},
		{"no help", header + "  - {id: sdd-x, kind: dd_question, part: state, title: a, refs: [UNGP P15]}\n", "sdd-x: a supplier question needs help text in English"},
		{"no prefix", header + "  - {id: policy2, kind: dd_question, part: state, title: a, help: h, refs: [UNGP P15]}\n", "policy2: a supplier question's id starts with sdd-"},
		{"a screening field", header + "  - {id: sdd-x, kind: dd_question, part: state, title: a, help: h, refs: [UNGP P15], type: yes_no}\n", "field type is not used by kind dd_question"},
		{"no reference", header + "  - {id: sdd-x, kind: dd_question, part: state, title: a, help: h}\n", "sdd-x: no reference"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(lintOverride(t, tc.file), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("want %q in\n%s", tc.want, got)
			}
		})
	}
	if got := lintOverride(t, header+"  - {id: sdd-extra, kind: dd_question, part: supplier, title: Our own question, help: Why we ask, refs: [UNGP P15]}\n"); len(got) != 0 {
		t.Errorf("an organisation's own question is refused: %v", got)
	}
}
