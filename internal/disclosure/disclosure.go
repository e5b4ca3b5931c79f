// Package disclosure is how a public body publishes the documents of a
// purchase on the register - the contract, an assessment, a consultation
// report, a monitoring report - in full or with parts held back. Each part
// held back (a redaction) states its ground (personal data, security, a
// commercial secret), what was removed and why, and names the approver who
// agreed to it; that record is public with the document. A ground may
// lapse on a date: the document is then republished in full, or an
// approver reviews the redaction and says why it stays.
//
// How a redaction is expressed: the body uploads two files, the full
// original, which stays inside the body (its people and oversight bodies
// may read it), and the redacted version, which is what the public gets.
// buyright cannot see inside a PDF to check what was blacked out, so it
// checks what it can: a document with redactions must have a redacted file
// that differs from the full one, a document without any must not have
// one, and the public is only ever served the redacted file until the
// document is republished in full. The package holds the rules; it has no
// storage or web code.
package disclosure

import (
	"time"

	"buyright/internal/model"
)

// Kinds of document a body publishes.
const (
	KindContract      = "contract"
	KindAssessment    = "assessment"
	KindConsultation  = "consultation_report"
	KindMonitoring    = "monitoring_report"
	StatusDraft       = "draft"
	StatusPublished   = "published"
	GroundPersonal    = "personal_data"
	GroundSecurity    = "security"
	GroundCommercial  = "commercial_secret"
	maxTitle          = 300
	maxDescription    = 2000
	maxLocation       = 500
	maxReason         = 2000
	maxNote           = 2000
	maxRedactionCount = 50
)

// Kinds lists the kinds in the order forms offer them.
var Kinds = []string{KindContract, KindAssessment, KindConsultation, KindMonitoring}

// Grounds lists the grounds a part may be held back on.
var Grounds = []string{GroundPersonal, GroundSecurity, GroundCommercial}

func oneOf(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Document is a document of a purchase prepared for, or published on, the
// public register.
type Document struct {
	ID             int64
	PurchaseID     int64
	Kind           string
	Title          string
	Description    string
	FullFileID     int64
	RedactedFileID int64 // 0 when there is no redacted version
	Full, Redacted File  // names and types of the two files
	Status         string
	InFull         bool // published in full, from the start or after its redactions were lifted
	PublishedBy    string
	PublishedAt    time.Time
	CreatedAt      time.Time
	Redactions     []Redaction
}

// File is what a listing says of a file: its name, type and size.
type File struct {
	Name  string
	CType string
	Size  int64
}

// KB is the file's size in kilobytes, rounded up, for a listing.
func (f File) KB() int64 { return (f.Size + 1023) / 1024 }

// PublicFile describes the file the public gets (zero before publication).
func (d Document) PublicFile() File {
	switch d.PublicFileID() {
	case 0:
		return File{}
	case d.FullFileID:
		return d.Full
	}
	return d.Redacted
}

// Redaction is one part of a document held back from the public.
type Redaction struct {
	ID         int64
	DocumentID int64
	Ground     string
	Location   string // what was removed, and where in the document
	Reason     string // why the ground applies to it
	LapsesOn   model.Date
	AgreedBy   string // the approver who agreed, once published or reviewed
	AgreedAt   time.Time
	LiftedAt   time.Time // when the document was republished in full
	Reviews    []Review
}

// Review is an approver's decision to keep a redaction whose ground
// lapsed, with a new lapse date or none, and why.
type Review struct {
	OldLapse  model.Date
	NewLapse  model.Date
	Note      string
	DecidedBy string
	DecidedAt time.Time
}

// Validate checks a document's description before it is kept.
func (d *Document) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	d.Title, d.Description = model.CleanLine(d.Title), model.CleanText(d.Description)
	if !oneOf(d.Kind, Kinds) {
		fe.Add("doc_kind", "invalid.choice")
	}
	if d.Title == "" {
		fe.Add("doc_title", "invalid.required")
	} else if model.TooLong(d.Title, maxTitle) {
		fe.Add("doc_title", "invalid.too_long")
	}
	if model.TooLong(d.Description, maxDescription) {
		fe.Add("doc_description", "invalid.too_long")
	}
	return fe
}

// Validate checks a redaction before it is kept. A lapse date, when given,
// is in the future: a ground that has already lapsed holds nothing back.
func (r *Redaction) Validate(today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	r.Location, r.Reason = model.CleanLine(r.Location), model.CleanText(r.Reason)
	if !oneOf(r.Ground, Grounds) {
		fe.Add("ground", "invalid.choice")
	}
	if r.Location == "" {
		fe.Add("location", "invalid.required")
	} else if model.TooLong(r.Location, maxLocation) {
		fe.Add("location", "invalid.too_long")
	}
	if r.Reason == "" {
		fe.Add("reason", "invalid.required")
	} else if model.TooLong(r.Reason, maxReason) {
		fe.Add("reason", "invalid.too_long")
	}
	if !r.LapsesOn.IsZero() && !today.Before(r.LapsesOn) {
		fe.Add("lapses_on", "disclosure.err.lapse_past")
	}
	return fe
}

// Active reports whether the redaction still holds its part back.
func (r Redaction) Active() bool { return r.LiftedAt.IsZero() }

// Lapsed reports whether the redaction's ground has lapsed by day while
// the part is still held back.
func (r Redaction) Lapsed(day model.Date) bool {
	return r.Active() && !r.LapsesOn.IsZero() && !day.Before(r.LapsesOn)
}

// Published reports whether the public may see the document (when the
// purchase itself is on the register).
func (d Document) Published() bool { return d.Status == StatusPublished }

// PublicFileID is the file the public gets: the redacted version until the
// document is published in full. 0 before it is published.
func (d Document) PublicFileID() int64 {
	switch {
	case !d.Published():
		return 0
	case d.InFull:
		return d.FullFileID
	}
	return d.RedactedFileID
}

// ActiveRedactions lists the parts still held back.
func (d Document) ActiveRedactions() []Redaction {
	var out []Redaction
	for _, r := range d.Redactions {
		if r.Active() {
			out = append(out, r)
		}
	}
	return out
}

// LapsedRedactions lists the parts still held back whose ground lapsed by day.
func (d Document) LapsedRedactions(day model.Date) []Redaction {
	var out []Redaction
	for _, r := range d.Redactions {
		if r.Lapsed(day) {
			out = append(out, r)
		}
	}
	return out
}

// CanAddRedaction says why a redaction cannot be added, as a translation
// key, or "": only a draft's redactions change, since once published the
// public has seen the document as it was.
func (d Document) CanAddRedaction() string {
	switch {
	case d.Published():
		return "disclosure.err.published"
	case len(d.Redactions) >= maxRedactionCount:
		return "disclosure.err.too_many"
	}
	return ""
}

// PublishProblem says why the draft cannot be published, as a translation
// key, or "". fullSum and redactedSum are the SHA-256 of the two files
// ("" for no redacted file).
func (d Document) PublishProblem(fullSum, redactedSum string) string {
	switch {
	case d.Published():
		return "disclosure.err.published"
	case len(d.Redactions) > 0 && d.RedactedFileID == 0:
		return "disclosure.err.no_redacted_file"
	case len(d.Redactions) > 0 && fullSum == redactedSum:
		return "disclosure.err.same_file"
	case len(d.Redactions) == 0 && d.RedactedFileID != 0:
		return "disclosure.err.no_redactions"
	}
	return ""
}

// ValidateReview checks an approver's review of a lapsed redaction: the
// part must still be held back, a reason is given, and a new lapse date,
// if any, lies ahead.
func ValidateReview(r Redaction, newLapse model.Date, note string, today model.Date) model.FieldErrors {
	fe := model.FieldErrors{}
	note = model.CleanText(note)
	if !r.Active() {
		fe.Add("note", "disclosure.err.lifted")
	}
	if note == "" {
		fe.Add("note", "invalid.required")
	} else if model.TooLong(note, maxNote) {
		fe.Add("note", "invalid.too_long")
	}
	if !newLapse.IsZero() && !today.Before(newLapse) {
		fe.Add("new_lapse", "disclosure.err.lapse_past")
	}
	return fe
}

// OCDSType is the document type the OCDS export gives a kind: the core
// contractSigned for a contract, and the types buyright's extension adds
// for the others (a consultation report is an engagement report).
func OCDSType(kind string) string {
	switch kind {
	case KindContract:
		return "contractSigned"
	case KindAssessment:
		return "humanRightsImpactAssessment"
	case KindConsultation:
		return "engagementReport"
	}
	return "monitoringReport"
}

// OCDSGround is a ground's code in the extension's redactionGround codelist.
func OCDSGround(ground string) string {
	switch ground {
	case GroundPersonal:
		return "personalData"
	case GroundCommercial:
		return "commercialSecret"
	}
	return "security"
}
