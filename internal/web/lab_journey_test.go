package web_test

import (
	"fmt"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The Learning Lab's "done when": a buyer compares two jurisdictions on
// human-rights award criteria, reads the electronics hub report at the
// contract-monitoring stage, sees the relevant practice on their own
// purchase, and a member shares a tool that the Lab's editor publishes to
// the public portal.
func TestJourneyBuyerUsesTheLabAndAMemberPublishesATool(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		pr := labPractice("Independent monitoring of laptop assembly plants", model.StageImplementation)
		if err := db.CreatePractice(ctx, store.System, pr, true); err != nil {
			t.Fatal(err)
		}

		body := w.page("city_officer", "/lab/law?j=EU&j=UK&group=LM-G-CRITERIA")
		for _, want := range []string{"Does the law allow human-rights or social criteria in the award of contracts?", "European Union", "United Kingdom"} {
			if !strings.Contains(body, want) {
				t.Errorf("comparison lacks %q", want)
			}
		}
		body = w.page("city_officer", "/lab/hubs/electronics")
		i, j := strings.Index(body, "Implementation and monitoring"), strings.Index(body, pr.Title)
		if i < 0 || j < i {
			t.Error("the hub report does not list the practice under its stage")
		}

		off := w.users["city_officer"]
		p := &model.Purchase{OrgID: off.OrgID, Title: "Laptops for teachers", Sector: "education", Technologies: []model.Technology{"hardware", "goods"},
			Need: "n", Purpose: "p", LegalBasis: "l", AffectedPeople: "a", LeadUserID: off.ID}
		if err := db.CreatePurchase(ctx, store.ActorOf(off), p); err != nil {
			t.Fatal(err)
		}
		for _, st := range []string{"market_engagement", "tender_design", "award", "contract", "implementation"} {
			w.moveOverriding(p, st)
		}
		if body := w.page("city_officer", fmt.Sprintf("/purchases/%d", p.ID)); !strings.Contains(body, pr.Title) {
			t.Error("the purchase does not show the practice for its stage")
		}

		if err := db.SetLabMember(ctx, store.System, off.OrgID, true); err != nil {
			t.Fatal(err)
		}
		s, loc := w.shareMaterial("city_admin", "Factory audit checklist for laptops", "checklist.txt", []byte("1. Ask for the factory list.\n"))
		if s != 303 {
			t.Fatalf("share: %d", s)
		}
		path := strings.TrimSuffix(loc, "?done=shared")
		if _, body, _ := w.do("", "GET", "/lab/materials?q=factory+audit", nil); strings.Contains(body, "Factory audit checklist") {
			t.Fatal("public before publication")
		}
		// An organisation's administrator does not publish to the portal;
		// the network's Lab editor does.
		if s, _, _ := w.do("city_admin", "POST", path+"/publish", nil); s != 403 {
			t.Errorf("the city's administrator publishes: %d", s)
		}
		w.post("lab_editor", path+"/publish", nil, 303)
		if _, body, _ := w.do("", "GET", "/lab/materials?q=factory+audit", nil); !strings.Contains(body, "Factory audit checklist for laptops") {
			t.Error("the published tool is not found on the public portal")
		}
		if _, body, _ := w.do("", "GET", "/lab/feed.atom", nil); !strings.Contains(body, "Factory audit checklist for laptops") {
			t.Error("the feed does not announce the tool")
		}
	})
}
