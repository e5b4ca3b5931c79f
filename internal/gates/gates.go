// Package gates assembles every gate rule a purchase must pass, so that the
// web pages, the API and the demo loader move purchases through the same
// ones: the foundation fields, the screening and the assessment, the
// screening in step with the kind of relationship, the requirements the
// screening made mandatory, a consultation before a level III or IV tender
// is designed, the tender pack, the contract, renewal and exit, and the
// opinions of oversight bodies.
package gates

import (
	"buyright/internal/assessment"
	"buyright/internal/catalog"
	"buyright/internal/consultation"
	"buyright/internal/contract"
	"buyright/internal/evidence"
	"buyright/internal/lifecycle"
	"buyright/internal/opinion"
	"buyright/internal/relationship"
	"buyright/internal/store"
	"buyright/internal/tender"
)

// All returns the gates of a purchase. set gives the catalogue set in
// force; requirement titles are recorded in English with overrides.
func All(db *store.DB, set func() *catalog.Set) *lifecycle.Gates {
	title := func(id string) string {
		if s := set(); s != nil {
			if it, ok := s.Item(id); ok {
				return it.Title.In("en")
			}
		}
		return id
	}
	g := lifecycle.New()
	for _, r := range assessment.Rules(db) {
		g.Add(r)
	}
	g.Add(relationship.Rule(db))
	g.Add(evidence.Rule(db, set, title))
	g.Add(consultation.Rule(db))
	g.Add(tender.Rule(db, set, title))
	for _, r := range contract.Rules(db, title) {
		g.Add(r)
	}
	g.Add(opinion.Gate(db))
	return g
}
