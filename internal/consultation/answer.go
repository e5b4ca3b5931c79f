package consultation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"buyright/internal/model"
)

// Outcome is what the body did with what a response, or a group of
// responses, said.
type Outcome string

const (
	Changed    Outcome = "changed"     // we changed the purchase as asked
	Partly     Outcome = "partly"      // we changed part of it, and say why not the rest
	NotChanged Outcome = "not_changed" // we did not, and say why not
	Explained  Outcome = "explained"   // nothing to change was asked: our reply
)

// Outcomes lists them in the order forms show them.
var Outcomes = []Outcome{Changed, Partly, NotChanged, Explained}

// Answer is the body's answer to one response or a group of responses
// that said the same thing: "you said, we did, or why not".
type Answer struct {
	ID             int64
	ConsultationID int64
	Said           string // what the responses said, in the body's words
	Did            string // what the body did about it
	WhyNot         string // why it did not do (all of) it
	Outcome        Outcome
	Responses      []int64 // the responses it answers, filled by queries
	By             string
	At             time.Time
}

// Clean normalises the answer's words.
func (a *Answer) Clean() {
	a.Said, a.Did, a.WhyNot = model.CleanText(a.Said), model.CleanText(a.Did), model.CleanText(a.WhyNot)
}

// Validate checks an answer, by form field: what was said, and what was
// done or why not as the outcome calls for.
func (a *Answer) Validate() model.FieldErrors {
	a.Clean()
	fe := model.FieldErrors{}
	if a.Said == "" {
		fe.Add("a_said", "invalid.required")
	}
	switch a.Outcome {
	case Changed, Explained:
		if a.Did == "" {
			fe.Add("a_did", "consult.did_needed")
		}
	case Partly:
		if a.Did == "" {
			fe.Add("a_did", "consult.did_needed")
		}
		if a.WhyNot == "" {
			fe.Add("a_why_not", "consult.why_not_needed")
		}
	case NotChanged:
		if a.WhyNot == "" {
			fe.Add("a_why_not", "consult.why_not_needed")
		}
	default:
		fe.Add("a_outcome", "invalid.choice")
	}
	for f, v := range map[string]string{"a_said": a.Said, "a_did": a.Did, "a_why_not": a.WhyNot} {
		if model.TooLong(v, MaxAnswer) {
			fe.Add(f, "invalid.too_long")
		}
	}
	return fe
}

// Counts are the figures of a consultation's responses.
type Counts struct {
	Responses     int // every response received
	Organisations int // from invited organisations' accounts
	People        int // through the public form
	Hidden        int
	Unanswered    int // visible responses no answer covers yet
}

// Count adds up the responses.
func Count(rs []*Response) Counts {
	var n Counts
	for _, r := range rs {
		n.Responses++
		if r.Kind == Organisation {
			n.Organisations++
		} else {
			n.People++
		}
		if !r.Visible() {
			n.Hidden++
		} else if r.AnswerID == 0 {
			n.Unanswered++
		}
	}
	return n
}

// ReportProblems says what stops the report from being published on day
// today, by form field: the consultation must be past its deadline, every
// response not hidden must have an answer, and the report's conclusions
// must be written in every language the consultation was published in.
func (c *Consultation) ReportProblems(rs []*Response, today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	switch c.Phase(today) {
	case PhaseOpen:
		fe.Add("_form", "consult.report_still_open")
	case PhaseReported:
		fe.Add("_form", "consult.report_already")
	case PhaseDraft:
		fe.Add("_form", "consult.report_not_open")
	}
	if Count(rs).Unanswered > 0 {
		fe.Add("_form", "consult.report_unanswered")
	}
	for _, t := range c.Texts {
		if t.Report == "" {
			fe.Add(FieldName("report", t.Lang), "consult.report_words_needed")
		}
	}
	return fe
}

// Sources link what a consultation fed into the assessment back to it: a
// held engagement records "consultation/ID", an impact raised in a
// response records "consultation/ID/response/RID".

// EngagementSource is the source of the engagement a report records.
func EngagementSource(id int64) string { return "consultation/" + strconv.FormatInt(id, 10) }

// ImpactSource is the source of an impact raised in a response.
func ImpactSource(id, response int64) string {
	return fmt.Sprintf("consultation/%d/response/%d", id, response)
}

// ParseSource reads a source written by EngagementSource or ImpactSource;
// response is 0 for an engagement. ok is false for anything else.
func ParseSource(s string) (id, response int64, ok bool) {
	parts := strings.Split(s, "/")
	if (len(parts) != 2 && len(parts) != 4) || parts[0] != "consultation" {
		return 0, 0, false
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || id <= 0 || parts[1] != strconv.FormatInt(id, 10) {
		return 0, 0, false
	}
	if len(parts) == 2 {
		return id, 0, true
	}
	response, err = strconv.ParseInt(parts[3], 10, 64)
	if parts[2] != "response" || err != nil || response <= 0 || parts[3] != strconv.FormatInt(response, 10) {
		return 0, 0, false
	}
	return id, response, true
}

// Link is the public page a source points at.
func Link(s string) string {
	id, response, ok := ParseSource(s)
	switch {
	case !ok:
		return ""
	case response == 0:
		return "/consultations/" + strconv.FormatInt(id, 10)
	}
	return fmt.Sprintf("/consultations/%d#response-%d", id, response)
}

// ValidOutcome reports whether o is known.
func ValidOutcome(o Outcome) bool { return slices.Contains(Outcomes, o) }
