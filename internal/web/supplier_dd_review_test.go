package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// After the body reviews a version and the supplier submits a new one, the
// supplier still reads what the body asked for, and the body reads the old
// answer next to each changed one.
func TestSupplierKeepsTheEarlierReviewAndTheBodySeesPreviousAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Eligibility checks")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		vendor := fmt.Sprint(w.orgs["vendor"].ID)
		w.post("vendor_supplier", base+"/due-diligence", url.Values{"q_policy": {"Policy from 2019."}, "q_data": {"EU only."}}, 303)
		w.post("city_officer", base+"/due-diligence/"+vendor+"/review", url.Values{"version": {"1"}, "score_policy": {"inadequate"},
			"comment": {"Your policy predates the system; please update it."}}, 303)
		w.post("vendor_supplier", base+"/due-diligence", url.Values{"q_policy": {"Policy updated in 2026."}, "q_data": {"EU only."}}, 303)

		body := w.page("vendor_supplier", base+"/due-diligence")
		for _, want := range []string{"Review of the earlier version 1", "Your policy predates the system; please update it.", "Your human-rights policy: Inadequate"} {
			if !strings.Contains(body, want) {
				t.Errorf("supplier's page after a new version lacks %q", want)
			}
		}
		body = w.page("city_officer", base+"/due-diligence/"+vendor)
		if !strings.Contains(body, "Policy updated in 2026.") || !strings.Contains(body, "<summary>Answer in version 1</summary><p>Policy from 2019.</p>") {
			t.Error("body's view does not show the previous answer of a changed question")
		}
		if strings.Count(body, "<details>") != 1 {
			t.Errorf("only the changed answer should carry its previous text: %d", strings.Count(body, "<details>"))
		}

		// Once the new version is reviewed, that review is the one shown.
		w.post("city_officer", base+"/due-diligence/"+vendor+"/review", url.Values{"version": {"2"}, "score_policy": {"adequate"}, "comment": {"Thank you."}}, 303)
		body = w.page("vendor_supplier", base+"/due-diligence")
		if strings.Contains(body, "Review of the earlier version") || !strings.Contains(body, "Thank you.") {
			t.Error("supplier's page still shows the earlier review")
		}
	})
}
