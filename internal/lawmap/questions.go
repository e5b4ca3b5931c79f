package lawmap

import (
	"strings"
	"unicode/utf8"

	"buyright/internal/catalog"
)

// Questions added or reworded by Lab editors in the interface live in the
// database; the questionnaire a page uses is the built-in one with those
// applied. They answer with the same options as every built-in question
// (yes, partly, no, not regulated), so answers stay comparable across the
// matrix.

// TitleLangs are the languages a question's title is written in; English
// is required, the others fall back to it.
var TitleLangs = []string{"en", "pt", "es", "fr"}

// QuestionDef is a question as an editor writes it.
type QuestionDef struct {
	ID    string
	Group string
	Title catalog.Text
	Help  string // English
}

// Def returns a question's words as a QuestionDef, to prefill a form.
func (q *Questionnaire) Def(id string) (QuestionDef, bool) {
	it, ok := q.Question(id)
	if !ok {
		return QuestionDef{}, false
	}
	d := QuestionDef{ID: it.ID, Group: it.Parent, Title: catalog.Text{}, Help: it.Help["en"]}
	for _, l := range TitleLangs {
		d.Title[l] = it.Title[l]
	}
	return d, true
}

// IsGroup reports whether id is a group of questions.
func (q *Questionnaire) IsGroup(id string) bool {
	for _, g := range q.Groups {
		if g.ID == id {
			return true
		}
	}
	return false
}

// With returns a copy of q with defs applied: a def whose ID is one of q's
// questions replaces its title, help and group; any other is a new question,
// listed after the others in the order given. q itself is not changed, so
// the built-in questionnaire can be shared.
func (q *Questionnaire) With(defs []QuestionDef) *Questionnaire {
	if len(defs) == 0 {
		return q
	}
	out := &Questionnaire{Set: q.Set, Groups: q.Groups, byID: map[string]*catalog.Item{}}
	byID := map[string]QuestionDef{}
	for _, d := range defs {
		byID[d.ID] = d
	}
	for _, it := range q.Questions {
		if d, ok := byID[it.ID]; ok {
			c := *it
			c.Title, c.Parent = d.title(), d.Group
			c.Help = catalog.Text{}
			for l, v := range it.Help {
				c.Help[l] = v
			}
			c.Help["en"] = d.Help
			it = &c
			delete(byID, d.ID)
		}
		out.Questions = append(out.Questions, it)
		out.byID[it.ID] = it
	}
	var options []catalog.Option
	if len(q.Questions) > 0 {
		options = q.Questions[0].Options
	}
	for _, d := range defs {
		if _, left := byID[d.ID]; !left {
			continue
		}
		it := &catalog.Item{ID: d.ID, Kind: "question", Type: "single", Parent: d.Group, Title: d.title(),
			Help: catalog.Text{"en": d.Help}, Options: options, Catalog: "lawmap"}
		out.Questions = append(out.Questions, it)
		out.byID[it.ID] = it
	}
	return out
}

func (d QuestionDef) title() catalog.Text {
	t := catalog.Text{}
	for _, l := range TitleLangs {
		if v := strings.TrimSpace(d.Title[l]); v != "" {
			t[l] = v
		}
	}
	return t
}

// ValidQuestionID accepts "LM-" followed by up to 29 capital letters,
// digits and hyphens: the form the built-in questions use, and what the
// downloads carry as the question's column.
func ValidQuestionID(id string) bool {
	rest, ok := strings.CutPrefix(id, "LM-")
	if !ok || rest == "" || len(id) > 32 {
		return false
	}
	for _, r := range rest {
		if !(r >= 'A' && r <= 'Z') && !(r >= '0' && r <= '9') && r != '-' {
			return false
		}
	}
	return true
}

// CheckQuestion validates a question an editor wrote against q (the
// questionnaire as it is now) and returns the problems per form field. A
// new question needs an identifier nobody uses; an edit needs one that
// exists.
func CheckQuestion(q *Questionnaire, d *QuestionDef, isNew bool) map[string]string {
	f := map[string]string{}
	_, exists := q.Question(d.ID)
	switch {
	case !ValidQuestionID(d.ID):
		f["lab_code"] = "lab.map.invalid_code"
	case isNew && (exists || q.IsGroup(d.ID)):
		f["lab_code"] = "lab.map.code_taken"
	case !isNew && !exists:
		f["lab_code"] = "lab.invalid.question"
	}
	if !q.IsGroup(d.Group) {
		f["lab_group"] = "invalid.choice"
	}
	for _, l := range TitleLangs {
		v := strings.TrimSpace(d.Title[l])
		switch {
		case l == "en" && v == "":
			f["lab_title_en"] = "invalid.required"
		case utf8.RuneCountInString(v) > 300:
			f["lab_title_"+l] = "invalid.too_long"
		}
	}
	if utf8.RuneCountInString(d.Help) > 2000 {
		f["lab_help"] = "invalid.too_long"
	}
	return f
}
