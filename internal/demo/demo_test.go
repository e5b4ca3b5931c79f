package demo_test

import (
	"context"
	"testing"

	"buyright/internal/auth"
	"buyright/internal/demo"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func TestSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := auth.Hasher{P: auth.Params{Memory: 64, Time: 1, Threads: 1}}
		accounts, err := demo.Seed(ctx, db, h)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, a := range accounts {
			if len(a.Password) < 16 || seen[a.Password] {
				t.Fatalf("weak or repeated demo password for %s", a.Email)
			}
			seen[a.Password] = true
		}
		// The officer signs in with the printed password and sees purchases
		// in several stages, one of them moved by override.
		ana, hash, err := db.UserForSignIn(ctx, "ana@portavera.example")
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := h.Verify(accounts[0].Password, hash); !ok {
			t.Fatal("printed password does not sign in")
		}
		counts, _ := db.CountByStage(ctx, ana, false)
		stages := 0
		for _, c := range counts {
			if c.Count > 0 {
				stages++
			}
		}
		if stages < 4 {
			t.Errorf("the city's demo purchases cover %d stages", stages)
		}
		bruno, _, _ := db.UserForSignIn(ctx, "bruno@nhri.example")
		all, _ := db.Purchases(ctx, bruno, store.PurchaseFilter{})
		if all.Total < 8 {
			t.Errorf("oversight sees %d demo purchases, want at least 8", all.Total)
		}
		if ov, _ := db.Overrides(ctx, bruno, 10); len(ov) == 0 {
			t.Error("no gate override in the demo")
		}
		chen, _, _ := db.UserForSignIn(ctx, "chen@civitas.example")
		if l, _ := db.Purchases(ctx, chen, store.PurchaseFilter{}); l.Total != 1 {
			t.Errorf("supplier sees %d purchases, want its 1 invitation", l.Total)
		}
		// The contract stages have something to show: a widening amendment
		// that re-opened a screening, and an exit plan waiting for evidence.
		lena, _, _ := db.UserForSignIn(ctx, "lena@border.example")
		gates, _ := db.Purchases(ctx, lena, store.PurchaseFilter{Query: "Automated border gates"})
		if len(gates.Items) != 1 {
			t.Fatalf("border gates: %d", len(gates.Items))
		}
		kinds := map[string]int{}
		tasks, _ := db.PurchaseTasks(ctx, gates.Items[0].ID)
		for _, x := range tasks {
			kinds[x.Kind]++
		}
		// Re-screen after the amendment; act on the four-fifths flag.
		if kinds["rescreen"] != 1 || kinds["monitoring"] == 0 {
			t.Errorf("border gates tasks: %+v", tasks)
		}
		res, err := db.SearchRegister(ctx, store.RegisterQuery{})
		if err != nil || res.Total != 4 {
			t.Errorf("register has %d demo entries, %v; want 4", res.Total, err)
		}
		if res, _ := db.SearchRegister(ctx, store.RegisterQuery{Text: "benefit"}); res.Total < 1 {
			t.Error("searching the demo register for benefit finds nothing")
		}
		// Dora searches in Portuguese and finds the benefits system by the
		// words of its Portuguese summary.
		if res, _ := db.SearchRegister(ctx, store.RegisterQuery{Text: "prestações habitação"}); res.Total != 1 {
			t.Errorf("searching in Portuguese finds %d entries, want 1", res.Total)
		}
		if cs, _ := db.ComplaintsFor(ctx, bruno, "", 10); len(cs) != 1 {
			t.Errorf("oversight sees %d escalated demo complaints, want 1", len(cs))
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Seed(ctx, db, h); err == nil {
			t.Fatal("seeding twice should be refused")
		}
		_ = model.StagePlanning
	})
}
