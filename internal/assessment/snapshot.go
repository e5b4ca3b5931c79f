package assessment

import (
	"time"

	"buyright/internal/catalog"
	"buyright/internal/evidence"
	"buyright/internal/screening"
)

// Snapshot is a signed-off version frozen with everything needed to read
// it later without the catalogue it was made against: the pinned catalogue
// hash and versions, the screening answers with the texts of the questions,
// and the texts of the requirements and rights it refers to. Changing a
// question after sign-off never changes a snapshot.
type Snapshot struct {
	PurchaseID      int64                   `json:"purchase_id"`
	PurchaseTitle   string                  `json:"purchase_title"`
	Version         int                     `json:"version"`
	SignedBy        string                  `json:"signed_by"`
	SignedAt        time.Time               `json:"signed_at"`
	ReviewDate      string                  `json:"review_date,omitempty"`
	CatalogHash     string                  `json:"catalog_hash"`
	CatalogVersions map[string]string       `json:"catalog_versions"`
	Answers         map[string]any          `json:"answers"`
	Result          *screening.Result       `json:"screening_result,omitempty"`
	Questions       []Frozen                `json:"questions"`
	Requirements    []Frozen                `json:"requirements"`
	Rights          []Frozen                `json:"rights"`
	Doc             Doc                     `json:"assessment"`
	Covers          []string                `json:"covers,omitempty"`   // assessments this version carries out in full
	Statuses        []evidence.Frozen       `json:"statuses,omitempty"` // how each requirement stood at sign-off
	Options         map[string]catalog.Text `json:"options,omitempty"`  // question.option -> label
}

// Frozen is one catalogue item's words as they stood at sign-off.
type Frozen struct {
	ID     string       `json:"id"`
	Title  catalog.Text `json:"title"`
	Text   catalog.Text `json:"text,omitempty"`
	Stage  string       `json:"stage,omitempty"`
	Answer any          `json:"answer,omitempty"`
}

// Freeze builds the snapshot of doc against set. answers and result are the
// purchase's screening (result may be nil when there was none).
func Freeze(set *catalog.Set, doc Doc, answers map[string]any, result *screening.Result) *Snapshot {
	s := &Snapshot{Doc: doc, Answers: answers, Result: result, Options: map[string]catalog.Text{}}
	if set != nil {
		s.CatalogHash, s.CatalogVersions = set.Hash(), set.Versions()
	}
	if result != nil && result.CatalogHash != "" {
		s.CatalogHash, s.CatalogVersions = result.CatalogHash, result.CatalogVersions
	}
	if set == nil {
		return s
	}
	for _, q := range set.OfKind("question") {
		a, ok := answers[q.ID]
		if !ok {
			continue
		}
		s.Questions = append(s.Questions, Frozen{ID: q.ID, Title: q.Title, Text: q.Help, Answer: a})
		for _, o := range q.Options {
			s.Options[q.ID+"."+o.ID] = o.Label
		}
	}
	seen := map[string]bool{}
	if result != nil {
		for _, st := range catalog.Stages {
			for _, id := range result.RequirementsByStage[st] {
				if it, ok := set.Item(id); ok && !seen[id] {
					seen[id] = true
					s.Requirements = append(s.Requirements, Frozen{ID: id, Title: it.Title, Text: it.Text, Stage: it.Stage})
				}
			}
		}
	}
	for id := range doc.Checklist {
		if it, ok := set.Item(id); ok && !seen[id] {
			seen[id] = true
			s.Requirements = append(s.Requirements, Frozen{ID: id, Title: it.Title, Text: it.Text, Stage: it.Stage})
		}
	}
	rights := map[string]bool{}
	for _, r := range doc.Scope.Rights {
		rights[r] = true
	}
	for _, im := range doc.Impacts {
		rights[im.Right] = true
	}
	for _, it := range set.OfKind("right") {
		if rights[it.ID] {
			s.Rights = append(s.Rights, Frozen{ID: it.ID, Title: it.Title})
		}
	}
	return s
}
