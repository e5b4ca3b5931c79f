package catalog

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzBuild lays an arbitrary file over the built-in set: the loader and
// linter must never panic, and a set is returned exactly when there are no
// problems.
func FuzzBuild(f *testing.F) {
	// A small base keeps each run fast under fuzzing instrumentation while
	// still giving overrides something to replace and questions to name.
	var base []Source
	for _, src := range Embedded() {
		if src.Name == "data/instruments.yaml" || src.Name == "data/screening.yaml" || src.Name == "data/aaaq.yaml" {
			base = append(base, src)
		}
	}
	f.Add([]byte(header + "  - {id: A, kind: criterion, title: a, text: a, refs: [UDHR 1]}\n"))
	f.Add([]byte(header + "  - {id: qa, kind: question, type: single, title: a, help: h, refs: [UDHR 1], options: [{id: x, label: x}, {id: y, label: y}], show_if: {not: {q: qa, in: [x]}}}\n"))
	f.Add([]byte("catalog: aaaq\nversion: x\nlanguages: {en: full}\nitems:\n  - {id: AAAQ-Q, retire: true}\n"))
	f.Add([]byte(header + "  - {id: D1, kind: date, title: a, text: a, refs: [UDHR 1], date: \"2026-08-02\", as_of: \"2026-12-01\", source: s, status: unconfirmed}\n"))
	f.Add([]byte("catalog: instruments\nversion: x\nlanguages: {en: full}\nkind: instrument\nitems:\n  - {id: NEW, title: n, text: n, citation: c}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("catalog: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, probs := Build(base, []Source{{Name: "fuzz.yaml", Data: data}})
		if (s == nil) == (len(probs) == 0) {
			t.Fatalf("set %v with %d problems", s != nil, len(probs))
		}
		if s != nil {
			probs = append(probs, s.Uncited()...)
		}
		for _, p := range probs {
			if p.File == "" || p.Msg == "" {
				t.Fatalf("problem without file or message: %+v", p)
			}
		}
	})
}

// FuzzCond decodes arbitrary condition text: no panic, and a condition
// that decodes has a known operator and the operands it needs.
func FuzzCond(f *testing.F) {
	for _, s := range []string{
		`{q: a, is: "yes"}`, `{q: a, in: [x, y]}`, `{atleast: 2, of: [{q: a, gte: 1}, {q: b, lte: 2}]}`,
		`{not: {q: a, answered: true}}`, `{all: []}`, `{q: a, gte: .nan}`, `[1]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Cond
		if err := yaml.Unmarshal(data, &c); err != nil || c.Op == "" {
			return
		}
		var check func(*Cond)
		check = func(c *Cond) {
			switch c.Op {
			case "all", "any", "atleast":
				if len(c.Subs) == 0 || c.N > len(c.Subs) {
					t.Fatalf("%s with %d operands", c.Op, len(c.Subs))
				}
			case "not":
				if len(c.Subs) != 1 {
					t.Fatal("not without one operand")
				}
			default:
				if c.Q == "" {
					t.Fatalf("%s without a question", c.Op)
				}
			}
			for _, s := range c.Subs {
				check(s)
			}
		}
		check(&c)
	})
}
