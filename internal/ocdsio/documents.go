package ocdsio

import (
	"fmt"
	"strings"

	"buyright/internal/disclosure"
	"buyright/internal/store"
)

// Redaction is the extension's record of a part held back from a
// published document: its ground (redactionGround codelist), what it is,
// why, the approver who agreed, and when the ground lapses.
type Redaction struct {
	ID          string `json:"id"`
	Ground      string `json:"ground"`
	Description string `json:"description,omitempty"`
	Rationale   string `json:"rationale,omitempty"`
	AgreedBy    string `json:"agreedBy,omitempty"`
	DateAgreed  string `json:"dateAgreed,omitempty"`
	LapseDate   string `json:"lapseDate,omitempty"`
	Lifted      bool   `json:"lifted"`
	DateLifted  string `json:"dateLifted,omitempty"`
}

// addDocuments puts the documents the body published into the release, at
// the public address that serves the redacted version while anything is
// held back: a contract under the contract, a monitoring report under its
// implementation, assessments and consultation reports under the tender
// (where the assessment documents already are). Before a contract exists
// everything goes under the tender.
func (x *Exporter) addDocuments(r *Release, pp *store.PublishedPurchase, pid string) {
	for _, d := range pp.Documents {
		if !d.Published() {
			continue
		}
		doc := Document{
			ID: fmt.Sprintf("%s-document-%d", pid, d.ID), DocumentType: disclosure.OCDSType(d.Kind),
			Title: d.Title, Description: d.Description,
			URL:           fmt.Sprintf("%s/register/%s/documents/%d", x.BaseURL, pid, d.ID),
			DatePublished: stamp(d.PublishedAt),
			Format:        strings.TrimSpace(strings.SplitN(d.PublicFile().CType, ";", 2)[0]),
		}
		for _, rd := range d.Redactions {
			red := Redaction{ID: fmt.Sprintf("%s-redaction-%d", pid, rd.ID), Ground: disclosure.OCDSGround(rd.Ground),
				Description: rd.Location, Rationale: rd.Reason, AgreedBy: rd.AgreedBy, Lifted: !rd.Active()}
			if !rd.AgreedAt.IsZero() {
				red.DateAgreed = stamp(rd.AgreedAt)
			}
			if !rd.LapsesOn.IsZero() {
				red.LapseDate = dateTime(rd.LapsesOn)
			}
			if !rd.Active() {
				red.DateLifted = stamp(rd.LiftedAt)
				doc.DateModified = red.DateLifted
			}
			doc.Redactions = append(doc.Redactions, red)
		}
		switch {
		case len(r.Contracts) > 0 && d.Kind == disclosure.KindContract:
			r.Contracts[0].Documents = append(r.Contracts[0].Documents, doc)
		case len(r.Contracts) > 0 && d.Kind == disclosure.KindMonitoring:
			if r.Contracts[0].Implementation == nil {
				r.Contracts[0].Implementation = &Implementation{}
			}
			r.Contracts[0].Implementation.Documents = append(r.Contracts[0].Implementation.Documents, doc)
		default:
			r.Tender.Documents = append(r.Tender.Documents, doc)
		}
	}
}
