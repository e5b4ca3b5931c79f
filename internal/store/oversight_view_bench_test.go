package store_test

import (
	"testing"

	"buyright/internal/model"
	"buyright/internal/opinion"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// BenchmarkOversightView measures the view across agencies on 10,000
// purchases in one oversight body's remit: the first page, a level filter,
// the opinions it owes (a rule in force), a sort by level, and every row
// (the downloads).
func BenchmarkOversightView(b *testing.B) {
	db, officer := benchDB(b, 10000)
	nhri := storetest.Org(b, db, "nhri", model.OrgOversight)
	if err := db.SetRemit(ctx, store.System, nhri.ID, []int64{officer.OrgID}); err != nil {
		b.Fatal(err)
	}
	bruno := storetest.User(b, db, nhri, "bruno@nhri.example", model.RoleOversight)
	if err := db.AddOpinionRule(ctx, store.ActorOf(bruno), bruno, &opinion.Rule{Before: model.StageTenderDesign, Days: 30}); err != nil {
		b.Fatal(err)
	}
	for name, f := range map[string]store.OversightFilter{
		"first-page":   {PerPage: 50},
		"levels-3-4":   {Levels: []int{3, 4}, PerPage: 50},
		"open-opinion": {OpenOpinion: true, PerPage: 50},
		"by-level":     {Sort: "level", PerPage: 50},
		"all-rows":     {},
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := db.OversightPurchases(ctx, bruno, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
