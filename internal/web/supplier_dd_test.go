package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// evidence uploads a file to a supplier's answer as that supplier.
func (w *world) evidence(name string, p *model.Purchase, question, file string, data []byte) int {
	w.t.Helper()
	s, _, _ := w.postFile(name, fmt.Sprintf("/purchases/%d/due-diligence/files", p.ID), map[string]string{"question": question}, "file", file, data)
	return s
}

func TestSupplierAnswersFromItsOwnAccountAndTheBodyReviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		// The supplier sees the request on its dashboard and the purchase page.
		if body := w.page("vendor_supplier", "/dashboard"); !strings.Contains(body, "Your invitations and due-diligence questionnaires") ||
			!strings.Contains(body, fmt.Sprintf(`<a href="/purchases/%d/due-diligence">Benefits portal</a> · Org city · <strong>invited, not answered yet</strong>`, p.ID)) {
			t.Error("the supplier's dashboard does not list the invitation")
		}
		if body := w.page("vendor_supplier", base); !strings.Contains(body, "asks you to answer its due-diligence questionnaire") {
			t.Fatal("the supplier is not asked to answer")
		}
		form := w.page("vendor_supplier", base+"/due-diligence")
		for _, want := range []string{`name="q_policy"`, `name="q_breaching_request"`, "Due diligence on the State as your client", "UNGP P17"} {
			if !strings.Contains(form, want) {
				t.Errorf("questionnaire lacks %q", want)
			}
		}
		w.post("vendor_supplier", base+"/due-diligence", url.Values{}, 422)
		w.post("vendor_supplier", base+"/due-diligence", url.Values{"q_policy": {"Board-approved policy <script>x</script>"}, "q_breaching_request": {"We would refuse and tell the oversight body."}}, 303)
		if s := w.evidence("vendor_supplier", p, "policy", "policy.pdf", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")); s != 303 {
			t.Fatalf("evidence: %d", s)
		}
		if s := w.evidence("vendor_supplier", p, "policy", "policy.html", []byte("<html><script>alert(1)</script></html>")); s != 422 {
			t.Errorf("html evidence accepted: %d", s)
		}
		w.post("vendor_supplier", base+"/due-diligence", url.Values{"q_policy": {"Board-approved policy, updated 2026"}, "q_breaching_request": {"We would refuse and tell the oversight body."}, "q_data": {"EU data centres only."}}, 303)

		// Nobody else sees it: another supplier is not even invited, the
		// invited supplier's viewer may read but not answer.
		for name, want := range map[string]int{"rival_supplier": 404, "town_officer": 404} {
			if s, _, _ := w.do(name, "GET", base+"/due-diligence", nil); s != want {
				t.Errorf("%s opens the questionnaire: %d, want %d", name, s, want)
			}
		}
		if s, _, _ := w.do("city_officer", "POST", base+"/due-diligence", url.Values{"q_policy": {"x"}}); s != 403 {
			t.Errorf("the body answers for the supplier: %d", s)
		}

		// The body sees both versions, what changed, and reviews.
		vendor := fmt.Sprint(w.orgs["vendor"].ID)
		if body := w.page("city_officer", base+"/due-diligence"); !strings.Contains(body, "answered (version 2), waiting for review") {
			t.Error("list does not show the status")
		}
		body := w.page("city_officer", base+"/due-diligence/"+vendor)
		for _, want := range []string{"Board-approved policy, updated 2026", "EU data centres only.", "changed", "v1", "policy.pdf", `name="score_policy"`} {
			if !strings.Contains(body, want) {
				t.Errorf("body's view lacks %q", want)
			}
		}
		if old := w.page("city_officer", base+"/due-diligence/"+vendor+"?v=1"); !strings.Contains(old, "Board-approved policy &lt;script&gt;x&lt;/script&gt;") {
			t.Error("version 1 not shown, or not escaped")
		}
		if s, _, _ := w.do("city_officer", "GET", base+"/due-diligence/"+fmt.Sprint(w.orgs["rival"].ID), nil); s != 404 {
			t.Errorf("uninvited supplier's page: %d", s)
		}
		w.post("city_officer", base+"/due-diligence/"+vendor+"/review", url.Values{"version": {"2"}}, 422)
		w.post("city_officer", base+"/due-diligence/"+vendor+"/review", url.Values{"version": {"2"}, "score_policy": {"adequate"}, "score_data": {"partial"},
			"comment": {"Please name the sub-processors."}}, 303)
		if s, _, _ := w.do("nhri_oversight", "POST", base+"/due-diligence/"+vendor+"/review", url.Values{"version": {"2"}, "comment": {"x"}}); s != 403 {
			t.Errorf("oversight reviews: %d", s)
		}
		w.page("nhri_oversight", base+"/due-diligence/"+vendor)

		// The supplier reads the review of its own answers.
		body = w.page("vendor_supplier", base+"/due-diligence")
		if !strings.Contains(body, "Please name the sub-processors.") || !strings.Contains(body, "Partly adequate") {
			t.Error("supplier does not see the review")
		}
		// Its evidence is its own: the rival cannot fetch it.
		files, _ := db.PurchaseFiles(ctx, p.ID, "supplier")
		if len(files) != 1 {
			t.Fatalf("files: %+v", files)
		}
		fp := fmt.Sprintf("%s/due-diligence/files/%d", base, files[0].ID)
		for name, want := range map[string]int{"vendor_supplier": 200, "city_officer": 200, "nhri_oversight": 200, "rival_supplier": 404} {
			if s, _, _ := w.do(name, "GET", fp, nil); s != want {
				t.Errorf("%s downloads the evidence: %d, want %d", name, s, want)
			}
		}
	})
}

func TestSupplierSeesOnlyItsOwnAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Two bidders")
		off := w.users["city_officer"]
		if err := db.InviteSupplier(ctx, store.ActorOf(off), p, w.orgs["rival"].ID); err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/purchases/%d", p.ID)
		w.post("vendor_supplier", base+"/due-diligence", url.Values{"q_policy": {"Vendor's secret approach"}}, 303)
		w.post("rival_supplier", base+"/due-diligence", url.Values{"q_policy": {"Rival's own words"}}, 303)
		body := w.page("rival_supplier", base+"/due-diligence")
		if strings.Contains(body, "Vendor's secret approach") || !strings.Contains(body, "Rival&#39;s own words") {
			t.Error("a supplier sees another supplier's answers")
		}
		// A supplier cannot read the body's pages of other suppliers.
		if s, _, _ := w.do("rival_supplier", "GET", base+"/due-diligence/"+fmt.Sprint(w.orgs["vendor"].ID), nil); s != 403 {
			t.Errorf("rival reads the vendor's answers: %d", s)
		}
	})
}

// An invited supplier sees the purchase, not its record: no gate
// overrides, tasks or scheduled reviews on its dashboard or /overrides.
func TestSupplierDoesNotSeeTheRecordOnListPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Overridden purchase")
		w.moveOverriding(p, "market_engagement")
		if _, err := db.ScheduleReview(ctx, store.ActorOf(w.users["city_officer"]), p, "renewal", model.DateOf(time.Now()).AddDays(5)); err != nil {
			t.Fatal(err)
		}
		if body := w.page("city_officer", "/overrides"); !strings.Contains(body, "Overridden purchase") {
			t.Fatal("the body does not see its own override")
		}
		if body := w.page("vendor_supplier", "/overrides"); strings.Contains(body, "Overridden purchase") {
			t.Error("the supplier sees the gate override")
		}
		body := w.page("vendor_supplier", "/dashboard")
		if strings.Contains(body, "test move") || strings.Contains(body, "Renewal decision") {
			t.Error("the supplier's dashboard shows the record")
		}
	})
}
