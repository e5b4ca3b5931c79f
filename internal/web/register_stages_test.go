package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A published entry says who the contract went to, which safeguards it
// signed, its amendments and the monitoring results, on the page and in
// the per-entry record.
func TestPublicEntryShowsContractSafeguardsAndMonitoring(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		w.screen(p, portal)
		w.decide(p, url.Values{"item": {"CL-EXIT"}, "decision": {"accepted"}}, 303)
		w.decide(p, url.Values{"item": {"CL-AUDIT"}, "decision": {"accepted"}}, 303)
		form := contractForm()
		form.Set("suppliers", "Vendor <i>Lda</i>")
		w.post("city_officer", base+"/contract", form, 303)
		w.post("city_officer", base+"/contract/safeguards", url.Values{"sg_CL-EXIT": {"signed"}, "sg_CL-AUDIT": {"dropped"}, "note_CL-AUDIT": {"Refused by the supplier."}}, 303)
		w.post("city_officer", base+"/contract/amendments", url.Values{"made_on": {"2026-03-01"}, "summary": {"Adds the tax register"}, "reason": {"Finance asked"}, "widens_data": {"yes"}}, 303)
		w.post("city_officer", base+"/monitoring/indicators", url.Values{"catalog_id": {"IND-UPTIME"}}, 303)
		plan, _ := db.Indicators(ctx, p.ID)
		w.post("city_officer", base+"/monitoring/measurements", url.Values{"indicator": {fmt.Sprint(plan[0].ID)}, "period": {"2026-09-01"}, "value": {"97.5"}}, 303)
		w.post("city_officer", base+"/publication", url.Values{"publish": {"yes"}, "summary": {"An online portal for benefit applications."}}, 303)

		_, body, _ := w.do("", "GET", fmt.Sprintf("/register/%d", p.ID), nil)
		for _, want := range []string{"Vendor &lt;i&gt;Lda&lt;/i&gt;", "Safeguards in the signed contract", "1 safeguard chosen for the tender is not in the signed contract.",
			"Adds the tax register", "widens the contract", "Service availability (uptime)", "97.5", "beyond the threshold"} {
			if !strings.Contains(body, want) {
				t.Errorf("public entry lacks %q", want)
			}
		}
		if strings.Contains(body, "Refused by the supplier.") {
			t.Error("the body's negotiation note is public")
		}
		_, body, _ = w.do("", "GET", fmt.Sprintf("/register/%d/record.json", p.ID), nil)
		var rec struct {
			Contract struct {
				Suppliers        []string
				SafeguardsSigned []struct{ ID string } `json:"safeguards_signed"`
				NotSigned        int                   `json:"safeguards_not_signed"`
				Amendments       []struct {
					WidensData    bool  `json:"widens_data_use"`
					ScreenedAgain *bool `json:"screened_again"`
				}
			}
			Monitoring struct {
				Indicators []struct {
					Breached bool `json:"beyond_threshold"`
				}
			}
		}
		if err := json.Unmarshal([]byte(body), &rec); err != nil {
			t.Fatal(err)
		}
		if len(rec.Contract.Suppliers) != 1 || len(rec.Contract.SafeguardsSigned) != 1 || rec.Contract.SafeguardsSigned[0].ID != "CL-EXIT" || rec.Contract.NotSigned != 1 ||
			len(rec.Contract.Amendments) != 1 || !rec.Contract.Amendments[0].WidensData || len(rec.Monitoring.Indicators) != 1 || !rec.Monitoring.Indicators[0].Breached {
			t.Errorf("record: %+v\n%s", rec, body)
		}
		if a := rec.Contract.Amendments[0]; a.ScreenedAgain == nil || *a.ScreenedAgain {
			t.Errorf("the record says a widening amendment never screened again was: %+v", a)
		}

		// The widening amendment was not followed by a screening: the entry
		// must not say it was. Once screened again, it says so.
		_, body, _ = w.do("", "GET", fmt.Sprintf("/register/%d", p.ID), nil)
		if !strings.Contains(body, "(widens the contract; not screened again yet)") || strings.Contains(body, "(widens the contract; screened again)") {
			t.Error("the entry claims a screening that did not happen")
		}
		w.screen(p, portal)
		_, body, _ = w.do("", "GET", fmt.Sprintf("/register/%d", p.ID), nil)
		if !strings.Contains(body, "(widens the contract; screened again)") {
			t.Error("the entry does not say the amendment was screened again")
		}
	})
}
