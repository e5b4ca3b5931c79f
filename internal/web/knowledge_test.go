package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func TestPurchaseShowsPracticesAndLawForItsStageAndTurnsIntoPractice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		pr := labPractice("Laptop supply chains checked by trade unions", model.StagePlanning)
		if err := db.CreatePractice(ctx, store.System, pr, true); err != nil {
			t.Fatal(err)
		}
		other := labPractice("Award criteria for repairability", model.StageTenderDesign)
		if err := db.CreatePractice(ctx, store.System, other, true); err != nil {
			t.Fatal(err)
		}
		off := w.users["city_officer"]
		p := &model.Purchase{OrgID: off.OrgID, Title: "Laptops for schools", Sector: "education", Technologies: []model.Technology{"hardware"},
			Need: "n", Purpose: "Buy 3,000 laptops with a repair guarantee.", LegalBasis: "l", AffectedPeople: "a", LeadUserID: off.ID}
		if err := db.CreatePurchase(ctx, store.ActorOf(off), p); err != nil {
			t.Fatal(err)
		}
		if err := db.InviteSupplier(ctx, store.ActorOf(off), p, w.orgs["vendor"].ID); err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/purchases/%d", p.ID)
		// The city is in Portugal: Portuguese and EU law for planning, and
		// the electronics practice for planning, not the tender one.
		body := w.page("city_officer", base)
		for _, want := range []string{"From the Learning Lab", pr.Title, "Does an independent authority oversee public bodies", "(PT)", "(EU)"} {
			if !strings.Contains(body, want) {
				t.Errorf("purchase page lacks %q", want)
			}
		}
		if strings.Contains(body, other.Title) {
			t.Error("a practice for another stage is shown")
		}
		// At the gate, too.
		if body := w.page("city_officer", base+"/transition"); !strings.Contains(body, "Before you move on") || !strings.Contains(body, pr.Title) {
			t.Error("the transition page does not show the stage's practices")
		}
		// It is the buyer's guidance: the supplier does not get it.
		if body := w.page("vendor_supplier", base); strings.Contains(body, "From the Learning Lab") {
			t.Error("supplier sees the Lab panel")
		}

		// A purchase in use can be turned into a practice, by those who may
		// edit it, as a draft that waits for review.
		for _, st := range []string{"market_engagement", "tender_design", "award", "contract", "implementation"} {
			w.moveOverriding(p, st)
		}
		if body := w.page("city_officer", base); !strings.Contains(body, "/lab/propose/practice?from=") {
			t.Fatal("no offer to share what was learned")
		}
		form := w.page("city_officer", "/lab/propose/practice?from="+fmt.Sprint(p.ID))
		for _, want := range []string{`value="Laptops for schools"`, `name="from" value="` + fmt.Sprint(p.ID) + `"`, "Buy 3,000 laptops", `value="implementation" selected`} {
			if !strings.Contains(form, want) {
				t.Errorf("prefilled practice form lacks %q", want)
			}
		}
		for name, want := range map[string]int{"city_viewer": 403, "rival_supplier": 404, "town_officer": 404} {
			if s, _, _ := w.do(name, "GET", "/lab/propose/practice?from="+fmt.Sprint(p.ID), nil); s != want {
				t.Errorf("%s starts a practice from the city's purchase: %d, want %d", name, s, want)
			}
		}
		w.post("city_officer", "/lab/propose/practice", url.Values{"from": {fmt.Sprint(p.ID)}, "lab_title": {"Repair guarantee for school laptops"},
			"lab_body": {"Org city"}, "lab_jurisdiction": {"PT"}, "lab_stage": {"implementation"}, "lab_hub": {"electronics"},
			"lab_what_done": {"Required five years of parts."}, "lab_what_changed": {"Fewer laptops thrown away."}, "lab_sources": {"Internal report"}}, 303)
		if res, _ := db.SearchPractices(ctx, store.PracticeQuery{Text: "repair guarantee"}); len(res.Practices) != 0 {
			t.Error("the draft is public before review")
		}
		if drafts, _ := db.DraftPractices(ctx); len(drafts) != 1 || drafts[0].Title != "Repair guarantee for school laptops" {
			t.Errorf("drafts: %+v", drafts)
		}
		if body := w.page("city_officer", base); !strings.Contains(body, "Proposed a practice to the Learning Lab.") {
			t.Error("the purchase's history does not record the proposal")
		}
	})
}
