package store_test

import (
	"fmt"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// benchDB is a SQLite database with n purchases of one public body.
func benchDB(b *testing.B, n int) (*store.DB, *model.User) {
	db := storetest.Open(b, store.SQLite)
	org := storetest.Org(b, db, "city", model.OrgPublicBody)
	u := storetest.User(b, db, org, "ana@city.example", model.RoleOfficer)
	today := model.DateOf(time.Now())
	ps := make([]*model.Purchase, n)
	for i := range ps {
		ps[i] = &model.Purchase{OrgID: org.ID, Title: fmt.Sprintf("Purchase %d scoring", i), Sector: model.Sectors[i%len(model.Sectors)],
			Stage: model.Stages[i%len(model.Stages)], ReviewDate: today.AddDays(i%365 - 30), LeadUserID: u.ID}
	}
	if err := db.BulkInsertPurchases(ctx, store.System, ps); err != nil {
		b.Fatal(err)
	}
	return db, u
}

func BenchmarkPurchaseQueries(b *testing.B) {
	db, u := benchDB(b, 10000)
	filters := map[string]store.PurchaseFilter{
		"first-page":    {},
		"title-page200": {Sort: "title", Page: 200},
		"search":        {Query: "scoring", Stage: model.StageContract},
	}
	for name, f := range filters {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := db.Purchases(ctx, u, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("count-by-stage", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			db.CountByStage(ctx, u, false)
		}
	})
	b.Run("due-dates", func(b *testing.B) {
		until := model.DateOf(time.Now()).AddDays(90)
		for i := 0; i < b.N; i++ {
			db.DueDates(ctx, u, until, 10)
		}
	})
	b.Run("session", func(b *testing.B) {
		db.CreateSession(ctx, u.ID, "s", time.Hour)
		for i := 0; i < b.N; i++ {
			db.SessionUser(ctx, "s")
		}
	})
}
