package consultation

import (
	"slices"
	"strconv"
	"strings"

	"buyright/internal/model"
)

// Kind is who a response comes from.
type Kind string

const (
	// Public is a response from anyone, through the public form: anonymous
	// or with a name and contact that only the body can read (sealed), and
	// a receipt code to read the answer.
	Public Kind = "public"
	// Organisation is a response a civil-society organisation or
	// representative group invited to the consultation sends from its own
	// account, under its name, with files.
	Organisation Kind = "organisation"
)

// Limits on a response, in characters.
const (
	MaxAnswer  = 10000
	MaxAnswers = 30000
)

// Response is one response to a consultation. Nobody edits or deletes it;
// the body may only hide it, citing a published rule and a public reason.
type Response struct {
	ID             int64
	ConsultationID int64
	Kind           Kind
	OrgID          int64  // the responding organisation (Organisation only)
	OrgName        string // filled by queries
	Lang           string // the language of the page it was written on
	// Answers has one entry per question, then the general comments last;
	// an entry may be empty.
	Answers    []string
	Named      bool // a public response with a sealed name and contact
	ReceivedOn model.Date
	AnswerID   int64 // the body's answer that covers it; 0: not yet answered
	Hidden     *Hiding
	Files      []File // without their data
	// IdentityErasedOn is the day the retention schedule erased the name
	// and contact (Named is then false).
	IdentityErasedOn model.Date
}

// Hiding is the public record of why a response is hidden.
type Hiding struct {
	Rule   string
	Reason string
	On     model.Date
}

// File is a response's attachment.
type File struct {
	ID     int64
	Name   string
	CType  string
	Data   []byte // bytes to store, for small files; or
	SHA256 string // a blob stored already (and what reading fills)
	Size   int64
}

// Visible reports whether the response's words are shown to the public.
func (r *Response) Visible() bool { return r.Hidden == nil }

// Comments are the general comments after the answers to the questions.
func (r *Response) Comments() string {
	if len(r.Answers) == 0 {
		return ""
	}
	return r.Answers[len(r.Answers)-1]
}

// Excerpt is the first words of a response, for lists and for an impact's
// description drafted from it.
func (r *Response) Excerpt(n int) string {
	var parts []string
	for _, a := range r.Answers {
		if a != "" {
			parts = append(parts, a)
		}
	}
	s := strings.Join(parts, " / ")
	if rs := []rune(s); len(rs) > n {
		return strings.TrimSpace(string(rs[:n])) + "…"
	}
	return s
}

// AnswerField is the form field of the answer to question i (from 0), or
// of the general comments when i equals the number of questions.
func AnswerField(i, questions int) string {
	if i >= questions {
		return "r_comments"
	}
	return "r_q" + strconv.Itoa(i+1)
}

// NormalizeAnswers cleans what a person typed for a consultation with
// the given number of questions: raw holds the answers in question order
// then the comments, with missing ones empty. It refuses an empty
// response and overlong text, by form field.
func NormalizeAnswers(raw []string, questions int) ([]string, model.FieldErrors) {
	fe := model.FieldErrors{}
	out := make([]string, questions+1)
	total, some := 0, false
	for i := range out {
		if i < len(raw) {
			out[i] = model.CleanText(raw[i])
		}
		n := len([]rune(out[i]))
		total += n
		some = some || out[i] != ""
		if n > MaxAnswer {
			fe.Add(AnswerField(i, questions), "invalid.too_long")
		}
	}
	switch {
	case !some:
		fe.Add(AnswerField(0, questions), "consult.response_empty")
	case total > MaxAnswers && len(fe) == 0:
		fe.Add(AnswerField(questions, questions), "consult.response_too_long")
	}
	return out, fe
}

// Rules are the moderation rules every consultation page publishes. A body
// hides a response only by citing one of them, with a reason the public
// reads; disagreement with the body, criticism and strong words are not
// among them.
var Rules = []string{"personal_data", "threat", "hate", "spam", "unlawful"}

// HideProblems checks a decision to hide a response, by form field.
func HideProblems(rule, reason string) (string, model.FieldErrors) {
	fe := model.FieldErrors{}
	reason = model.CleanText(reason)
	if !slices.Contains(Rules, rule) {
		fe.Add("h_rule", "invalid.choice")
	}
	switch {
	case len([]rune(reason)) < 10:
		fe.Add("h_reason", "consult.hide_reason_short")
	case model.TooLong(reason, 2000):
		fe.Add("h_reason", "invalid.too_long")
	}
	return reason, fe
}
