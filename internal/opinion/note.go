package opinion

import (
	"time"

	"buyright/internal/model"
)

// NoteKind is what an oversight body writes on a purchase besides an
// opinion: a note, or its own assessment of the purchase.
type NoteKind string

const (
	KindNote       NoteKind = "note"
	KindAssessment NoteKind = "assessment"
)

// NoteKinds lists the kinds in the order a form offers them.
var NoteKinds = []NoteKind{KindNote, KindAssessment}

// Part is the part of the buying body's assessment a note is about; ""
// means the purchase as a whole.
type Part string

const (
	Whole      Part = ""
	Impact     Part = "impact"
	Mitigation Part = "mitigation"
	Meeting    Part = "engagement" // a meeting with the people affected
)

// Parts lists the parts a note may be about.
var Parts = []Part{Impact, Mitigation, Meeting}

// Note is an oversight body's note, assessment or comment on a purchase or
// on one part of its assessment (an impact, a mitigation, a meeting),
// named by the part's id in the assessment. A shared note is read by
// everyone who reads the purchase's record (the buying body and the
// oversight bodies in whose remit it is); one not shared only by the body
// that wrote it. Notes are never changed.
type Note struct {
	ID         int64
	PurchaseID int64
	OrgID      int64
	OrgName    string
	Kind       NoteKind
	Part       Part
	PartID     int
	Shared     bool
	Title      string
	Body       string
	By         int64
	ByName     string
	At         time.Time
}

// Validate checks a note before it is stored, by form field.
func (n *Note) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	n.Title = model.CleanLine(n.Title)
	n.Body = model.CleanText(n.Body)
	if !oneOf(n.Kind, NoteKinds) {
		fe.Add("note_kind", "invalid.choice")
	}
	switch {
	case n.Part == Whole && n.PartID != 0, n.Part != Whole && (!oneOf(n.Part, Parts) || n.PartID <= 0):
		fe.Add("part", "invalid.choice")
	}
	if model.TooLong(n.Title, 300) {
		fe.Add("note_title", "invalid.too_long")
	}
	switch {
	case n.Body == "":
		fe.Add("note_body", "invalid.required")
	case model.TooLong(n.Body, maxReasons):
		fe.Add("note_body", "invalid.too_long")
	}
	return fe
}
