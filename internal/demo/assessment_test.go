package demo_test

import (
	"context"
	"testing"

	"buyright/internal/auth"
	"buyright/internal/demo"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The welfare fraud-scoring purchase comes screened at level IV with an
// assessment draft a newcomer can read: engagement, impacts, mitigations.
func TestSeedAssessment(t *testing.T) {
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
	p := list.Items[0]
	sc, err := db.Screening(ctx, p.ID)
	if err != nil || sc == nil || sc.Result.Level != 4 || !sc.Result.Complete() {
		t.Fatalf("screening: %+v %v", sc, err)
	}
	v, err := db.Assessment(ctx, p.ID)
	// Two meetings, and the consultation's report as a held engagement.
	if err != nil || v == nil || len(v.Doc.Engagements) != 3 || len(v.Doc.Impacts) < 2 || len(v.Doc.Mitigations) < 2 || !v.Doc.Impacts[0].Residual() {
		t.Fatalf("assessment draft: %+v %v", v, err)
	}
}
