package store_test

import (
	"math"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A page number of any size, from any caller, reads an empty page on both
// databases instead of overflowing OFFSET (PostgreSQL refuses a negative
// one; SQLite reads it as none).
func TestPagesBeyondTheEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		storetest.Purchase(t, db, ana, "A")
		for _, page := range []int{math.MaxInt, math.MaxInt / 20, math.MaxInt32, 1 << 40, -5} {
			l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Page: page, PerPage: 200})
			if err != nil {
				t.Fatalf("purchases page %d: %v", page, err)
			}
			if page > 0 && len(l.Items) != 0 {
				t.Fatalf("purchases page %d: %d items", page, len(l.Items))
			}
			res, err := db.SearchRegister(ctx, store.RegisterQuery{Page: page, Text: "a"})
			if err != nil {
				t.Fatalf("register page %d: %v", page, err)
			}
			if len(res.Cards) != 0 {
				t.Fatalf("register page %d: %d cards", page, len(res.Cards))
			}
		}
	})
}
