package web_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/staterequest"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// requestForm is a complete request form with the counterpart given for
// either side.
func (w *world) requestForm(ref string, made model.Date) url.Values {
	return url.Values{"authority_id": {fmt.Sprint(w.orgs["city"].ID)}, "company_id": {fmt.Sprint(w.orgs["vendor"].ID)},
		"authority_reference": {ref}, "request_date": {made.String()}, "legal_basis": {"Code of Criminal Procedure, art. 187"},
		"legal_process": {"court_order"}, "request_type": {"user_data"}, "urgency": {"routine"}, "response": {"partly"},
		"users_notified": {"prohibited"}, "accounts": {"2"}, "necessity": {"Only subscriber identity was needed."}}
}

// A company records a request through the form, the authority its own
// side with another scope; the oversight body sees both and the mismatch;
// a form with a phone number comes back with the field named and what was
// typed kept.
func TestStateRequestsJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		made := model.DateOf(time.Now()).AddDays(-5)
		form := w.requestForm("PSP/2026/0112", made)
		form.Set("escalation", "We asked the court to narrow it; call +351 912 345 678")
		body := w.post("vendor_supplier", "/requests", form, 422)
		if !strings.Contains(body, "looks like a phone or subscriber number") || !strings.Contains(body, "PSP/2026/0112") || !strings.Contains(body, `href="#f-escalation"`) {
			t.Fatalf("the refused form does not name the field or keep what was typed\n%.3000s", body)
		}
		form.Set("escalation", "We asked the court to narrow it to subscriber identity.")
		w.post("vendor_supplier", "/requests", form, 303)
		list := w.page("vendor_supplier", "/requests")
		if !strings.Contains(list, "PSP/2026/0112") || !strings.Contains(list, "Users&#39; data") {
			t.Fatalf("the company's list\n%.3000s", list)
		}
		side := w.requestForm("psp 2026 0112", made.AddDays(-1))
		side.Set("accounts", "5")
		w.post("city_officer", "/requests", side, 303)
		if l := w.page("city_officer", "/requests"); strings.Contains(l, "Records that do not match") {
			t.Error("the authority sees the oversight view")
		}
		over := w.page("nhri_oversight", "/requests")
		if !strings.Contains(over, "Records that do not match") || !strings.Contains(over, "both recorded it differently: Accounts, lines or devices") {
			t.Fatalf("oversight's mismatches\n%.4000s", over)
		}
		if strings.Count(over, `href="/requests/`) < 4 {
			t.Errorf("oversight does not link both sides' records")
		}
		if dpa := w.page("dpa_oversight", "/requests"); strings.Contains(dpa, "PSP") {
			t.Error("an oversight body without the city in its remit reads its requests")
		}
	})
}

// Every hostile string as the text of a request record comes back as
// text on the record's page, or is refused with a field named.
func TestStateRequestHostileStrings(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	made := model.DateOf(time.Now()).AddDays(-2)
	accepted := 0
	for i, h := range hostileStrings(t) {
		form := w.requestForm(fmt.Sprintf("H-%d", i), made)
		for _, f := range []string{"legal_basis", "area", "legality", "necessity", "proportionality", "escalation", "outcome"} {
			form.Set(f, "Text "+h.Value)
		}
		s, body, hdr := w.do("vendor_supplier", "POST", "/requests", form)
		if s == 422 {
			if !strings.Contains(body, "errsummary") {
				t.Errorf("%s: refused without saying why", h.Name)
			}
			continue
		}
		if s != 303 {
			t.Fatalf("%s: status %d\n%.1000s", h.Name, s, body)
		}
		accepted++
		page := w.page("vendor_supplier", strings.TrimSuffix(hdr.Get("Location"), "?done=saved"))
		for _, raw := range []string{"<script>alert", "<img src=x", "<svg/onload", "<iframe"} {
			if strings.Contains(h.Value, raw) && strings.Contains(page, raw) {
				t.Errorf("%s: the record page contains raw %q", h.Name, raw)
			}
		}
	}
	if accepted < 10 {
		t.Fatalf("only %d hostile records accepted", accepted)
	}
}

// The published report shows small counts as ranges on the page, in the
// CSV and in the JSON, in any language; two companies whose requests
// differ only in how many (1 against 3) publish the same figures.
func TestTransparencyReportSuppressed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		last := staterequest.PeriodOf(model.DateOf(time.Now())).Prev()
		for i, who := range []string{"vendor_supplier", "rival_supplier", "rival_supplier", "rival_supplier"} {
			w.post(who, "/requests", w.requestForm(fmt.Sprint("R-", i), last.Start().AddDays(10+i)), 303)
		}
		// The current half-year cannot be published yet.
		w.post("vendor_supplier", "/requests/reports", url.Values{"period": {last.Next().String()}}, 422)
		preview := w.page("vendor_supplier", "/requests/reports?period="+last.String())
		if !strings.Contains(preview, "1–4") || !strings.Contains(preview, "Publish the report") {
			t.Fatalf("preview\n%.3000s", preview)
		}
		publish := func(who string) string {
			_, _, hdr := w.do(who, "POST", "/requests/reports", url.Values{"period": {last.String()}, "narrative": {"We challenged one order."}})
			loc := hdr.Get("Location")
			if !strings.HasPrefix(loc, "/transparency/") {
				t.Fatalf("%s publishing: %q", who, loc)
			}
			return strings.TrimSuffix(loc, "?done=published")
		}
		one, three := publish("vendor_supplier"), publish("rival_supplier")
		w.post("vendor_supplier", "/requests/reports", url.Values{"period": {last.String()}}, 422)

		figures := func(path string) string {
			_, body, _ := w.do("", "GET", path+"/report.json", nil)
			var rep struct {
				Figures json.RawMessage `json:"figures"`
				Method  string          `json:"method"`
			}
			if err := json.Unmarshal([]byte(body), &rep); err != nil || !strings.Contains(rep.Method, "fewer than 5") {
				t.Fatalf("report JSON: %v\n%s", err, body)
			}
			return string(rep.Figures)
		}
		if a, b := figures(one), figures(three); a != b {
			t.Fatalf("1 request and 3 requests publish different figures:\n%s\n%s", a, b)
		}
		page := w.page("", three)
		if !strings.Contains(page, "1–4") || !strings.Contains(page, "We challenged one order.") || !strings.Contains(page, "RDR-P11A") {
			t.Fatalf("public report page\n%.4000s", page)
		}
		if regexp.MustCompile(`<td class="num">3</td>`).MatchString(page) {
			t.Error("the page shows the small count 3")
		}
		_, raw, hdr := w.do("", "GET", three+"/report.csv", nil)
		if !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV content type %q", hdr.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
		if err != nil || len(rows) < 3 {
			t.Fatalf("CSV: %v %d rows", err, len(rows))
		}
		for _, r := range rows[1:] {
			if r[5] == r[6] && r[5] != "0" {
				if n := r[5]; n == "1" || n == "2" || n == "3" || n == "4" {
					t.Errorf("CSV row shows a small count exactly: %v", r)
				}
			}
		}
		if _, pt, _ := w.doLang("pt", three); !strings.Contains(pt, "Como estes números foram obtidos") {
			t.Error("the report is not in Portuguese for a Portuguese reader")
		}
		list := w.page("", "/transparency")
		if !strings.Contains(list, "Org vendor") || !strings.Contains(list, last.String()) {
			t.Errorf("public list\n%.2000s", list)
		}
	})
}

// A relationship's firewall: the body writes a rule, the company party to
// it reports an incident, which opens a task oversight sees; a rule that
// bars nothing is refused with what was typed kept.
func TestFirewallJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Contact-tracing app")
		path := fmt.Sprintf("/purchases/%d/firewall", p.ID)
		body := w.post("city_officer", path+"/rules", url.Values{"data": {"Proximity keys <b>x</b>"}}, 422)
		if !strings.Contains(body, "Say what the data may not be used for") || !strings.Contains(body, "Proximity keys &lt;b&gt;x&lt;/b&gt;") {
			t.Fatalf("refused rule\n%.3000s", body)
		}
		w.post("city_officer", path+"/rules", url.Values{"data": {"Proximity keys"}, "barred_uses": {"Policing"}, "technical": {"Keys stay on phones"}}, 303)
		today := model.DateOf(time.Now())
		w.post("vendor_supplier", path+"/incidents", url.Values{"occurred_on": {today.AddDays(-3).String()}, "found_on": {today.AddDays(-1).String()},
			"barrier": {"technical"}, "what": {"Crash reports carried device identifiers"}, "people": {"3,400"}}, 303)
		page := w.page("vendor_supplier", path)
		if !strings.Contains(page, "Crash reports carried device identifiers") || !strings.Contains(page, "task open") || strings.Contains(page, "see the task") {
			t.Fatalf("the supplier's firewall page\n%.4000s", page)
		}
		if o := w.page("nhri_oversight", "/oversight"); !strings.Contains(o, "Firewall breached: Crash reports carried device identifiers") {
			t.Errorf("oversight's signals do not show the incident\n%.3000s", o)
		}
		if pp := w.page("city_officer", fmt.Sprintf("/purchases/%d", p.ID)); !strings.Contains(pp, "Firewall breached") || !strings.Contains(pp, path) {
			t.Error("the purchase page does not show the task or link the firewall")
		}
		if s, _, _ := w.do("nhri_oversight", "POST", path+"/incidents", url.Values{"what": {"x"}}); s != 403 {
			t.Errorf("oversight reports an incident: %d", s)
		}
	})
}

// A licence: the kind is set on the purchase form, the screening takes it
// from the record, the requirement of its terms is computed from the
// relationship page, and the register entry and its record show kind and
// terms; a kind changed after screening holds the purchase until it is
// screened again.
func TestLicenceRelationship(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Mobile network licence")
		form := url.Values{"title": {p.Title}, "relationship_kind": {"licence"}, "sector": {"other"}, "need": {"Coverage"}, "purpose": {"A licence"},
			"legal_basis": {"Electronic Communications Law"}, "affected_people": {"Subscribers"}, "version": {"1"}}
		w.post("city_officer", fmt.Sprintf("/purchases/%d", p.ID), form, 303)
		screening := w.screen(p, portal)
		if !strings.Contains(screening, "A licence or concession the State grants the company</strong>") || !strings.Contains(screening, "from the purchase record") {
			i := strings.Index(screening, "q-relationship")
			t.Fatalf("the screening does not show the kind from the record\n%.1500s", screening[max(i, 0):])
		}
		if k, _, _ := db.ScreenedKind(ctx, p.ID); k != "licence" {
			t.Fatalf("screened as %q", k)
		}
		req := w.page("city_officer", fmt.Sprintf("/purchases/%d/requirements", p.ID))
		if !strings.Contains(req, "NX-LICENCE-TERMS") || !strings.Contains(req, "not all written on its relationship page") {
			t.Fatalf("requirements page\n%.3000s", req)
		}
		rel := fmt.Sprintf("/purchases/%d/relationship", p.ID)
		if page := w.page("vendor_supplier", rel); !strings.Contains(page, "Still to write for this kind") || strings.Contains(page, `name="conditions"`) {
			t.Error("the company reads the terms but has no form")
		}
		w.post("city_officer", rel, url.Values{"conditions": {"Coverage of 95%"}, "authority_powers": {"Inspections and fines"}, "rev": {"0"}}, 303)
		w.post("city_officer", rel, url.Values{"conditions": {"Stale"}, "rev": {"0"}}, 409)
		if req := w.page("city_officer", fmt.Sprintf("/purchases/%d/requirements", p.ID)); !strings.Contains(req, "are written on its relationship page") {
			t.Error("the terms requirement is not met once the terms are written")
		}
		w.post("city_officer", fmt.Sprintf("/purchases/%d/publication", p.ID), url.Values{"publish": {"yes"}, "summary": {"A licence"}}, 303)
		entry := w.page("", fmt.Sprintf("/register/%d", p.ID))
		if !strings.Contains(entry, "Licence or concession") || !strings.Contains(entry, "Inspections and fines") {
			t.Errorf("register entry\n%.3000s", entry)
		}
		_, raw, _ := w.do("", "GET", fmt.Sprintf("/register/%d/record.json", p.ID), nil)
		if !strings.Contains(raw, `"relationship_kind": "licence"`) || !strings.Contains(raw, `"authority_powers": "Inspections and fines"`) {
			t.Errorf("register record\n%s", raw)
		}
		// Changed to a partnership after screening: the gate holds it.
		cur, _, _ := db.Purchase(ctx, w.users["city_officer"], p.ID)
		form.Set("relationship_kind", "partnership")
		form.Set("version", fmt.Sprint(cur.Version))
		w.post("city_officer", fmt.Sprintf("/purchases/%d", p.ID), form, 303)
		tr := w.page("city_officer", fmt.Sprintf("/purchases/%d/transition?to=market_engagement", p.ID))
		if !strings.Contains(tr, "saved for another kind of relationship") {
			t.Errorf("the transition page does not ask for a new screening\n%.4000s", tr)
		}
	})
}

// The public register of emergency measures shows a published measure
// past its sunset, and counts the unpublished ones.
func TestEmergencyRegisterPage(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.pastSunset("Emergency measure")
	hidden := w.pastSunset("Hidden measure")
	w.post("city_officer", fmt.Sprintf("/purchases/%d/publication", hidden.ID), url.Values{"publish": {"no"}}, 303)
	w.post("city_officer", fmt.Sprintf("/purchases/%d/publication", p.ID), url.Values{"publish": {"yes"}, "summary": {"An emergency app"}}, 303)
	page := w.page("", "/register/emergency")
	if !strings.Contains(page, "Emergency measure") || !strings.Contains(page, "Past its sunset and not wound down") ||
		strings.Contains(page, "Hidden measure") || !strings.Contains(page, "1 measure") {
		t.Fatalf("emergency register\n%.4000s", page)
	}
	_, raw, _ := w.do("", "GET", "/register/emergency.json", nil)
	if !strings.Contains(raw, `"past_sunset": true`) || !strings.Contains(raw, `"legal_act"`) {
		t.Errorf("emergency register JSON\n%s", raw)
	}
}
