package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// row returns the table row of a dated event on a page, or "".
func row(body, id string) string {
	i := strings.Index(body, `<tr id="date-`+id+`">`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</tr>")
	if j < 0 {
		return ""
	}
	return body[i : i+j]
}

// A buyer bound by EU law sees the AI Act's dates of application with the
// purchase; a date read only in an unofficial text says "to check", a date
// checked against the adopted text does not. The Lab's EU page shows the
// same table, a non-EU jurisdiction's page does not.
func TestAIActDatesShownWithToCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		seedLab(t, w)
		off := w.users["city_officer"] // the city is in Portugal
		p := &model.Purchase{OrgID: off.OrgID, Title: "Eligibility model for housing benefit", Sector: "social_protection",
			Technologies: []model.Technology{"automated_decisions"}, Need: "n", Purpose: "p", LegalBasis: "l", AffectedPeople: "a", LeadUserID: off.ID}
		if err := db.CreatePurchase(ctx, store.ActorOf(off), p); err != nil {
			t.Fatal(err)
		}
		check := func(where, body string) {
			t.Helper()
			if !strings.Contains(body, "EU AI Act: dates of application") {
				t.Fatalf("%s: no AI Act dates", where)
			}
			amended := row(body, "AIA-DATE-AMEND-ANNEX-III")
			if !strings.Contains(amended, "2027-12-02") || !strings.Contains(amended, "to check") || !strings.Contains(amended, "unofficial consolidated text") {
				t.Errorf("%s: the reported Annex III date is not marked to check: %q", where, amended)
			}
			original := row(body, "AIA-DATE-ANNEX-III")
			if !strings.Contains(original, "2026-08-02") || strings.Contains(original, `class="tag warn"`) || !strings.Contains(original, "Checked against the adopted text") {
				t.Errorf("%s: the original Annex III date: %q", where, original)
			}
			for _, id := range []string{"AIA-DATE-AMEND-ANNEX-I", "AIA-DATE-AMEND-FORCE", "AIA-DATE-AMEND-PROHIBITIONS"} {
				if r := row(body, id); !strings.Contains(r, "to check") {
					t.Errorf("%s: %s shown without to check: %q", where, id, r)
				}
			}
		}
		check("purchase page", w.page("city_officer", fmt.Sprintf("/purchases/%d", p.ID)))
		check("gate page", w.page("city_officer", fmt.Sprintf("/purchases/%d/transition", p.ID)))
		check("Lab EU page", w.page("", "/lab/law/EU"))
		if body := w.page("", "/lab/law/UK"); strings.Contains(body, "EU AI Act: dates of application") {
			t.Error("the UK page shows the EU AI Act's dates")
		}
		// In Portuguese too, with the marker translated.
		req, _ := http.NewRequest("GET", w.srv.URL+"/lab/law/EU", nil)
		req.Header.Set("Accept-Language", "pt-PT,pt;q=0.9")
		resp, err := client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b := new(strings.Builder)
		io.Copy(b, resp.Body)
		resp.Body.Close()
		if r := row(b.String(), "AIA-DATE-AMEND-ANNEX-III"); !strings.Contains(r, "a verificar") {
			t.Errorf("Portuguese EU page row: %q", r)
		}
	})
}
