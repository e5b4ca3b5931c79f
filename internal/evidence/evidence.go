// Package evidence says how each requirement a screening made mandatory is
// met. A requirement that names a check (catalog.Checks) is met only by the
// fact buyright records itself: an approver's sign-off, a meeting recorded
// as held, monitoring values, a register entry. A requirement that a tender
// item or a signed contract safeguard answers is met by that item. Any
// other requirement is met only by evidence a named person vouched for: a
// file, a link to a record of the same purchase, or a written statement.
// An approver may accept a requirement as not applicable, with a reason.
// Nothing is met by ticking a box.
package evidence

import (
	"strconv"
	"strings"
	"time"

	"buyright/internal/model"
)

// Kind is the sort of evidence recorded for a requirement.
type Kind string

const (
	File          Kind = "file"           // an uploaded document
	Link          Kind = "link"           // a record of the same purchase in buyright
	Statement     Kind = "statement"      // a written account of how it is met
	NotApplicable Kind = "not_applicable" // an approver's reason why it does not apply
	Withdrawn     Kind = "withdrawn"      // the earlier evidence no longer stands
)

// Kinds lists the kinds a form offers, in order.
var Kinds = []Kind{File, Link, Statement, NotApplicable, Withdrawn}

// Evidence is one record of how a requirement is met. Records are never
// changed: a newer one for the same requirement replaces the older one,
// and the history stays.
type Evidence struct {
	ID          int64
	PurchaseID  int64
	Requirement string
	Kind        Kind
	FileID      int64
	FileName    string // filled when read
	Link        string
	Text        string
	By          int64
	ByName      string
	At          time.Time
}

// Stands reports whether the record still says something (it is not a
// withdrawal).
func (e *Evidence) Stands() bool { return e != nil && e.Kind != Withdrawn }

// Validate checks a new record before it is stored, by form field. The
// record of a link is normalised to its path.
func (e *Evidence) Validate() model.FieldErrors {
	fe := model.FieldErrors{}
	e.Text = model.CleanText(e.Text)
	e.Link = strings.TrimSpace(e.Link)
	if model.TooLong(e.Text, 10000) {
		fe.Add("text", "invalid.too_long")
	}
	switch e.Kind {
	case File:
		if e.FileID <= 0 {
			fe.Add("file", "evidence.file_missing")
		}
	case Link:
		if _, _, err := ParseLink(e.Link, e.PurchaseID); err != "" {
			fe.Add("link", err)
		}
	case Statement, NotApplicable:
		// A statement someone vouches for must say something a reader can
		// check; a word or two is not an account.
		if len([]rune(e.Text)) < 20 {
			fe.Add("text", "evidence.text_short")
		}
	case Withdrawn:
	default:
		fe.Add("kind", "invalid.choice")
	}
	return fe
}

// Sections are the pages of a purchase a link may point at. The ones with
// a number after them (versions, files, reviews) name one record.
var linkSections = map[string]bool{
	"": true, "screening": true, "assessment": true, "assessment/report": true, "tender": true, "tender/document": true,
	"contract": true, "reviews": true, "monitoring": true, "due-diligence": true, "relationship": true, "firewall": true,
}

var numberedSections = map[string]bool{"files": true, "reviews": true}

// ParseLink reads a link to a record of purchase purchaseID: a path such
// as /purchases/12/contract or /purchases/12/files/3, or the same with a
// scheme and host in front. It returns the section and the number of the
// record it names (0 when none), or a translation key saying what is
// wrong. Links to another purchase, or to anything outside a purchase, are
// refused: evidence for one purchase cannot be borrowed from another.
func ParseLink(link string, purchaseID int64) (section string, n int64, problem string) {
	if link == "" {
		return "", 0, "evidence.link_missing"
	}
	path := link
	if i := strings.Index(path, "://"); i >= 0 {
		rest := path[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return "", 0, "evidence.link_not_record"
		}
		path = rest[j:]
	}
	if k := strings.IndexAny(path, "?#"); k >= 0 {
		path = path[:k]
	}
	rest, ok := strings.CutPrefix(path, "/purchases/")
	if !ok {
		return "", 0, "evidence.link_not_record"
	}
	idPart, section, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, "evidence.link_not_record"
	}
	if id != purchaseID {
		return "", 0, "evidence.link_other_purchase"
	}
	section = strings.TrimSuffix(section, "/")
	if linkSections[section] {
		return section, 0, ""
	}
	if i := strings.LastIndexByte(section, '/'); i > 0 && numberedSections[section[:i]] {
		n, err := strconv.ParseInt(section[i+1:], 10, 64)
		if err == nil && n > 0 {
			return section[:i], n, ""
		}
	}
	return "", 0, "evidence.link_not_record"
}
