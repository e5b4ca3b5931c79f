package store_test

import (
	"fmt"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Seeding thousands of purchases at once leaves the database as if each had
// been created on its own: every purchase is listed and counted under its
// stage, each has its own "create" line in the audit log, and the log still
// verifies with purchases created one by one before and after.
func TestBulkInsertPurchasesKeepsListAndAuditWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		before := storetest.Purchase(t, db, ana, "Created before the seeding")
		const n = 2000
		ps := make([]*model.Purchase, n)
		for i := range ps {
			ps[i] = &model.Purchase{OrgID: city.ID, Title: fmt.Sprintf("Seeded purchase %04d", i), Sector: model.Sectors[i%len(model.Sectors)],
				Technologies: []model.Technology{model.Technologies[i%len(model.Technologies)]}, Currency: "EUR",
				LeadUserID: ana.ID, Stage: model.Stages[i%len(model.Stages)], ValueMinor: int64(i) * 100}
		}
		if err := db.BulkInsertPurchases(ctx, store.ActorOf(ana), ps); err != nil {
			t.Fatal(err)
		}
		after := storetest.Purchase(t, db, ana, "Created after the seeding")
		ids := map[int64]bool{before.ID: true, after.ID: true}
		for _, p := range ps {
			if p.ID == 0 || ids[p.ID] {
				t.Fatalf("purchase %q got id %d, zero or taken", p.Title, p.ID)
			}
			ids[p.ID] = true
		}

		l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Sort: "title", PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		if l.Total != n+2 {
			t.Fatalf("the list counts %d purchases, want %d", l.Total, n+2)
		}
		seen := 0
		for page := 1; ; page++ {
			l, err := db.Purchases(ctx, ana, store.PurchaseFilter{Sort: "title", Page: page, PerPage: 500})
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Items) == 0 {
				break
			}
			for _, p := range l.Items {
				if !ids[p.ID] {
					t.Fatalf("page %d lists purchase %d twice or unknown", page, p.ID)
				}
				delete(ids, p.ID)
				seen++
			}
		}
		if seen != n+2 {
			t.Fatalf("paging showed %d purchases, want %d", seen, n+2)
		}
		stage := model.Stages[1]
		l, err = db.Purchases(ctx, ana, store.PurchaseFilter{Stage: stage, PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, p := range ps {
			if p.Stage == stage {
				want++
			}
		}
		if l.Total != want {
			t.Fatalf("stage %s lists %d purchases, want %d", stage, l.Total, want)
		}
		got, _, err := db.Purchase(ctx, ana, ps[n-1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != ps[n-1].Title || got.Stage != ps[n-1].Stage || got.ValueMinor != ps[n-1].ValueMinor {
			t.Fatalf("read back %q at %s worth %d, want %q at %s worth %d", got.Title, got.Stage, got.ValueMinor, ps[n-1].Title, ps[n-1].Stage, ps[n-1].ValueMinor)
		}

		lines, err := db.AuditFor(ctx, "purchase", ps[777].ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 1 || lines[0].Action != "create" || lines[0].Actor != "ana@city.example" {
			t.Fatalf("purchase %d has audit lines %+v, want one create by ana", ps[777].ID, lines)
		}
		rows, _, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatalf("audit verify after seeding: %v", err)
		}
		if rows < n+2 {
			t.Fatalf("the log holds %d rows, want at least one per purchase (%d)", rows, n+2)
		}
	})
}

// BenchmarkBulkInsertPurchases seeds 1,000 purchases with their audit lines
// per operation, on each database.
func BenchmarkBulkInsertPurchases(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			org := storetest.Org(b, db, "city", model.OrgPublicBody)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ps := make([]*model.Purchase, 1000)
				for j := range ps {
					ps[j] = &model.Purchase{OrgID: org.ID, Title: fmt.Sprintf("Purchase %d-%d", i, j), Sector: model.Sectors[j%len(model.Sectors)],
						Currency: "EUR", Stage: model.Stages[j%len(model.Stages)]}
				}
				if err := db.BulkInsertPurchases(ctx, store.System, ps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Publishing many purchases at once logs each publication as Publish does,
// and the log still verifies.
func TestBulkPublishLogsEachPublication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		ana := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		ps := []*model.Purchase{storetest.Purchase(t, db, ana, "First"), storetest.Purchase(t, db, ana, "Second")}
		if err := db.BulkPublish(ctx, store.System, ps, "What it does."); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowForTest("SELECT COUNT(*) FROM audit_log WHERE object_type = 'purchase' AND action = 'publish'", &n); err != nil || n != 2 {
			t.Fatalf("publish lines: %d %v", n, err)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
