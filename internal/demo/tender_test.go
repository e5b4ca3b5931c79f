package demo_test

import (
	"context"
	"testing"

	"buyright/internal/auth"
	"buyright/internal/demo"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/tender"
)

// The welfare fraud-scoring purchase comes with a partly decided tender
// pack: some items accepted, one edited, one rejected with a reason.
func TestSeedTenderPack(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db, auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}); err != nil {
		t.Fatal(err)
	}
	ana, _, _ := db.UserForSignIn(ctx, "ana@portavera.example")
	list, _ := db.Purchases(ctx, ana, store.PurchaseFilter{Query: "Fraud-risk scoring"})
	if len(list.Items) != 1 {
		t.Fatalf("%d welfare purchases", len(list.Items))
	}
	cs, err := db.TenderChoices(ctx, list.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, c := range cs {
		count[c.Decision]++
		if c.Decision == tender.Rejected && c.Reason == "" {
			t.Errorf("%s rejected without a reason", c.ItemID)
		}
	}
	if count[tender.Accepted] < 5 || count[tender.Rejected] != 1 || count[tender.Edited] != 1 {
		t.Fatalf("demo tender pack decisions: %v", count)
	}
	if _, _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}
