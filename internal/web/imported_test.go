package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A purchase imported from open contracting data at a late stage was never
// screened: every page says so, oversight lists it among the systems in
// use without a current screening, the OCDS export says notScreened, and
// no override moves it on until it is screened.
func TestImportedPurchaseNotScreenedCannotMoveOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		row := store.ImportRow{Purchase: &model.Purchase{Title: "Video analytics for the metro", OCID: "ocds-test-0001", Sector: "policing",
			Need: "n", Purpose: "p", LegalBasis: "l", AffectedPeople: "a", Stage: model.StageImplementation, Currency: "EUR"},
			ReleaseID: "r1", ReleaseDate: "2026-01-01T00:00:00Z"}
		if _, err := db.ImportPurchases(ctx, store.Actor{Label: "test"}, w.orgs["city"].ID, []store.ImportRow{row}); err != nil {
			t.Fatal(err)
		}
		ps, err := db.Purchases(ctx, w.users["city_officer"], store.PurchaseFilter{})
		if err != nil || len(ps.Items) != 1 {
			t.Fatalf("imported purchase: %+v %v", ps, err)
		}
		p := ps.Items[0]
		path := fmt.Sprintf("/purchases/%d", p.ID)
		if _, body, _ := w.do("city_officer", "GET", path, nil); !strings.Contains(body, "Imported, not screened.") {
			t.Fatalf("purchase page does not mark it:\n%.3000s", body)
		}
		move := url.Values{"to": {"renewal_exit"}, "version": {fmt.Sprint(p.Version)}, "override": {"yes"}, "reason": {"It has run for a year without trouble."}}
		if s, body, _ := w.do("city_approver", "POST", path+"/transition", move); s != 422 || !strings.Contains(body, "cannot be overridden") {
			t.Fatalf("override of an imported, unscreened purchase: %d\n%.3000s", s, body)
		}
		if _, body, _ := w.do("nhri_oversight", "GET", "/oversight", nil); !strings.Contains(body, "In use without a current screening") || !strings.Contains(body, "Video analytics for the metro") {
			t.Fatalf("oversight does not list it:\n%.3000s", body)
		}
		w.do("city_officer", "POST", path+"/publication", url.Values{"publish": {"yes"}, "summary": {"Cameras on the metro."}})
		if _, body, _ := w.do("", "GET", fmt.Sprintf("/register/%d", p.ID), nil); !strings.Contains(body, "never screened") {
			t.Fatalf("register entry does not mark it:\n%.3000s", body)
		}
		_, body, _ := w.do("", "GET", "/ocds/releases.jsonl", nil)
		var rel struct {
			DD struct {
				ScreeningStatus string `json:"screeningStatus"`
				Imported        bool   `json:"imported"`
				ImpactLevel     int    `json:"impactLevel"`
			} `json:"humanRightsDueDiligence"`
		}
		if err := json.Unmarshal([]byte(strings.SplitN(body, "\n", 2)[0]), &rel); err != nil || rel.DD.ScreeningStatus != "notScreened" || !rel.DD.Imported || rel.DD.ImpactLevel != 0 {
			t.Fatalf("export: %+v %v\n%.500s", rel, err, body)
		}
		// Screened, it moves on as any purchase does; oversight's list empties.
		w.screenPlainly(p, nil)
		if s, body, _ := w.do("city_approver", "POST", path+"/transition", move); s != 303 {
			t.Fatalf("after screening: %d\n%.3000s", s, body)
		}
		if _, body, _ := w.do("nhri_oversight", "GET", "/oversight", nil); !strings.Contains(body, "Every system in use has a current screening.") {
			t.Fatal("oversight still lists it after screening")
		}
	})
}
