package screening

import "buyright/internal/catalog"

// Questionnaire is the screening drawn from one catalogue set.
type Questionnaire struct {
	set          *catalog.Set
	questions    []*catalog.Item
	byID         map[string]*catalog.Item
	rules        []*catalog.Item
	assessments  []*catalog.Item
	requirements []*catalog.Item
	conflicts    []*catalog.Item
	thresholds   map[string][]float64 // numbers the rules compare each number question with
}

// New reads the questions, scoring rules, assessments and requirements out
// of a checked set. The set's linter has already made sure every condition
// names an existing question with a fitting value.
func New(set *catalog.Set) *Questionnaire {
	q := &Questionnaire{
		set:          set,
		questions:    set.OfKind("question"),
		byID:         map[string]*catalog.Item{},
		rules:        set.OfKind("rule"),
		assessments:  set.OfKind("assessment"),
		requirements: set.OfKind("requirement"),
		conflicts:    set.OfKind("conflict"),
		thresholds:   map[string][]float64{},
	}
	for _, it := range q.questions {
		q.byID[it.ID] = it
	}
	for _, r := range q.rules {
		walk(r.When, func(c *catalog.Cond) {
			if c.Op == "gte" || c.Op == "lte" {
				q.thresholds[c.Q] = append(q.thresholds[c.Q], c.Num)
			}
		})
	}
	return q
}

// Set is the catalogue set the questionnaire was drawn from.
func (q *Questionnaire) Set() *catalog.Set { return q.set }

// Questions returns every question in the order they are asked.
func (q *Questionnaire) Questions() []*catalog.Item { return q.questions }

// Question returns one question by id.
func (q *Questionnaire) Question(id string) (*catalog.Item, bool) {
	it, ok := q.byID[id]
	return it, ok
}

// Prefill suggests answers from what the purchase record already says (its
// technology kinds, sector and kind of relationship), for questions that
// declare a prefill. The suggestions are only a starting point; a person
// confirms each.
func (q *Questionnaire) Prefill(technology []string, sector, kind string) Answers {
	a := Answers{}
	for _, it := range q.questions {
		p := it.Prefill
		if p == nil {
			continue
		}
		keys := technology
		switch p.From {
		case "sector":
			keys = []string{sector}
		case "kind":
			keys = []string{kind}
		}
		for _, k := range keys {
			v, ok := p.Map[k]
			if !ok {
				continue
			}
			if it.Type == "multiple" {
				list, _ := a[it.ID].([]string)
				if !containsStr(list, v) {
					a[it.ID] = append(list, v)
				}
			} else if _, set := a[it.ID]; !set {
				a[it.ID] = v
			}
		}
	}
	return a
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// walk calls f on c and every condition inside it.
func walk(c *catalog.Cond, f func(*catalog.Cond)) {
	if c == nil {
		return
	}
	f(c)
	for _, s := range c.Subs {
		walk(s, f)
	}
}
