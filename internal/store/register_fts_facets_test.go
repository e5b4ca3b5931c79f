package store_test

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A search with words and facets finds exactly the entries that have the
// words and the facets, whether the entry was written by a publication,
// by the benchmark seeder or by migration 0033 (on SQLite the facets are
// tokens in the text index, written by Go and by that migration's SQL).
func TestRegisterWordsWithFacetsFindTheRightEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		if err := db.SeedRegister(ctx, org, 600, seedGen(func(i int) string {
			if i%3 == 0 {
				return "alpha"
			}
			return "beta"
		})); err != nil {
			t.Fatal(err)
		}
		p := storetest.Purchase(t, db, ana, "Alpha cameras")
		p.Technologies = []model.Technology{model.Technologies[0]}
		if err := db.UpdatePurchase(ctx, store.ActorOf(ana), p); err != nil {
			t.Fatal(err)
		}
		if err := db.Publish(ctx, store.ActorOf(ana), p, true, "Summary.", nil); err != nil {
			t.Fatal(err)
		}
		queries := []store.RegisterQuery{
			{Sector: string(model.Sectors[1])},
			{Sector: string(p.Sector)},
			{Technology: string(model.Technologies[0])},
			{Technology: string(model.Technologies[3]), Stage: string(model.Stages[0])},
			{Level: 3, Year: 2023},
			{Unscreened: true},
			{OrgID: org.ID, Sector: string(model.Sectors[2]), Year: 2021},
			{Sector: `health" OR "qqg`},
		}
		check := func(when string) {
			t.Helper()
			for _, q := range queries {
				// The truth: the facets alone (plain SQL conditions), every
				// page, kept where the title has the word.
				var want []int64
				for page := 1; ; page++ {
					f := q
					f.Page, f.PerPage = page, 100
					r, err := db.SearchRegister(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, c := range r.Cards {
						if strings.Contains(strings.ToLower(c.Title), "alpha") {
							want = append(want, c.PurchaseID)
						}
					}
					if len(r.Cards) < 100 {
						break
					}
				}
				var got []int64
				total := 0
				for page := 1; ; page++ {
					w := q
					w.Text, w.Page, w.PerPage = "alpha", page, 100
					r, err := db.SearchRegister(ctx, w)
					if err != nil {
						t.Fatalf("%s %+v: %v", when, q, err)
					}
					for _, c := range r.Cards {
						got = append(got, c.PurchaseID)
					}
					total = r.Total
					if len(r.Cards) < 100 {
						break
					}
				}
				if !reflect.DeepEqual(got, want) || total != len(want) {
					t.Errorf("%s, alpha with %+v: got %d entries %v (total %d), want %d %v", when, q, len(got), got, total, len(want), want)
				}
			}
		}
		check("as written")
		if db.Dialect() != store.SQLite {
			return
		}
		// Migration 0033 rebuilds the index from the entries in SQL.
		sqlText, err := os.ReadFile("migrations/sqlite/0033_fts_facets.sql")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(string(sqlText)); err != nil {
			t.Fatal(err)
		}
		check("after migration 0033")
	})
}
