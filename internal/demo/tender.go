package demo

import (
	"context"
	"fmt"

	"buyright/internal/catalog"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/tender"
)

// seedTender starts the tender pack of the welfare fraud-scoring purchase:
// the officer has accepted the oversight and explanation items, a few
// clauses and the cost criterion, narrowed the audit clause in her own
// words and rejected one item with a reason; the rest is still undecided,
// so the coverage panel has something to show.
func seedTender(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	ana := people["ana@portavera.example"]
	p, err := welfarePurchase(ctx, db, ana)
	if err != nil {
		return err
	}
	set, err := catalog.Load("")
	if err != nil {
		return err
	}
	choices := []tender.Choice{
		{ItemID: "AWD-COST", Decision: tender.Accepted, Weight: 40},
		{ItemID: "AWD-EXPLAIN", Decision: tender.Accepted, Weight: 15},
		{ItemID: "AWD-OVERSIGHT", Decision: tender.Accepted, Weight: 15},
		{ItemID: "SPEC-OVERSIGHT", Decision: tender.Accepted},
		{ItemID: "SPEC-EXPLANATION", Decision: tender.Accepted},
		{ItemID: "SPEC-TESTING", Decision: tender.Accepted},
		{ItemID: "CL-HUMAN-DECISION", Decision: tender.Accepted},
		{ItemID: "CL-PROCESSOR-INSTRUCTIONS", Decision: tender.Accepted},
		{ItemID: "CL-SUSPENSION", Decision: tender.Accepted},
		{ItemID: "CL-AUDIT", Decision: tender.Edited,
			EditedText: "The supplier gives the municipality, or an independent auditor it appoints, the information needed to show it keeps this contract, and allows one scheduled audit a year plus an audit after any serious incident or data breach, including of the barriers that keep benefit data to its purpose. The supplier bears the cost of an audit that finds a serious breach.",
			Reason:     "Limit routine audits to one a year, as the supplier asked in the market consultation, while keeping audits after incidents."},
		{ItemID: "SEL-GRIEVANCE", Decision: tender.Rejected,
			Reason: "The supplier's own grievance channel would duplicate the municipal complaints channel; the remedy clause makes the supplier answer it instead."},
	}
	for _, c := range choices {
		if _, ok := set.Item(c.ItemID); !ok {
			return fmt.Errorf("demo tender: no catalogue item %s", c.ItemID)
		}
		c.CatalogHash = set.Hash()
		if err := db.DecideTender(ctx, store.ActorOf(ana), p, c); err != nil {
			return fmt.Errorf("demo tender %s: %w", c.ItemID, err)
		}
	}
	return nil
}
