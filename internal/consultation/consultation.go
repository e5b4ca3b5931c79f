// Package consultation is a public body's consultation of the people a
// purchase affects and of their organisations: the page it publishes in
// the languages it chooses (what is being decided, the questions, the
// accessible formats offered, the deadline, how input will be used), the
// responses anyone may send, named or not, the moderation rules a body
// must cite to hide a response, the body's answer to each response or
// group of responses ("you said, we did, or why not"), and the report that
// closes it. The gate rule that asks for a consultation before a level III
// or IV purchase's tender is designed lives here too. It imports no
// storage or web package.
package consultation

import (
	"slices"
	"strings"
	"time"

	"buyright/internal/model"
)

// Status is where a consultation stands as stored. Whether an open one
// still takes responses depends on the day (see Phase).
type Status string

const (
	Draft    Status = "draft"    // being written; nobody outside the body sees it
	Open     Status = "open"     // published; takes responses until its deadline
	Reported Status = "reported" // the report is published; nothing changes any more
)

// Phase is what the public sees on a given day.
type Phase string

const (
	PhaseDraft    Phase = "draft"
	PhaseOpen     Phase = "open"
	PhaseClosed   Phase = "closed" // past the deadline, report not yet published
	PhaseReported Phase = "reported"
)

// Langs are the languages a consultation may be written in, in the order
// forms show them.
var Langs = []string{"en", "pt", "es", "fr"}

// Format is an accessible format or channel the body offers on request.
type Format string

// Formats lists what a body may offer, in the order forms show them.
var Formats = []Format{"easy_read", "large_print", "audio", "sign_language", "braille", "paper", "meeting", "phone"}

// MinDays is the shortest time a consultation may run: people need time to
// hear of it, read it, talk it over in their organisations and write.
const MinDays = 14

// Limits on what a body writes, in characters.
const (
	maxTitle     = 300
	maxText      = 20000
	maxQuestion  = 1000
	maxQuestions = 20
)

// Text is the consultation in one language.
type Text struct {
	Lang      string
	Title     string
	Summary   string   // in plain language: what the purchase is and why it matters to people
	Deciding  string   // what is being decided, and what is already settled
	Questions []string // numbered from 1 on the public page
	Use       string   // how the input will be used and when people hear back
	Access    string   // how to ask for an accessible format, a meeting or help
	Report    string   // the report's conclusions, written when it is published
}

// Complete reports whether the text has everything a published
// consultation needs in that language.
func (t Text) Complete() bool {
	return t.Title != "" && t.Summary != "" && t.Deciding != "" && len(t.Questions) > 0 && t.Use != ""
}

// Empty reports whether nothing is written in the language.
func (t Text) Empty() bool {
	return t.Title == "" && t.Summary == "" && t.Deciding == "" && len(t.Questions) == 0 && t.Use == "" && t.Access == "" && t.Report == ""
}

// Consultation is one consultation on a purchase.
type Consultation struct {
	ID         int64
	PurchaseID int64
	OrgID      int64
	Status     Status
	Deadline   model.Date
	Formats    []Format
	Texts      []Text // only the languages written, in Langs order
	OpenedOn   model.Date
	ReportedAt time.Time
	Rev        int64 // optimistic lock for the draft and the report's words
	CreatedAt  time.Time
	UpdatedAt  time.Time

	PurchaseTitle string // filled by queries
	OrgName       string
}

// Phase says where the consultation is on day today.
func (c *Consultation) Phase(today model.Date) Phase {
	switch c.Status {
	case Draft:
		return PhaseDraft
	case Reported:
		return PhaseReported
	}
	if c.Deadline.Before(today) {
		return PhaseClosed
	}
	return PhaseOpen
}

// Accepting reports whether responses are taken on day today: the
// deadline day itself counts.
func (c *Consultation) Accepting(today model.Date) bool { return c.Phase(today) == PhaseOpen }

// Public reports whether anyone may read the consultation.
func (c *Consultation) Public() bool { return c.Status != Draft }

// Languages lists the languages the consultation is written in.
func (c *Consultation) Languages() []string {
	out := make([]string, 0, len(c.Texts))
	for _, t := range c.Texts {
		out = append(out, t.Lang)
	}
	return out
}

// In returns the text in lang, or else the text of the first language
// written; ok says whether lang itself was found. A consultation with no
// text at all returns an empty Text.
func (c *Consultation) In(lang string) (t Text, ok bool) {
	for _, x := range c.Texts {
		if x.Lang == lang {
			return x, true
		}
	}
	if len(c.Texts) > 0 {
		return c.Texts[0], false
	}
	return Text{Lang: lang}, false
}

// TextIn is the text in lang, or in the first language written (for
// templates, which take one result).
func (c *Consultation) TextIn(lang string) Text {
	t, _ := c.In(lang)
	return t
}

// Title is the title in lang, or in the first language written.
func (c *Consultation) Title(lang string) string {
	t, _ := c.In(lang)
	return t.Title
}

// Questions is how many questions the consultation asks (every language
// asks the same ones).
func (c *Consultation) Questions() int {
	n := 0
	for _, t := range c.Texts {
		n = max(n, len(t.Questions))
	}
	return n
}

// Offers reports whether the body offers format f.
func (c *Consultation) Offers(f Format) bool { return slices.Contains(c.Formats, f) }

// ParseQuestions reads the questions a body typed one per line, as they
// come from a form: blank lines and numbering the person typed ("1.", "2)")
// are dropped, so the public page numbers them once.
func ParseQuestions(s string) []string {
	var out []string
	for _, line := range strings.Split(model.CleanText(s), "\n") {
		line = strings.TrimSpace(stripNumber(strings.TrimSpace(line)))
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// stripNumber removes a leading "1." "2)" "3 -" or "Q4:" from a question.
func stripNumber(s string) string {
	rest := s
	if len(rest) > 1 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '0' && rest[1] <= '9' {
		rest = rest[1:]
	}
	i := 0
	for i < len(rest) && i < 3 && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	j := i
	for j < len(rest) && rest[j] == ' ' {
		j++
	}
	if i == 0 || j == len(rest) {
		return s
	}
	switch rest[j] {
	case '.', ')', ':', '-':
		return rest[j+1:]
	}
	return s
}

// Clean normalises everything a body typed, the way the rest of the
// product does, and sorts the texts and formats into their usual order.
func (c *Consultation) Clean() {
	var texts []Text
	for _, lang := range Langs {
		for _, t := range c.Texts {
			if t.Lang != lang {
				continue
			}
			t.Title = model.CleanLine(t.Title)
			t.Summary, t.Deciding = model.CleanText(t.Summary), model.CleanText(t.Deciding)
			t.Use, t.Access, t.Report = model.CleanText(t.Use), model.CleanText(t.Access), model.CleanText(t.Report)
			var qs []string
			for _, q := range t.Questions {
				if q = model.CleanLine(q); q != "" {
					qs = append(qs, q)
				}
			}
			t.Questions = qs
			if !t.Empty() {
				texts = append(texts, t)
			}
			break
		}
	}
	c.Texts = texts
	var fs []Format
	for _, f := range Formats {
		if slices.Contains(c.Formats, f) {
			fs = append(fs, f)
		}
	}
	c.Formats = fs
}

// FieldName is the form field of part of the text in lang, e.g.
// FieldName("title", "pt") = "c_title_pt".
func FieldName(part, lang string) string { return "c_" + part + "_" + lang }

// Validate checks a draft: lengths, known languages and formats. A draft
// may be incomplete; OpenProblems says what publishing it needs. Problems
// come back by form field.
func (c *Consultation) Validate(given []Format) model.FieldErrors {
	fe := model.FieldErrors{}
	for _, f := range given {
		if !slices.Contains(Formats, f) {
			fe.Add("c_formats", "invalid.choice")
		}
	}
	for _, t := range c.Texts {
		if !slices.Contains(Langs, t.Lang) {
			fe.Add("c_lang", "invalid.choice")
			continue
		}
		long := func(part, v string, n int) {
			if model.TooLong(v, n) {
				fe.Add(FieldName(part, t.Lang), "invalid.too_long")
			}
		}
		long("title", t.Title, maxTitle)
		long("summary", t.Summary, maxText)
		long("deciding", t.Deciding, maxText)
		long("use", t.Use, maxText)
		long("access", t.Access, maxText)
		long("report", t.Report, maxText)
		if len(t.Questions) > maxQuestions {
			fe.Add(FieldName("questions", t.Lang), "consult.too_many_questions")
		}
		for _, q := range t.Questions {
			long("questions", q, maxQuestion)
		}
	}
	return fe
}

// OpenProblems says what stops the draft from being published on day
// today: every language written must be complete and ask the same number
// of questions, at least one language must be written, and the deadline
// must leave people at least MinDays.
func (c *Consultation) OpenProblems(today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	if len(c.Texts) == 0 {
		fe.Add(FieldName("title", "en"), "consult.no_language")
	}
	n := c.Questions()
	for _, t := range c.Texts {
		for part, empty := range map[string]bool{"title": t.Title == "", "summary": t.Summary == "", "deciding": t.Deciding == "", "questions": len(t.Questions) == 0, "use": t.Use == ""} {
			if empty {
				fe.Add(FieldName(part, t.Lang), "consult.needed_to_open")
			}
		}
		if len(t.Questions) > 0 && len(t.Questions) != n {
			fe.Add(FieldName("questions", t.Lang), "consult.questions_differ")
		}
	}
	switch {
	case c.Deadline.IsZero():
		fe.Add("c_deadline", "invalid.required")
	case c.Deadline.Before(today.AddDays(MinDays)):
		fe.Add("c_deadline", "consult.deadline_too_soon")
	}
	return fe
}

// ExtendProblem says why the deadline cannot move to d, as a translation
// key, or "" when it can: only an open consultation's deadline moves, and
// only later, so nobody who planned on the published date loses time.
func (c *Consultation) ExtendProblem(d model.Date, today model.Date) string {
	switch {
	case c.Status != Open:
		return "consult.extend_not_open"
	case d.IsZero():
		return "invalid.required"
	case !c.Deadline.Before(d):
		return "consult.extend_earlier"
	case d.Before(today):
		return "consult.extend_earlier"
	}
	return ""
}
