package demo_test

import (
	"context"
	"strings"
	"testing"

	"buyright/internal/auth"
	"buyright/internal/catalog"
	"buyright/internal/demo"
	"buyright/internal/gates"
	"buyright/internal/lifecycle"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The demo's oversight opinions: the institution's opinion with two
// conditions on the level IV fraud-scoring purchase shows as two
// requirements at its next gate; the institution lists every level III-IV
// purchase in its remit and follows one supplier across bodies.
func TestSeedOpinions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, db, auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}); err != nil {
			t.Fatal(err)
		}
		bruno, _, err := db.UserForSignIn(ctx, "bruno@nhri.example")
		if err != nil {
			t.Fatal(err)
		}
		list, err := db.OversightPurchases(ctx, bruno, store.OversightFilter{Levels: []int{3, 4}, Sort: "level"})
		if err != nil || list.Total < 2 {
			t.Fatalf("level III-IV purchases: %+v %v", list, err)
		}
		var fraud *model.Purchase
		for _, r := range list.Rows {
			if r.Level < 3 {
				t.Errorf("%s at level %d", r.Purchase.Title, r.Level)
			}
			if strings.HasPrefix(r.Purchase.Title, "Fraud-risk scoring") {
				fraud = r.Purchase
			}
		}
		if fraud == nil || fraud.Stage != model.StageMarketEngagement {
			t.Fatalf("the fraud-scoring purchase is not listed at market engagement: %+v", fraud)
		}

		set, _ := catalog.Load("")
		g := gates.All(db, func() *catalog.Set { return set })
		res, err := g.Evaluate(ctx, lifecycle.Subject{Purchase: fraud, From: fraud.Stage, To: fraud.Stage.Next(), Today: model.DateOf(db.Now())})
		if err != nil {
			t.Fatal(err)
		}
		conditions, opinionPassed := 0, false
		for _, r := range res {
			switch {
			case strings.HasPrefix(r.Rule, "OPN-"):
				conditions++
				if r.Passed || r.Message != "opinion.cond.unmet" {
					t.Errorf("condition %s: %+v", r.Rule, r)
				}
			case strings.HasPrefix(r.Rule, "opinion:"):
				opinionPassed = r.Passed && r.Message == "opinion.gate.conditional"
			}
		}
		if conditions != 2 || !opinionPassed {
			t.Fatalf("at the next gate: %d conditions, opinion passed %v: %+v", conditions, opinionPassed, res)
		}

		sup, err := db.Suppliers(ctx, bruno)
		if err != nil {
			t.Fatal(err)
		}
		across := false
		for _, s := range sup {
			across = across || (s.Name == "Northwind Biometrics SA" && s.Bodies >= 2)
		}
		if !across {
			t.Fatalf("no supplier across bodies: %+v", sup)
		}
		ids, _ := db.OversightPurchases(ctx, bruno, store.OversightFilter{Supplier: "northwind biometrics sa"})
		bodies := map[int64]bool{}
		for _, r := range ids.Rows {
			bodies[r.Purchase.OrgID] = true
		}
		if len(bodies) < 2 {
			t.Fatalf("one supplier's purchases span %d bodies", len(bodies))
		}
	})
}
