package screening

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"buyright/internal/catalog"

	"gopkg.in/yaml.v3"
)

// Answers maps question ids to answers in their normal form: "yes" or "no"
// for yes/no, the option id for single choice, a list of option ids for
// multiple choice, a float64 for numbers and a string for text. A question
// with no entry is unanswered.
type Answers map[string]any

// AnswerError is one rejected answer, named by its question id.
type AnswerError struct {
	Question string `json:"question"`
	Msg      string `json:"message"`
}

func (e AnswerError) Error() string { return e.Question + ": " + e.Msg }

// AnswerErrors lists every rejected answer of a set, so a person can fix
// them all at once.
type AnswerErrors []AnswerError

func (es AnswerErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return "answers rejected: " + strings.Join(parts, "; ")
}

// maxText bounds free-text answers; a screening answer is a few sentences.
const maxText = 10000

// ParseAnswers reads an answer file, YAML or JSON, keyed by question id, and
// checks every answer against its question.
func (q *Questionnaire) ParseAnswers(data []byte) (Answers, error) {
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("answers: not a YAML or JSON mapping of question ids to answers: %v", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return q.Normalize(raw)
}

// Normalize checks raw answers (as decoded from YAML, JSON or a form) and
// returns them in normal form. Unknown question ids and values of the wrong
// type are rejected with the question id named; a null is taken as no
// answer.
func (q *Questionnaire) Normalize(raw map[string]any) (Answers, error) {
	out := Answers{}
	var errs AnswerErrors
	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		v := raw[id]
		it, ok := q.byID[id]
		if !ok {
			errs = append(errs, AnswerError{id, "unknown question"})
			continue
		}
		if v == nil {
			continue
		}
		nv, msg := normalizeValue(it.Type, v)
		if msg == "" {
			msg = q.checkValue(id, nv)
		}
		if msg != "" {
			errs = append(errs, AnswerError{id, msg})
			continue
		}
		if list, ok := nv.([]string); ok && len(list) == 0 {
			continue // an empty choice is no answer yet
		}
		out[id] = nv
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

func normalizeValue(typ string, v any) (any, string) {
	switch typ {
	case "yes_no":
		switch x := v.(type) {
		case bool:
			if x {
				return "yes", ""
			}
			return "no", ""
		case string:
			if x == "yes" || x == "no" {
				return x, ""
			}
		}
		return nil, fmt.Sprintf("expected yes or no, got %s", describe(v))
	case "single":
		if s, ok := v.(string); ok {
			return s, ""
		}
		return nil, fmt.Sprintf("expected one option id, got %s", describe(v))
	case "multiple":
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Sprintf("expected a list of option ids, got %s", describe(v))
		}
		out := make([]string, 0, len(list))
		for _, e := range list {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Sprintf("expected a list of option ids, found %s in it", describe(e))
			}
			if !containsStr(out, s) {
				out = append(out, s)
			}
		}
		return out, ""
	case "number":
		var f float64
		switch x := v.(type) {
		case int:
			f = float64(x)
		case int64:
			f = float64(x)
		case uint64:
			f = float64(x)
		case float64:
			f = x
		default:
			return nil, fmt.Sprintf("expected a number, got %s", describe(v))
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "expected a finite number"
		}
		return f, ""
	case "text":
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Sprintf("expected text, got %s", describe(v))
		}
		if utf8.RuneCountInString(s) > maxText || !utf8.ValidString(s) {
			return nil, fmt.Sprintf("text must be valid and at most %d characters", maxText)
		}
		return strings.TrimSpace(s), ""
	}
	return nil, "question has an unknown type"
}

// checkValue checks a normalised value against the question's options and
// bounds.
func (q *Questionnaire) checkValue(id string, v any) string {
	it := q.byID[id]
	switch x := v.(type) {
	case string:
		if it.Type == "single" {
			if _, ok := it.Option(x); !ok {
				return fmt.Sprintf("%q is not an option (options: %s)", x, optionList(it.Options))
			}
		}
	case []string:
		for _, s := range x {
			if _, ok := it.Option(s); !ok {
				return fmt.Sprintf("%q is not an option (options: %s)", s, optionList(it.Options))
			}
		}
		if containsStr(x, "none") && len(x) > 1 {
			return "\"none\" cannot be combined with other options"
		}
	case float64:
		if it.Min != nil && x < *it.Min {
			return fmt.Sprintf("must be at least %g", *it.Min)
		}
		if it.Max != nil && x > *it.Max {
			return fmt.Sprintf("must be at most %g", *it.Max)
		}
	}
	return ""
}

func describe(v any) string {
	switch v.(type) {
	case string:
		return fmt.Sprintf("the text %q", v)
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case int, int64, uint64, float64:
		return fmt.Sprintf("the number %v", v)
	}
	return fmt.Sprintf("%T", v)
}

func optionList(opts []catalog.Option) string {
	ids := make([]string, len(opts))
	for i, o := range opts {
		ids[i] = o.ID
	}
	return strings.Join(ids, ", ")
}
