package screening

import (
	"fmt"
	"strconv"
	"strings"

	"buyright/internal/catalog"
)

// Validate checks an answer set as a whole, after Normalize has checked
// each answer on its own: an answer to a question that the other answers
// do not ask is refused (it would otherwise be silently ignored, and the
// person would believe it counted), and so are answers that contradict
// each other, each named with both questions.
func (q *Questionnaire) Validate(a Answers) error {
	var errs AnswerErrors
	v := q.view(a)
	for _, it := range q.questions {
		if _, ok := a[it.ID]; ok && !v.visible(it.ID) {
			errs = append(errs, AnswerError{Question: it.ID,
				Msg: "not asked with these answers (asked only when " + describeCond(it.ShowIf) + ")"})
		}
	}
	errs = append(errs, q.Conflicts(a)...)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Conflicts lists the pairs of answers that cannot both be true, from the
// catalogue's conflict items. Only visible answers count, so an answer the
// person can no longer see never blocks them.
func (q *Questionnaire) Conflicts(a Answers) AnswerErrors {
	var errs AnswerErrors
	v := q.view(a)
	for _, c := range q.conflicts {
		if ok, _ := v.eval(c.When); !ok {
			continue
		}
		ids := c.When.Questions()
		e := AnswerError{Question: ids[0], Msg: c.Title.In("en")}
		if len(ids) > 1 {
			e.With = ids[1]
		}
		errs = append(errs, e)
	}
	return errs
}

// Prune drops the answers to questions the other answers no longer ask, as
// when a person changes "personal data" to no after answering the data
// questions: the form keeps working and the hidden answers are not stored.
func (q *Questionnaire) Prune(a Answers) Answers {
	v := q.view(a)
	out := Answers{}
	for id, x := range a {
		if v.visible(id) {
			out[id] = x
		}
	}
	return out
}

// describeCond writes a show_if condition in words for an error message.
func describeCond(c *catalog.Cond) string {
	if c == nil {
		return "always"
	}
	join := func(sep string) string {
		parts := make([]string, len(c.Subs))
		for i, s := range c.Subs {
			parts[i] = describeCond(s)
			if len(s.Subs) > 1 {
				parts[i] = "(" + parts[i] + ")"
			}
		}
		return strings.Join(parts, sep)
	}
	switch c.Op {
	case "all":
		return join(" and ")
	case "any":
		return join(" or ")
	case "atleast":
		return fmt.Sprintf("at least %d of: %s", c.N, join("; "))
	case "not":
		return "not (" + describeCond(c.Subs[0]) + ")"
	case "is":
		return fmt.Sprintf("%s is %s", c.Q, c.Str)
	case "has":
		return fmt.Sprintf("%s includes %s", c.Q, c.Str)
	case "in":
		return fmt.Sprintf("%s is one of %s", c.Q, strings.Join(c.List, ", "))
	case "gte":
		return fmt.Sprintf("%s is at least %s", c.Q, strconv.FormatFloat(c.Num, 'f', -1, 64))
	case "lte":
		return fmt.Sprintf("%s is at most %s", c.Q, strconv.FormatFloat(c.Num, 'f', -1, 64))
	case "answered":
		if c.Bool {
			return c.Q + " is answered"
		}
		return c.Q + " is not answered"
	}
	return c.Op
}
