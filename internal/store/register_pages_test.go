package store_test

import (
	"context"
	"sync"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Kept register pages never outlive a change to the register, made
// through this server or through another one on the same database, and
// many readers of one search cause one computation.
func TestRegisterPagesFollowEveryChange(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, d)
			a, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if _, err := a.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			b, err := store.Open(ctx, url) // a second app server
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			org := storetest.Org(t, a, "city", model.OrgPublicBody)
			ana := storetest.User(t, a, org, "ana@city.example", model.RoleOfficer)
			north := storetest.Purchase(t, a, ana, "Cameras north")
			south := storetest.Purchase(t, a, ana, "Cameras south")
			for _, p := range []*model.Purchase{north, south} {
				if err := a.Publish(ctx, store.ActorOf(ana), p, true, "Street equipment.", nil); err != nil {
					t.Fatal(err)
				}
			}
			titles := func(db *store.DB, words string) []string {
				t.Helper()
				r, err := db.SearchRegister(ctx, store.RegisterQuery{Text: words})
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, c := range r.Cards {
					out = append(out, c.Title)
				}
				if r.Total != len(out) {
					t.Fatalf("%q: total %d for %d cards", words, r.Total, len(out))
				}
				return out
			}
			expect := func(db *store.DB, words string, want ...string) {
				t.Helper()
				got := titles(db, words)
				if len(got) != len(want) {
					t.Fatalf("%q: %v, want %v", words, got, want)
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%q: %v, want %v", words, got, want)
					}
				}
			}
			expect(a, "cameras", "Cameras south", "Cameras north")
			expect(b, "cameras", "Cameras south", "Cameras north")

			// Withdrawn on server b: gone from both servers' next pages.
			if err := b.Publish(ctx, store.ActorOf(ana), north, false, "", nil); err != nil {
				t.Fatal(err)
			}
			expect(a, "cameras", "Cameras south")
			expect(b, "cameras", "Cameras south")

			// A published purchase renamed on server a: found by its new
			// words on server b, not by its old ones.
			south.Title = "Traffic sensors south"
			if err := a.UpdatePurchase(ctx, store.ActorOf(ana), south); err != nil {
				t.Fatal(err)
			}
			expect(b, "cameras")
			expect(b, "sensors", "Traffic sensors south")

			// Sixteen readers of a page nobody has asked for yet: one
			// computation, the same page for all.
			before := a.RegisterPagesComputedForTest()
			var wg sync.WaitGroup
			pages := make([][]string, 16)
			for i := range pages {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := a.SearchRegister(ctx, store.RegisterQuery{Text: "traffic"})
					if err != nil {
						t.Error(err)
						return
					}
					for _, c := range r.Cards {
						pages[i] = append(pages[i], c.Title)
					}
				}()
			}
			wg.Wait()
			for i, p := range pages {
				if len(p) != 1 || p[0] != "Traffic sensors south" {
					t.Fatalf("reader %d saw %v", i, p)
				}
			}
			if n := a.RegisterPagesComputedForTest() - before; n != 1 {
				t.Errorf("sixteen readers of one page computed it %d times, want once", n)
			}
		})
	}
}

// The first thousand matches' pages come from the ids the facet sample
// read, the later ones from a query: together they list every match once,
// newest first, whatever the page size.
func TestRegisterPagesAcrossTheSampleEdge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		if err := db.SeedRegister(ctx, org, 2500, seedGen(func(i int) string {
			if i%2 == 0 {
				return "tablets"
			}
			return "cameras"
		})); err != nil {
			t.Fatal(err)
		}
		for _, per := range []int{100, 30} {
			var ids []int64
			for page := 1; page < 100; page++ {
				r, err := db.SearchRegister(ctx, store.RegisterQuery{Text: "tablets", Page: page, PerPage: per})
				if err != nil {
					t.Fatal(err)
				}
				if len(r.Cards) == 0 {
					break
				}
				for _, c := range r.Cards {
					ids = append(ids, c.PurchaseID)
				}
			}
			if len(ids) != 1250 {
				t.Fatalf("%d a page: %d matches listed, want 1250", per, len(ids))
			}
			for i := 1; i < len(ids); i++ {
				if ids[i] >= ids[i-1] {
					t.Fatalf("%d a page: match %d (id %d) after id %d", per, i, ids[i], ids[i-1])
				}
			}
		}
	})
}
