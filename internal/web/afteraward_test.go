package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Chen's journey after the award (journey 10): the body marks the vendor
// as holding the contract and assigns it an indicator; the vendor sees
// what it signed, the monitoring it feeds, the review and the exit plan,
// enters a value, reports an incident and declares a sub-processor, each
// reaching the body as a task. The rival, also invited, sees none of it.
func TestSupplierAfterAwardJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Appointment booking")
		off := store.ActorOf(w.users["city_officer"])
		if err := db.InviteSupplier(ctx, off, p, w.orgs["rival"].ID); err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/purchases/%d", p.ID)
		today := model.DateOf(time.Now())
		if err := db.SaveContract(ctx, off, p, &contract.Contract{Reference: "PV-77", Suppliers: []string{"Org vendor"}, SignedOn: today.AddDays(-40),
			StartsOn: today.AddDays(-30), EndsOn: today.AddDays(700)}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ScheduleReview(ctx, off, p, contract.KindReview, today.AddDays(60)); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveExitPlan(ctx, off, p, &contract.ExitPlan{DataReturn: "All bookings as CSV", Deletion: "Deleted within 30 days, certified"}, 0); err != nil {
			t.Fatal(err)
		}

		// Before the award the vendor is refused the page, told why.
		if s, body, _ := w.do("vendor_supplier", "GET", base+"/obligations", nil); s != 403 || !strings.Contains(body, "Only the supplier holding the contract") {
			t.Fatalf("before the award: %d\n%.500s", s, body)
		}
		w.post("city_officer", base+"/obligations/award", url.Values{"awarded": {fmt.Sprint(w.orgs["rival"].ID + 100000)}}, 422)
		w.post("city_officer", base+"/obligations/award", url.Values{"awarded": {fmt.Sprint(w.orgs["vendor"].ID)}}, 303)
		w.post("city_assessor", base+"/monitoring/indicators", url.Values{"catalog_id": {"IND-UPTIME"}}, 303)
		plan, _ := db.Indicators(ctx, p.ID)
		first := model.DateOf(time.Date(today.Time().Year(), today.Time().Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0))
		feed := url.Values{"indicator": {fmt.Sprint(plan[0].ID)}, "supplier": {fmt.Sprint(w.orgs["rival"].ID)}, "every": {"1"}, "first_period": {first.String()}}
		if body := w.post("city_assessor", base+"/obligations/feeds", feed, 422); !strings.Contains(body, "Choose a supplier that holds the contract.") {
			t.Error("assigning to a supplier without the contract is not explained")
		}
		feed.Set("supplier", fmt.Sprint(w.orgs["vendor"].ID))
		w.post("city_assessor", base+"/obligations/feeds", feed, 303)

		// The vendor finds its obligations from its dashboard and the purchase.
		if body := w.page("vendor_supplier", "/dashboard"); !strings.Contains(body, `href="`+base+`/obligations"`) {
			t.Error("the dashboard does not link the obligations")
		}
		if body := w.page("vendor_supplier", base); !strings.Contains(body, "Your company holds the contract.") {
			t.Error("the purchase page does not say the vendor holds the contract")
		}
		body := w.page("vendor_supplier", base+"/obligations")
		for _, want := range []string{"PV-77", "Service availability (uptime)", "every month", "Review", "All bookings as CSV", "Deadlines", "End of the contract", "Declare a sub-contractor or sub-processor"} {
			if !strings.Contains(body, want) {
				t.Errorf("the vendor's obligations lack %q", want)
			}
		}
		for _, name := range []string{"rival_supplier"} {
			if s, _, _ := w.do(name, "GET", base+"/obligations", nil); s != 403 {
				t.Errorf("%s reads the obligations: %d", name, s)
			}
		}
		if s, _, _ := w.do("town_officer", "GET", base+"/obligations", nil); s != 404 {
			t.Errorf("another body reads the obligations: %d", s)
		}

		// A value below the threshold: the body gets a task and sees who gave it.
		w.post("vendor_supplier", base+"/obligations/values", url.Values{"indicator": {fmt.Sprint(plan[0].ID)}, "period": {first.String()}, "value": {"97,5"}}, 303)
		if mon := w.page("city_officer", base+"/monitoring"); !strings.Contains(mon, "given by the supplier") || !strings.Contains(mon, "97.5") {
			t.Error("the supplier's value is not on the monitoring page")
		}
		if pg := w.page("city_officer", base); !strings.Contains(pg, "Monitoring: Service availability (uptime) is 97.5") {
			t.Error("no task for the breach")
		}
		// An incident with a missing description keeps what was typed.
		hostile := `<script>alert("x")</script> booking page down`
		bad := w.post("vendor_supplier", base+"/obligations/incidents", url.Values{"occurred_on": {today.String()}, "severity": {"high"}, "affected": {"About 200 people"}}, 422)
		if !strings.Contains(bad, "About 200 people") {
			t.Error("the typed incident was lost")
		}
		w.post("vendor_supplier", base+"/obligations/incidents", url.Values{"occurred_on": {today.String()}, "severity": {"high"}, "what": {hostile}, "affected": {"About 200 people"}}, 303)
		seen := w.page("city_officer", base+"/obligations")
		if strings.Contains(seen, "<script>alert") || !strings.Contains(seen, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; booking page down") {
			t.Error("the incident is not shown escaped to the body")
		}
		if pg := w.page("city_officer", base); !strings.Contains(pg, "Org vendor reported an incident (high)") {
			t.Error("no task for the supplier's incident")
		}

		// A sub-processor with personal data: the body must authorise it.
		w.post("vendor_supplier", base+"/obligations/subcontractors", url.Values{"sub_name": {"Nimbus Hosting BV"}, "sub_role": {"subprocessor"}, "sub_work": {"Hosting"},
			"sub_data": {"none"}, "sub_since": {today.String()}}, 422)
		w.post("vendor_supplier", base+"/obligations/subcontractors", url.Values{"sub_name": {"Nimbus Hosting BV"}, "sub_role": {"subprocessor"}, "sub_work": {"Hosting"},
			"sub_data": {"personal"}, "sub_country": {"Netherlands"}, "sub_since": {today.String()}}, 303)
		subs, _ := db.Subcontractors(ctx, p.ID)
		if len(subs) != 1 {
			t.Fatalf("subcontractors: %+v", subs)
		}
		w.post("vendor_supplier", fmt.Sprintf("%s/obligations/subcontractors/%d", base, subs[0].ID), url.Values{"sub_name": {"Nimbus Hosting BV"}, "sub_role": {"subprocessor"},
			"sub_work": {"Hosting"}, "sub_data": {"special"}, "sub_country": {"Netherlands"}, "sub_since": {today.String()}}, 303)
		seen = w.page("city_officer", base+"/obligations")
		if !strings.Contains(seen, "Added Nimbus Hosting BV") || !strings.Contains(seen, "Changed Nimbus Hosting BV: data personal → special") {
			t.Error("the body does not see the declarations")
		}
		tasks, _ := db.PurchaseTasks(ctx, p.ID)
		consent := 0
		for _, x := range tasks {
			if x.Kind == "subprocessor" {
				consent++
			}
		}
		if consent != 2 {
			t.Errorf("each declaration reaching personal data should open a task: %d", consent)
		}
		// The rival, a body's viewer and oversight cannot report for the vendor.
		for name, want := range map[string]int{"rival_supplier": 403, "city_viewer": 403, "nhri_oversight": 403, "city_officer": 403} {
			if s, _, _ := w.do(name, "POST", base+"/obligations/incidents", url.Values{"occurred_on": {today.String()}, "severity": {"low"}, "what": {"x"}}); s != want {
				t.Errorf("%s reports an incident: %d, want %d", name, s, want)
			}
		}
		w.page("nhri_oversight", base+"/obligations")
	})
}

// The company answers are given once from the supplier's account and
// reach every purchase it answered; the purchase's form starts from them.
func TestSupplierCompanyAnswersPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a, b := w.purchase("Portal"), w.purchase("Scoring")
		w.post("vendor_supplier", fmt.Sprintf("/purchases/%d/due-diligence", a.ID), url.Values{"q_policy": {"Policy 2024"}, "q_legal_basis": {"Art. 14"}}, 303)
		// The other purchase's form starts with the company answers.
		if form := w.page("vendor_supplier", fmt.Sprintf("/purchases/%d/due-diligence", b.ID)); !strings.Contains(form, "Policy 2024") || !strings.Contains(form, "your company answers are filled in below") {
			t.Error("the second purchase does not start from the company answers")
		}
		page := w.page("vendor_supplier", "/supplier/due-diligence")
		for _, want := range []string{"Policy 2024", "Requests from public authorities", "version 1", "not answered yet"} {
			if !strings.Contains(page, want) {
				t.Errorf("company answers page lacks %q", want)
			}
		}
		if strings.Contains(page, `name="q_legal_basis"`) {
			t.Error("a question about the State is on the company page")
		}
		w.post("vendor_supplier", "/supplier/due-diligence", url.Values{"q_policy": {""}}, 422)
		s, _, h := w.do("vendor_supplier", "POST", "/supplier/due-diligence", url.Values{"q_policy": {"Policy 2026"}})
		if s != 303 || !strings.Contains(h.Get("Location"), "updated=1") {
			t.Fatalf("save: %d %s", s, h.Get("Location"))
		}
		if body := w.page("city_officer", fmt.Sprintf("/purchases/%d/due-diligence/%d", a.ID, w.orgs["vendor"].ID)); !strings.Contains(body, "Policy 2026") || !strings.Contains(body, "Art. 14") ||
			!strings.Contains(body, "carries version 2 of the company answers") {
			t.Error("the body does not see the update with the State part kept")
		}
		if s, _, _ := w.do("city_officer", "GET", "/supplier/due-diligence", nil); s != 403 {
			t.Errorf("a body reads a supplier's company page: %d", s)
		}
	})
}
