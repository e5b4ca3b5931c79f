package catalog

import (
	"strings"
	"testing"
)

// lintOverride builds the built-in set with one organisation file over it
// and returns the problems as file:line: message lines.
func lintOverride(t *testing.T, file string) []string {
	t.Helper()
	s, probs := Build(Embedded(), []Source{{Name: "org/x.yaml", Data: []byte(file)}})
	if len(probs) > 0 && s != nil {
		t.Fatal("a set with problems was returned")
	}
	out := make([]string, len(probs))
	for i, p := range probs {
		out[i] = p.String()
	}
	return out
}

const header = "catalog: org\nversion: \"1\"\ntitle: Org\nlanguages: {en: full}\nitems:\n"

func TestLintReportsFileAndLine(t *testing.T) {
	cases := []struct {
		name, file, want string
	}{
		{"duplicate id", header + `  - {id: A, kind: criterion, title: a, text: a, refs: [UDHR 1]}
  - {id: A, kind: criterion, title: b, text: b, refs: [UDHR 2]}
`, `org/x.yaml:7: duplicate id "A" (first at org/x.yaml:6)`},
		{"id of another catalogue", header + `  - {id: R-PRIV, kind: right, title: a, text: a, refs: [UDHR 12]}
`, `org/x.yaml:6: id "R-PRIV" belongs to catalogue "rights"`},
		{"unknown instrument", header + `  - {id: A, kind: criterion, title: a, text: a, refs: [UDHRR 1]}
`, `org/x.yaml:6: A: unknown instrument "UDHRR" in reference "UDHRR 1"`},
		{"no reference", header + `  - {id: A, kind: criterion, title: a, text: a}
`, `org/x.yaml:6: A: no reference`},
		{"condition names missing question", header + `  - id: A
    kind: requirement
    title: a
    text: a
    refs: [UDHR 1]
    stage: planning
    level: 1
    when: {q: ai_decides, is: "yes"}
`, `org/x.yaml:13: A: when: question "ai_decides" does not exist`},
		{"condition value not an option", header + `  - id: A
    kind: rule
    title: a
    refs: [UDHR 1]
    raise: 2
    when: {q: automation, is: sometimes}
`, `org/x.yaml:11: A: when: "sometimes" is not an option of automation`},
		{"conflict without when", header + `  - {id: A, kind: conflict, title: a, refs: [UDHR 1]}
`, `org/x.yaml:6: A: a conflict needs when`},
		{"conflict with a raise", header + `  - {id: A, kind: conflict, title: a, refs: [UDHR 1], raise: 2, when: {q: digital, is: "no"}}
`, `org/x.yaml:6: A: field raise is not used by kind conflict`},
		{"condition operator wrong for type", header + `  - id: A
    kind: rule
    title: a
    refs: [UDHR 1]
    raise: 2
    when: {q: people_count, is: "3"}
`, `org/x.yaml:11: A: when: is cannot be used on people_count`},
		{"condition does not parse", header + `  - id: A
    kind: rule
    title: a
    refs: [UDHR 1]
    raise: 2
    when: {q: hardware, iz: "yes"}
`, `org/x.yaml:11: unknown condition key "iz"`},
		{"show_if cycle", header + `  - {id: qa, kind: question, type: yes_no, title: a, help: h, refs: [UDHR 1], show_if: {q: qb, is: "yes"}}
  - {id: qb, kind: question, type: yes_no, title: b, help: h, refs: [UDHR 1], show_if: {q: qa, is: "yes"}}
`, `cycle in show_if`},
		{"missing translation", "catalog: org\nversion: \"1\"\ntitle: Org\nlanguages: {en: full, pt: titles}\nitems:\n" +
			`  - {id: A, kind: criterion, title: a, text: a, refs: [UDHR 1]}
`, `org/x.yaml:6: A: title has no pt translation`},
		{"text split by comma", header + `  - {id: A, kind: criterion, title: {en: a, b}, text: a, refs: [UDHR 1]}
`, `that is not a language`},
		{"unknown field", header + `  - {id: A, kind: criterion, title: a, text: a, refs: [UDHR 1], shw_if: x}
`, `org/x.yaml:6: unknown field "shw_if"`},
		{"field on wrong kind", header + `  - {id: A, kind: criterion, title: a, text: a, refs: [UDHR 1], raise: 3}
`, `A: field raise is not used by kind criterion`},
		{"unknown stage", header + `  - {id: A, kind: requirement, title: a, text: a, refs: [UDHR 1], stage: tendering, level: 1}
`, `unknown stage "tendering"`},
		{"rights names a non-right", header + `  - {id: A, kind: criterion, title: a, text: a, refs: [UDHR 1], rights: [AAAQ-Q]}
`, `rights names "AAAQ-Q", which is a criterion, not a right`},
		{"yaml syntax", header + "  - id: A\n   title: [\n", `org/x.yaml:5:`},
		{"english not full", "catalog: org\nversion: \"1\"\ntitle: Org\nlanguages: {pt: full}\nitems: []\n", `org/x.yaml:4: languages: English must be complete`},
		{"retire unknown", header + "  - {id: NOPE, retire: true}\n", `retire: no item "NOPE"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := lintOverride(t, c.file)
			for _, g := range got {
				if strings.Contains(g, c.want) {
					return
				}
			}
			t.Errorf("no problem containing %q; got:\n%s", c.want, strings.Join(got, "\n"))
		})
	}
}

func TestOverrideReplacesExtendsAndRetires(t *testing.T) {
	base, _ := Build(Embedded())
	file := `catalog: rights
version: org-2
languages: {en: full}
items:
  - id: R-PRIV
    title: Privacy (our wording)
    text: Our own text.
    refs: [UDHR 12]
  - id: R-ENV
    title: Healthy environment
    text: A clean, healthy and sustainable environment.
    refs: [CFR 37]
  - id: R-SCIENCE
    retire: true
`
	s, probs := Build(Embedded(), []Source{{Name: "org/rights.yaml", Data: []byte(file)}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if it, _ := s.Item("R-PRIV"); it.Title.In("en") != "Privacy (our wording)" || it.File != "org/rights.yaml" || it.Line != 5 {
		t.Errorf("R-PRIV not replaced with its file and line: %+v", it)
	}
	if _, ok := s.Item("R-ENV"); !ok {
		t.Error("new id did not extend the catalogue")
	}
	if _, ok := s.Item("R-SCIENCE"); ok {
		t.Error("retired item still present")
	}
	rights, _ := s.Catalog("rights")
	if rights.Version != "1.1.0+org-2" || rights.Items[0].ID != "R-PRIV" {
		t.Errorf("version %q, first item %s", rights.Version, rights.Items[0].ID)
	}
	if s.Hash() == base.Hash() {
		t.Error("hash did not change with the override")
	}
}

func TestEveryItemHasReferenceAndRequiredCounts(t *testing.T) {
	s, probs := Build(Embedded())
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	for _, c := range s.Catalogs() {
		for _, it := range c.Items {
			if it.Kind != "instrument" && len(it.Refs) == 0 {
				t.Errorf("%s has no reference", it.ID)
			}
		}
	}
	count := func(cat, kind string) int {
		c, _ := s.Catalog(cat)
		n := 0
		for _, it := range c.Items {
			if kind == "" || it.Kind == kind {
				n++
			}
		}
		return n
	}
	if n := count("rights", "right"); n < 25 {
		t.Errorf("%d rights, want at least 25", n)
	}
	if n := count("pt-principles", "requirement"); n < 27 {
		t.Errorf("%d requirements from the nine principles, want at least 27", n)
	}
	if n := count("pt-principles", "principle"); n != 9 {
		t.Errorf("%d Portuguese principles, want 9", n)
	}
	for _, lang := range []string{"pt", "es", "fr"} {
		for _, cat := range []string{"rights", "screening"} {
			c, _ := s.Catalog(cat)
			for _, it := range c.Items {
				if it.Title[lang] == "" {
					t.Errorf("%s %s has no %s title", cat, it.ID, lang)
				}
			}
		}
	}
}
