package screening

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"buyright/internal/catalog"
)

// Answers maps question ids to answers in their normal form: "yes" or "no"
// for yes/no, the option id for single choice, a list of option ids for
// multiple choice, a float64 for numbers and a string for text. A question
// with no entry is unanswered.
type Answers map[string]any

// AnswerError is one rejected answer, named by its question id. With names
// the other question when two answers contradict each other.
type AnswerError struct {
	Question string `json:"question"`
	With     string `json:"with,omitempty"`
	Msg      string `json:"message"`
}

func (e AnswerError) Error() string {
	if e.With != "" {
		return e.Question + " and " + e.With + ": " + e.Msg
	}
	return e.Question + ": " + e.Msg
}

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

// ParseAnswers reads an answer file: one JSON object keyed by question id.
// It refuses, naming the question and the reason, an unknown id, a value
// outside the question's choices, an id given twice, an answer to a
// question the other answers do not ask, and answers that contradict each
// other. Anything that is not a JSON object is refused with where it went
// wrong. An accepted file may still be incomplete: Score says so.
func (q *Questionnaire) ParseAnswers(data []byte) (Answers, error) {
	raw, err := decodeObject(data)
	if err != nil {
		return nil, err
	}
	a, err := q.Normalize(raw)
	if err != nil {
		return nil, err
	}
	if err := q.Validate(a); err != nil {
		return nil, err
	}
	return a, nil
}

// decodeObject reads one JSON object of question ids to values, refusing a
// key given twice (encoding/json would silently keep the last) and
// anything after the object.
func decodeObject(data []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("answers: the file is empty; write a JSON object of question ids to answers, such as {\"digital\": \"yes\"}")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	where := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			// The decoder's offsets count from where its current value
			// began; the value itself starts after any separator.
			off := dec.InputOffset()
			for off < int64(len(data)) && strings.ContainsRune(" \t\r\n:,", rune(data[off])) {
				off++
			}
			line, col := lineCol(data, off)
			return fmt.Errorf("answers: not JSON at line %d, column %d: %v", line, col, se)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return errors.New("answers: not JSON: the file ends before the object is closed")
		}
		line, col := lineCol(data, dec.InputOffset())
		return fmt.Errorf("answers: not JSON at line %d, column %d: %v", line, col, err)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, where(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("answers: the file must be a JSON object of question ids to answers, such as {\"digital\": \"yes\"}")
	}
	out := map[string]any{}
	var errs AnswerErrors
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, where(err)
		}
		key, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, where(err)
		}
		if _, dup := out[key]; dup {
			errs = append(errs, AnswerError{Question: key, Msg: "answered twice in the file"})
			continue
		}
		out[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, where(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := lineCol(data, dec.InputOffset())
		return nil, fmt.Errorf("answers: not JSON at line %d, column %d: text after the closing brace", line, col)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// Normalize checks raw answers (as decoded from YAML, JSON or a form) and
// returns them in normal form. Unknown question ids and values of the wrong
// type are rejected with the question id named; a null is taken as no
// answer. It looks at each answer on its own: Validate checks them
// together.
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
			errs = append(errs, AnswerError{Question: id, Msg: "unknown question"})
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
			errs = append(errs, AnswerError{Question: id, Msg: msg})
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
		if strs, ok := v.([]string); ok { // already normal, as stored answers come back
			list := make([]any, len(strs))
			for i, x := range strs {
				list[i] = x
			}
			v = list
		}
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
		case json.Number:
			g, err := x.Float64()
			if err != nil {
				return nil, fmt.Sprintf("expected a number, got %s", describe(v))
			}
			f = g
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
