package screening

import (
	"sort"

	"buyright/internal/catalog"
)

// Cited is one answer that made a condition hold, reported so a person sees
// exactly which of their answers drove a result.
type Cited struct {
	Question string `json:"question"`
	Answer   any    `json:"answer"`
}

// view is the answers as the questionnaire sees them: an answer to a
// question hidden by other answers does not count.
type view struct {
	q       *Questionnaire
	answers Answers
	vis     map[string]bool
}

func (q *Questionnaire) view(a Answers) *view {
	return &view{q: q, answers: a, vis: map[string]bool{}}
}

// visible reports whether question id is shown. The linter guarantees
// show_if has no cycles; the guard below only protects against a set built
// without it.
func (v *view) visible(id string) bool {
	if r, ok := v.vis[id]; ok {
		return r
	}
	it, ok := v.q.byID[id]
	if !ok {
		return false
	}
	v.vis[id] = false // guard against cycles while evaluating
	r := it.ShowIf == nil
	if !r {
		r, _ = v.eval(it.ShowIf)
	}
	v.vis[id] = r
	return r
}

// value is the answer to a visible question, or nil.
func (v *view) value(id string) any {
	if !v.visible(id) {
		return nil
	}
	return v.answers[id]
}

// eval evaluates a condition and returns the answers that made it true.
func (v *view) eval(c *catalog.Cond) (bool, []Cited) {
	switch c.Op {
	case "all":
		var cited []Cited
		for _, s := range c.Subs {
			ok, cs := v.eval(s)
			if !ok {
				return false, nil
			}
			cited = append(cited, cs...)
		}
		return true, dedupe(cited)
	case "any", "atleast":
		need := 1
		if c.Op == "atleast" {
			need = c.N
		}
		n := 0
		var cited []Cited
		for _, s := range c.Subs {
			if ok, cs := v.eval(s); ok {
				n++
				cited = append(cited, cs...)
			}
		}
		if n < need {
			return false, nil
		}
		return true, dedupe(cited)
	case "not":
		if ok, _ := v.eval(c.Subs[0]); ok {
			return false, nil
		}
		// The reason a "not" holds is the answers it looked at.
		var cited []Cited
		for _, id := range c.Subs[0].Questions() {
			if val := v.value(id); val != nil {
				cited = append(cited, Cited{id, val})
			}
		}
		return true, cited
	}
	val := v.value(c.Q)
	cite := []Cited{{c.Q, val}}
	switch c.Op {
	case "answered":
		return (val != nil) == c.Bool, citeIf(val != nil, cite)
	case "is":
		s, _ := val.(string)
		return val != nil && s == c.Str, cite
	case "has":
		list, _ := val.([]string)
		return containsStr(list, c.Str), []Cited{{c.Q, []string{c.Str}}}
	case "in":
		switch x := val.(type) {
		case string:
			return containsStr(c.List, x), cite
		case []string:
			var hit []string
			for _, s := range x {
				if containsStr(c.List, s) {
					hit = append(hit, s)
				}
			}
			return len(hit) > 0, []Cited{{c.Q, hit}}
		}
		return false, nil
	case "gte", "lte":
		f, ok := val.(float64)
		if !ok {
			return false, nil
		}
		if c.Op == "gte" {
			return f >= c.Num, cite
		}
		return f <= c.Num, cite
	}
	return false, nil
}

func citeIf(ok bool, c []Cited) []Cited {
	if ok {
		return c
	}
	return nil
}

// dedupe merges citations of the same question (a multiple-choice answer
// cited by two branches keeps the union of the cited options), in the order
// the condition names them.
func dedupe(cs []Cited) []Cited {
	var out []Cited
	idx := map[string]int{}
	for _, c := range cs {
		i, seen := idx[c.Question]
		if !seen {
			idx[c.Question] = len(out)
			out = append(out, c)
			continue
		}
		a, okA := out[i].Answer.([]string)
		b, okB := c.Answer.([]string)
		if okA && okB {
			merged := append([]string(nil), a...)
			for _, s := range b {
				if !containsStr(merged, s) {
					merged = append(merged, s)
				}
			}
			sort.Strings(merged)
			out[i].Answer = merged
		}
	}
	return out
}

// Visible returns the questions shown for these answers, in order.
func (q *Questionnaire) Visible(a Answers) []*catalog.Item {
	v := q.view(a)
	var out []*catalog.Item
	for _, it := range q.questions {
		if v.visible(it.ID) {
			out = append(out, it)
		}
	}
	return out
}
