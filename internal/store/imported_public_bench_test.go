package store_test

import (
	"fmt"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// BenchmarkImportedView measures the public view of imported releases and
// the purchase list's red-flag filter over 10,000 imported releases, a
// third of them with the single-tenderer flag.
func BenchmarkImportedView(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	org := storetest.Org(b, db, "city", model.OrgPublicBody)
	u := storetest.User(b, db, org, "ana@city.example", model.RoleOfficer)
	flags := []string{"single-tenderer", "limited-method", "no-tender-documents"}
	for start := 0; start < 10000; start += 2000 {
		var rows []store.ImportRow
		for i := start; i < start+2000; i++ {
			r := store.ImportRow{Purchase: &model.Purchase{Title: fmt.Sprintf("Release %d software", i), OCID: fmt.Sprintf("ocds-b-%d", i),
				Sector: "other", Stage: model.StageTenderDesign}, ReleaseID: "r", ReleaseDate: "2026-01-01T00:00:00Z"}
			r.Flags = []store.PurchaseFlag{{ID: flags[i%3], Reason: "x", Path: "tender"}}
			rows = append(rows, r)
		}
		if _, err := db.ImportPurchases(ctx, store.System, org.ID, rows); err != nil {
			b.Fatal(err)
		}
	}
	for name, q := range map[string]store.ImportedQuery{
		"page1":       {},
		"flag":        {Flag: "single-tenderer"},
		"words+flag":  {Text: "release 99", Flag: "limited-method"},
		"csv-by-flag": {Flag: "single-tenderer", All: true},
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := db.ImportedReleases(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("purchase-list-flag", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := db.Purchases(ctx, u, store.PurchaseFilter{Flag: "single-tenderer"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
