package store_test

import (
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/tender"
)

func TestTenderDecisionsStoredAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		u := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		p := storetest.Purchase(t, db, u, "Scoring")
		a := store.ActorOf(u)
		if cs, err := db.TenderChoices(ctx, p.ID); err != nil || len(cs) != 0 {
			t.Fatalf("new purchase has tender choices: %v %v", cs, err)
		}
		if err := db.DecideTender(ctx, a, p, tender.Choice{ItemID: "AWD-COST", CatalogHash: "h1", Decision: tender.Accepted, Weight: 40}); err != nil {
			t.Fatal(err)
		}
		if err := db.DecideTender(ctx, a, p, tender.Choice{ItemID: "CL-EXIT", CatalogHash: "h1", Decision: tender.Rejected}); err == nil {
			t.Fatal("a rejection without a reason was stored")
		}
		if err := db.DecideTender(ctx, a, p, tender.Choice{ItemID: "CL-EXIT", CatalogHash: "h1", Decision: tender.Rejected, Reason: "covered by the framework contract"}); err != nil {
			t.Fatal(err)
		}
		hostile := `<script>alert("x")</script> & 'quotes'`
		if err := db.DecideTender(ctx, a, p, tender.Choice{ItemID: "CL-EXIT", CatalogHash: "h2", Decision: tender.Edited, EditedText: hostile, Reason: "our own exit terms"}); err != nil {
			t.Fatal(err)
		}
		cs, err := db.TenderChoices(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c := cs["AWD-COST"]; c.Decision != tender.Accepted || c.Weight != 40 || c.DecidedBy != "ana@city.example" || c.Rev != 1 {
			t.Fatalf("AWD-COST read back: %+v", c)
		}
		if c := cs["CL-EXIT"]; c.Decision != tender.Edited || c.EditedText != hostile || c.CatalogHash != "h2" || c.Rev != 2 || c.DecidedAt.IsZero() {
			t.Fatalf("CL-EXIT read back: %+v", c)
		}
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 10)
		var decisions []string
		for _, e := range entries {
			if e.Action == "tender_decision" {
				decisions = append(decisions, e.Detail)
			}
		}
		if len(decisions) != 3 {
			t.Fatalf("want 3 audited decisions, have %d: %v", len(decisions), decisions)
		}
		if !strings.Contains(decisions[0], `"edited"`) || !strings.Contains(decisions[0], "our own exit terms") || !strings.Contains(decisions[0], `"rejected"`) {
			t.Errorf("newest audit entry should show rejected -> edited with the reason: %s", decisions[0])
		}
		if !strings.Contains(decisions[1], "covered by the framework contract") {
			t.Errorf("rejection reason not audited: %s", decisions[1])
		}
		f, err := db.TenderFacts(ctx, p.ID)
		if err != nil || f.Screened || len(f.Choices) != 2 {
			t.Fatalf("tender facts: %+v %v", f, err)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
