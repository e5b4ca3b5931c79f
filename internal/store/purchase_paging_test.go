package store_test

import (
	"fmt"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Paging through the purchase list shows every purchase exactly once, in
// the order chosen, when many share a date and a title (as an import
// writes them): the page's ids are read first and joined back, and the
// order must survive that on both databases.
func TestPurchasePagesSeeEachPurchaseOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		db.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
		var ps []*model.Purchase
		for i := 0; i < 57; i++ {
			title := "Same title"
			if i%3 == 0 {
				title = fmt.Sprintf("Title %02d", 56-i)
			}
			ps = append(ps, &model.Purchase{OrgID: org.ID, Title: title, Sector: model.Sectors[0], Stage: model.AllStages[i%2], Currency: "EUR"})
		}
		if err := db.BulkInsertPurchases(ctx, store.System, ps); err != nil {
			t.Fatal(err)
		}
		for _, sort := range []string{"updated", "title", "review"} {
			for _, stage := range []model.Stage{"", model.AllStages[1]} {
				var got []int64
				for page := 1; page <= 4; page++ {
					l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Sort: sort, Stage: stage, Page: page, PerPage: 20})
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range l.Items {
						got = append(got, p.ID)
					}
				}
				want := 57
				if stage != "" {
					want = 28
				}
				seen := map[int64]bool{}
				for _, id := range got {
					seen[id] = true
				}
				if len(got) != want || len(seen) != want {
					t.Fatalf("sort %s stage %q: %d rows over the pages, %d distinct; want %d", sort, stage, len(got), len(seen), want)
				}
				for i := 1; i < len(got); i++ {
					a, b := byID(ps, got[i-1]), byID(ps, got[i])
					var ordered bool
					switch sort {
					case "title":
						ordered = a.Title < b.Title || (a.Title == b.Title && a.ID < b.ID)
					case "review":
						ordered = a.ID < b.ID // no review dates: by id
					default:
						ordered = a.ID > b.ID // one timestamp: newest id first
					}
					if !ordered {
						t.Fatalf("sort %s stage %q: %q (%d) listed before %q (%d)", sort, stage, a.Title, a.ID, b.Title, b.ID)
					}
				}
			}
		}
	})
}

func byID(ps []*model.Purchase, id int64) *model.Purchase {
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	return nil
}
