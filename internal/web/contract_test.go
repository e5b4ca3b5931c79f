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

// portal are screening answers of an online-only benefits portal where
// staff decide (level III).
var portal = map[string][]string{
	"digital": {"yes"}, "hardware": {"no"}, "goods": {"no"}, "staff_services": {"no"}, "essential_service": {"yes"},
	"access_gate": {"yes"}, "offline_alternative": {"no"}, "personal_data": {"yes"}, "data_categories": {"financial"},
	"people_count": {"8000"}, "vulnerable_groups": {"low_income", "older"}, "vulnerable_reached": {"yes"}, "automation": {"none"},
	"profiling": {"no"}, "ai_system": {"no"}, "biometric_use": {"none"}, "monitoring_public": {"no"}, "monitoring_individuals": {"no"},
	"legal_basis": {"specific"}, "data_sharing": {"vendor_access"}, "partnership": {"no"}, "procurement_route": {"open"},
	"emergency": {"no"},
}

// post sends a form as a person and fails unless the status is want.
func (w *world) post(name, path string, form url.Values, want int) string {
	w.t.Helper()
	s, body, _ := w.do(name, "POST", path, form)
	if s != want {
		w.t.Fatalf("POST %s as %s: %d, want %d\n%.4000s", path, name, s, want, body)
	}
	return body
}

// page fetches a page as a person and fails unless it is 200.
func (w *world) page(name, path string) string {
	w.t.Helper()
	s, body, _ := w.do(name, "GET", path, nil)
	if s != 200 {
		w.t.Fatalf("GET %s as %s: %d\n%.3000s", path, name, s, body)
	}
	return body
}

// moveTo moves p one stage on as the city officer and returns the status
// and the page (303 when the gates passed).
func (w *world) moveTo(p *model.Purchase, to string) (int, string) {
	w.t.Helper()
	cur, _, err := w.db.Purchase(ctx, w.users["city_officer"], p.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	s, body, _ := w.do("city_officer", "POST", fmt.Sprintf("/purchases/%d/transition", p.ID), url.Values{"to": {to}, "version": {fmt.Sprint(cur.Version)}})
	return s, body
}

func contractForm() url.Values {
	return url.Values{"suppliers": {"Vendor Lda\nSub Partner SA"}, "reference": {"CT-2026-7"}, "value": {"1,250,000"}, "currency": {"eur"},
		"signed_on": {"2026-01-10"}, "starts_on": {"2026-02-01"}, "ends_on": {"2028-01-31"}, "rev": {"0"}}
}

func TestContractRecordSafeguardsAndAmendmentReopeningScreening(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		w.screen(p, portal)
		base := fmt.Sprintf("/purchases/%d", p.ID)
		w.decide(p, url.Values{"item": {"CL-EXIT"}, "decision": {"accepted"}}, 303)
		w.decide(p, url.Values{"item": {"CL-AUDIT"}, "decision": {"accepted"}}, 303)

		// A form with problems keeps what was typed and names each field.
		bad := contractForm()
		bad.Set("ends_on", "2025-12-31")
		bad.Set("suppliers", "  ")
		bad.Set("reference", "<b>kept</b>")
		body := w.post("city_officer", base+"/contract", bad, 422)
		for _, want := range []string{"Suppliers: Fill this in.", "The contract cannot end before it starts.", "&lt;b&gt;kept&lt;/b&gt;", `value="2025-12-31"`} {
			if !strings.Contains(body, want) {
				t.Errorf("refused contract form lacks %q", want)
			}
		}
		w.post("city_officer", base+"/contract", contractForm(), 303)
		body = w.page("city_officer", base+"/contract")
		for _, want := range []string{"Vendor Lda", "Sub Partner SA", "CT-2026-7", "2028-01-31", "EUR"} {
			if !strings.Contains(body, want) {
				t.Errorf("contract page lacks %q", want)
			}
		}
		// Saving over a newer revision is refused rather than lost unseen.
		if s, _, _ := w.do("city_officer", "POST", base+"/contract", contractForm()); s != 409 {
			t.Errorf("stale contract save: %d, want 409", s)
		}

		// A safeguard dropped without a reason is refused.
		body = w.post("city_officer", base+"/contract/safeguards", url.Values{"sg_CL-EXIT": {"signed"}, "sg_CL-AUDIT": {"dropped"}}, 422)
		if !strings.Contains(body, "Say why this safeguard is not in the signed contract.") {
			t.Fatalf("dropped safeguard without reason:\n%.3000s", body)
		}
		w.post("city_officer", base+"/contract/safeguards", url.Values{"sg_CL-EXIT": {"signed"}, "sg_CL-AUDIT": {"dropped"}, "note_CL-AUDIT": {"Supplier refused audits; limited to yearly report."}}, 303)

		// An amendment that widens data use re-opens the screening: a task
		// on the purchase page, a warning, and the gate holds the purchase.
		w.post("city_officer", base+"/contract/amendments", url.Values{"made_on": {"2026-03-01"}, "summary": {"Add debt records"},
			"reason": {"Council asked for it"}, "widens_data": {"yes"}, "new_value": {"1,400,000"}}, 303)
		body = w.page("city_officer", base)
		for _, want := range []string{"Amendment 1 widens the contract", `<ul class="plain tasks"><li>Screen again: amendment 1 widens the contract`, "Signed with Vendor Lda, Sub Partner SA for"} {
			if !strings.Contains(body, want) {
				t.Errorf("purchase page lacks %q", want)
			}
		}
		for _, st := range []string{"market_engagement", "tender_design", "award", "contract"} {
			w.moveOverriding(p, st)
		}
		s, body := w.moveTo(p, "implementation")
		if s != 422 && s != 409 {
			t.Fatalf("move with a stale screening: %d", s)
		}
		for _, want := range []string{"Amendment 1 widened the contract after the last screening", "Not in the signed contract: "} {
			if !strings.Contains(body, want) {
				t.Errorf("transition page lacks %q\n%s", want, body[strings.Index(body, "<main"):])
			}
		}
		// Screening again closes the task and clears that gate.
		w.screen(p, portal)
		body = w.page("city_officer", base)
		if strings.Contains(body, `<ul class="plain tasks"><li>Screen again: amendment 1`) {
			t.Error("re-screening task still open after screening again")
		}
		_, body = w.moveTo(p, "implementation")
		if strings.Contains(body, "Amendment 1 widened the contract") {
			t.Error("gate still asks to screen again")
		}
		// Oversight reads the contract; the supplier and other bodies do not.
		w.page("nhri_oversight", base+"/contract")
		for name, want := range map[string]int{"vendor_supplier": 403, "rival_supplier": 404, "town_officer": 404} {
			if s, _, _ := w.do(name, "GET", base+"/contract", nil); s != want {
				t.Errorf("%s reads contract: %d, want %d", name, s, want)
			}
		}
		if s, _, _ := w.do("nhri_oversight", "POST", base+"/contract/amendments", url.Values{"made_on": {"2026-03-01"}, "summary": {"x"}, "reason": {"y"}}); s != 403 {
			t.Errorf("oversight amends: %d, want 403", s)
		}
	})
}

func TestRenewalNeedsFreshScreeningAndExitNeedsEvidence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		w.post("city_officer", base+"/contract", contractForm(), 303)
		today := model.DateOf(time.Now()).String()
		w.post("city_officer", base+"/reviews", url.Values{"kind": {"renewal"}, "due_on": {today}}, 303)
		body := w.page("city_officer", base+"/reviews")
		if !strings.Contains(body, "Renewal decision") {
			t.Fatalf("reviews page:\n%.3000s", body)
		}
		// The lead sees it coming on the dashboard.
		if body := w.page("city_officer", "/dashboard"); !strings.Contains(body, "Renewal decision") {
			t.Errorf("dashboard does not show the renewal decision due\n%s", body)
		}
		rs, err := db.Reviews(ctx, p.ID)
		if err != nil || len(rs) != 1 {
			t.Fatal(rs, err)
		}
		rpath := fmt.Sprintf("%s/reviews/%d", base, rs[0].ID)
		// Renewing without screening, evidence or monitoring results is refused.
		body = w.post("city_officer", rpath, url.Values{"outcome": {"renew"}, "held_on": {today}, "findings": {"Works well <i>really</i>"}, "new_ends_on": {"2030-01-31"}}, 422)
		for _, want := range []string{"Screen the purchase again for this renewal", "summarise what monitoring showed", "Works well &lt;i&gt;really&lt;/i&gt;"} {
			if !strings.Contains(body, want) {
				t.Errorf("refused renewal lacks %q", want)
			}
		}
		// Exit instead, then the exit plan with evidence.
		w.post("city_officer", rpath, url.Values{"outcome": {"exit"}, "held_on": {today}, "findings": {"The council will run the service itself."}}, 303)
		body = w.page("city_officer", base+"/reviews")
		if !strings.Contains(body, "Attach evidence of return and deletion") {
			t.Errorf("exit checklist missing:\n%.3000s", body)
		}
		w.post("city_officer", base+"/exit", url.Values{"data_return": {"All case files as CSV to the council."}, "deletion": {"Supplier deletes all copies and certifies it."},
			"transition": {"Council staff take over; applicants told by letter."}, "returned_on": {today}, "deleted_on": {today}, "rev": {"0"}}, 303)
		if err := db.AddPurchaseFile(ctx, store.ActorOf(w.users["city_officer"]), p, &store.PurchaseFile{Kind: "exit", Name: "deletion.txt", CType: "text/plain", Data: []byte("certified")}); err != nil {
			t.Fatal(err)
		}
		body = w.page("city_officer", base+"/reviews")
		if !strings.Contains(body, "The exit plan is carried out and evidenced.") {
			t.Errorf("exit plan not complete:\n%.3000s", body)
		}
		// A future date is refused.
		w.post("city_officer", base+"/exit", url.Values{"returned_on": {"2999-01-01"}, "rev": {"1"}}, 422)
	})
}
