package screening

import "buyright/internal/catalog"

// Holds evaluates a catalogue condition on an answer set the way the
// screening evaluates a requirement's when: an unanswered question, or one
// hidden by other answers, makes a leaf false. Other catalogue kinds that
// carry a when (contract clauses) use it to decide whether they apply.
func (q *Questionnaire) Holds(a Answers, c *catalog.Cond) bool {
	if c == nil {
		return true
	}
	ok, _ := q.view(a).eval(c)
	return ok
}
