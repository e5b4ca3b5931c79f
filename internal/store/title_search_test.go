package store_test

import (
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The purchase list's search box finds text anywhere in a title, ignoring
// case, on both databases, from the title index (migration 0034) and,
// for text under three characters, by reading titles.
func TestTitleSearchFindsTextAnywhereInATitle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, org, "ana@city.example", model.RoleOfficer)
		other := storetest.User(t, db, storetest.Org(t, db, "town", model.OrgPublicBody), "bo@town.example", model.RoleOfficer)
		storetest.Purchase(t, db, other, "Welfare scoring for the town") // not ana's to see
		for _, title := range []string{
			"École numérique", "Schools' tablets", `Say "hello" platform`, "100% uptime_cloud",
			"Welfare scoring engine", "Scoring of benefits", "CCTV analytics",
		} {
			storetest.Purchase(t, db, ana, title)
		}
		renamed := storetest.Purchase(t, db, ana, "Translation service")
		cases := map[string]int{
			"scoring":   2, // the town's is not counted
			"SCORING":   2,
			"école":     1, // Unicode case folding, not only ASCII
			"ÉCOLE":     1,
			"ring of":   1, // across a word boundary, as typed
			"ool":       1,
			"s' t":      1,
			`"hello"`:   1,
			`"`:         1,
			"%":         1,
			"_":         1,
			"% u":       1,
			"ti":        3, // short text reads the titles: "Schools' tablets", "analytics", "Translation"
			"NEAR(a b)": 0,
			"a OR b":    0,
			"sco*":      0,
			"numerique": 0, // accents count
		}
		check := func(q string, want int) {
			t.Helper()
			l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Query: q})
			if err != nil || l.Total != want || len(l.Items) != want {
				t.Errorf("query %q: total %d, %d shown, %v; want %d", q, l.Total, len(l.Items), err, want)
			}
		}
		for q, want := range cases {
			check(q, want)
		}
		// A changed title is found by its new words only.
		renamed.Title = "Interpreting by video"
		if err := db.UpdatePurchase(ctx, store.ActorOf(ana), renamed); err != nil {
			t.Fatal(err)
		}
		check("translation", 0)
		check("by video", 1)
		// Sorting and paging apply to the matches.
		l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Query: "scoring", Sort: "title", PerPage: 1, Page: 2})
		if err != nil || l.Total != 2 || len(l.Items) != 1 || l.Items[0].Title != "Welfare scoring engine" {
			t.Fatalf("second page by title: %+v, %v", l, err)
		}
		if db.Dialect() == store.Postgres {
			var n int
			if err := db.QueryRowForTest("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'purchases_title_trgm'", &n); err != nil || n != 1 {
				t.Fatalf("trigram index on titles: %d, %v", n, err)
			}
		}
	})
}
