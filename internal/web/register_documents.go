package web

import (
	"fmt"
	"time"

	"buyright/internal/disclosure"
)

// The documents of a register entry in its JSON record: where the public
// version is, whether it is complete, and every redaction with its ground,
// what was held back and why, the approver who agreed, when the ground
// lapses and each review. Only published documents get here, and the
// URL is always the public route, which serves the redacted file while
// anything is held back.

type recordDocument struct {
	ID          int64             `json:"id"`
	Kind        string            `json:"kind"`
	Title       string            `json:"title"`
	Description string            `json:"description,omitempty"`
	URL         string            `json:"url"`
	Format      string            `json:"format"`
	Published   string            `json:"published"`
	PublishedBy string            `json:"published_by"`
	InFull      bool              `json:"in_full"`
	Redactions  []recordRedaction `json:"redactions"`
}

type recordRedaction struct {
	Ground   string         `json:"ground"`
	Location string         `json:"what_was_held_back"`
	Reason   string         `json:"reason"`
	AgreedBy string         `json:"agreed_by"`
	AgreedAt string         `json:"agreed_at,omitempty"`
	LapsesOn string         `json:"lapses_on,omitempty"`
	Lifted   string         `json:"lifted_at,omitempty"`
	Reviews  []recordReview `json:"reviews,omitempty"`
}

type recordReview struct {
	DecidedBy string `json:"decided_by"`
	DecidedAt string `json:"decided_at"`
	OldLapse  string `json:"previous_lapse_date,omitempty"`
	NewLapse  string `json:"new_lapse_date,omitempty"`
	Note      string `json:"reason"`
}

func stampOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// mediaType is a stored file's type without its parameters.
func mediaType(ctype string) string {
	for i := 0; i < len(ctype); i++ {
		if ctype[i] == ';' {
			return ctype[:i]
		}
	}
	return ctype
}

func (rec *record) addDocuments(base string, purchaseID int64, docs []*disclosure.Document) {
	for _, d := range docs {
		if !d.Published() {
			continue
		}
		rd := recordDocument{ID: d.ID, Kind: d.Kind, Title: d.Title, Description: d.Description,
			URL: fmt.Sprintf("%s/register/%d/documents/%d", base, purchaseID, d.ID), Format: mediaType(d.PublicFile().CType),
			Published: stampOf(d.PublishedAt), PublishedBy: d.PublishedBy, InFull: d.InFull, Redactions: []recordRedaction{}}
		for _, r := range d.Redactions {
			rr := recordRedaction{Ground: r.Ground, Location: r.Location, Reason: r.Reason, AgreedBy: r.AgreedBy, AgreedAt: stampOf(r.AgreedAt),
				LapsesOn: r.LapsesOn.String(), Lifted: stampOf(r.LiftedAt)}
			for _, v := range r.Reviews {
				rr.Reviews = append(rr.Reviews, recordReview{DecidedBy: v.DecidedBy, DecidedAt: stampOf(v.DecidedAt), OldLapse: v.OldLapse.String(), NewLapse: v.NewLapse.String(), Note: v.Note})
			}
			rd.Redactions = append(rd.Redactions, rr)
		}
		rec.Documents = append(rec.Documents, rd)
	}
}
