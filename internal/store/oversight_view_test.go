package store_test

import (
	"slices"
	"testing"
	"time"

	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/opinion"
	"buyright/internal/screening"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The views across agencies: an oversight body filters the purchases of
// every body in its remit (and nothing else) by level, stage, technology,
// supplier, overdue dates, opinions it owes and systems in use without a
// screening; follows one supplier across bodies; counts one technology
// across bodies.
func TestOversightViews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		town := storetest.Org(t, db, "town", model.OrgPublicBody)
		far := storetest.Org(t, db, "far", model.OrgPublicBody)
		nhri := storetest.Org(t, db, "nhri", model.OrgOversight)
		civitas := &model.Organisation{Slug: "civitas", Name: "Civitas Analytics Ltd", Kind: model.OrgSupplier}
		if err := db.CreateOrg(ctx, store.System, civitas); err != nil {
			t.Fatal(err)
		}
		if err := db.SetRemit(ctx, store.System, nhri.ID, []int64{city.ID, town.ID}); err != nil {
			t.Fatal(err)
		}
		ana := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		tom := storetest.User(t, db, town, "tom@town.example", model.RoleOfficer)
		fay := storetest.User(t, db, far, "fay@far.example", model.RoleOfficer)
		bruno := storetest.User(t, db, nhri, "bruno@nhri.example", model.RoleViewer)
		speaker := storetest.User(t, db, nhri, "speaker@nhri.example", model.RoleOversight)

		buy := func(u *model.User, title string, level int, stage model.Stage, review model.Date, techs ...model.Technology) *model.Purchase {
			t.Helper()
			p := &model.Purchase{OrgID: u.OrgID, Title: title, Sector: "social_protection", Technologies: techs, ReviewDate: review, LeadUserID: u.ID}
			if err := db.CreatePurchase(ctx, store.ActorOf(u), p); err != nil {
				t.Fatal(err)
			}
			if level > 0 {
				if err := db.SaveScreening(ctx, store.ActorOf(u), p, map[string]any{"x": "y"}, screening.Result{Status: screening.StatusComplete, Level: level}); err != nil {
					t.Fatal(err)
				}
			}
			for p.Stage != stage {
				if err := db.Transition(ctx, store.ActorOf(u), p, store.Move{To: p.Stage.Next()}); err != nil {
					t.Fatal(err)
				}
			}
			return p
		}
		today := model.DateOf(now)
		scoring := buy(ana, "Benefit scoring", 4, model.StageMarketEngagement, model.Date{}, "automated_decisions")
		cameras := buy(ana, "City cameras", 3, model.StageImplementation, today.AddDays(-3), "surveillance")
		portal := buy(tom, "Town portal", 2, model.StageContract, model.Date{}, "apps")
		imported := buy(tom, "Old case system", 0, model.StageImplementation, today.AddDays(30), "data_platform")
		elsewhere := buy(fay, "Far scoring", 4, model.StageMarketEngagement, model.Date{}, "automated_decisions")

		// Suppliers: named in a contract (with odd spacing and case) and invited.
		for _, x := range []struct {
			p     *model.Purchase
			u     *model.User
			names []string
		}{{cameras, ana, []string{"CIVITAS  analytics ltd", "Northwind SA"}}, {elsewhere, fay, []string{"Civitas Analytics Ltd"}}} {
			c := &contract.Contract{Suppliers: x.names, SignedOn: today, StartsOn: today, EndsOn: today.AddDays(365)}
			if err := db.SaveContract(ctx, store.ActorOf(x.u), x.p, c, 0); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.InviteSupplier(ctx, store.ActorOf(tom), portal, civitas.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.AddOpinionRule(ctx, store.ActorOf(speaker), speaker, &opinion.Rule{MinLevel: 4, Before: model.StageTenderDesign, Days: 30}); err != nil {
			t.Fatal(err)
		}

		titles := func(f store.OversightFilter, u *model.User) []string {
			t.Helper()
			l, err := db.OversightPurchases(ctx, u, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range l.Rows {
				out = append(out, r.Purchase.Title)
			}
			if f.PerPage == 0 && l.Total != len(out) {
				t.Fatalf("total %d for %d rows", l.Total, len(out))
			}
			return out
		}
		check := func(name string, f store.OversightFilter, want ...string) {
			t.Helper()
			f.Sort = "title"
			if got := titles(f, bruno); !slices.Equal(got, want) {
				t.Errorf("%s: %q, want %q", name, got, want)
			}
		}
		check("remit only", store.OversightFilter{}, "Benefit scoring", "City cameras", "Old case system", "Town portal")
		check("levels III-IV", store.OversightFilter{Levels: []int{3, 4}}, "Benefit scoring", "City cameras")
		check("not screened", store.OversightFilter{Levels: []int{0}}, "Old case system")
		check("stage", store.OversightFilter{Stage: model.StageImplementation}, "City cameras", "Old case system")
		check("technology", store.OversightFilter{Technology: "surveillance"}, "City cameras")
		check("one body", store.OversightFilter{OrgID: town.ID}, "Old case system", "Town portal")
		check("supplier across bodies", store.OversightFilter{Supplier: " civitas analytics LTD "}, "City cameras", "Town portal")
		check("unknown supplier", store.OversightFilter{Supplier: "Nobody Ltd"})
		check("overdue review", store.OversightFilter{Overdue: true}, "City cameras")
		check("open opinions", store.OversightFilter{OpenOpinion: true}, "Benefit scoring")
		check("in use unscreened", store.OversightFilter{Unscreened: true}, imported.Title)

		l, err := db.OversightPurchases(ctx, bruno, store.OversightFilter{Sort: "level", PerPage: 2, Page: 2})
		if err != nil || l.Total != 4 || l.Pages() != 2 || len(l.Rows) != 2 || l.Rows[0].Level != 2 {
			t.Fatalf("page 2 by level: %+v %v", l, err)
		}
		l, _ = db.OversightPurchases(ctx, bruno, store.OversightFilter{Sort: "stage"})
		if l.Rows[0].Purchase.ID != scoring.ID || l.Rows[1].Purchase.ID != portal.ID || !slices.Equal(l.Rows[2].Suppliers, []string{"CIVITAS  analytics ltd", "Northwind SA"}) || !l.Rows[2].Overdue {
			t.Fatalf("by stage: %+v", l.Rows[2])
		}
		if got := titles(store.OversightFilter{Sort: "title"}, ana); !slices.Equal(got, []string{"Benefit scoring", "City cameras"}) {
			t.Fatalf("a public body sees only its own: %q", got)
		}

		// Once the opinion is given the purchase is no longer owed one.
		owed, err := db.OwedOpinions(ctx, speaker)
		if err != nil || len(owed) != 1 || owed[0].Purchase.ID != scoring.ID || owed[0].Due != today.AddDays(30) || owed[0].Overdue {
			t.Fatalf("owed: %+v %v", owed, err)
		}
		if err := db.IssueOpinion(ctx, store.ActorOf(speaker), speaker, scoring, &opinion.Opinion{Before: model.StageTenderDesign, Verdict: opinion.Favourable, Reasons: "No concerns at this stage of the purchase."}); err != nil {
			t.Fatal(err)
		}
		check("open opinions after the opinion", store.OversightFilter{OpenOpinion: true})

		sup, err := db.Suppliers(ctx, bruno)
		if err != nil || len(sup) != 2 || sup[0].Purchases != 2 || sup[0].Bodies != 2 || sup[0].Contracted != 1 || sup[0].Invited != 1 || sup[1].Name != "Northwind SA" {
			t.Fatalf("suppliers: %+v %v", sup, err)
		}
		techs, err := db.TechnologyAcrossBodies(ctx, bruno)
		if err != nil {
			t.Fatal(err)
		}
		got := map[model.Technology]int{}
		for _, c := range techs {
			got[c.Technology] += c.Count
			if c.Technology == "automated_decisions" && (c.OrgID != city.ID || c.HighImpact != 1) {
				t.Errorf("far's purchase counted, or level missed: %+v", c)
			}
		}
		if len(got) != 4 || got["automated_decisions"] != 1 || got["apps"] != 1 {
			t.Fatalf("technologies: %+v", techs)
		}
	})
}
