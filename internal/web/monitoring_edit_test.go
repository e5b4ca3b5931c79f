package web_test

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// The plan can be changed after the fact: the officer changes an indicator
// from its own page, a refused change keeps what was typed and says why, a
// tighter threshold that puts the latest value beyond it opens a task the
// officer sees on the purchase page, and the history says what happened.
func TestMonitoringIndicatorChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		other := w.purchase("Parking permits")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		mon := base + "/monitoring"

		w.post("city_officer", mon+"/indicators", url.Values{"catalog_id": {"IND-UPTIME"}}, 303)
		w.post("city_officer", fmt.Sprintf("/purchases/%d/monitoring/indicators", other.ID), url.Values{"title": {"Elsewhere"}, "unit": {"count"}, "direction": {"lower"}}, 303)
		plan, _ := db.Indicators(ctx, p.ID)
		if len(plan) != 1 || plan[0].Threshold == nil {
			t.Fatalf("plan: %+v", plan)
		}
		in := plan[0]
		edit := fmt.Sprintf("%s/indicators/%d", mon, in.ID)
		w.post("city_officer", mon+"/measurements", url.Values{"indicator": {fmt.Sprint(in.ID)}, "period": {"2026-09-01"}, "value": {"99.2"}}, 303)
		if body := w.page("city_officer", base); strings.Contains(body, "Monitoring: ") {
			t.Fatal("a task before any breach")
		}

		// The monitoring page links to the change page, which shows the indicator as it is.
		if body := w.page("city_officer", mon); !strings.Contains(body, `href="`+edit+`"`) {
			t.Error("no link to change the indicator")
		}
		if body := w.page("city_viewer", mon); strings.Contains(body, `href="`+edit+`"`) {
			t.Error("a viewer is offered the change link")
		}
		body := w.page("city_officer", edit)
		for _, want := range []string{`value="` + in.Title + `"`, fmt.Sprintf(`value="%v"`, *in.Threshold), "<code>IND-UPTIME</code>", "From the catalogue: measured in percent, higher is better."} {
			if !strings.Contains(body, want) {
				t.Errorf("change page lacks %q", want)
			}
		}
		for name, want := range map[string]int{"city_viewer": 403, "nhri_oversight": 403, "vendor_supplier": 403, "rival_supplier": 404} {
			if s, _, _ := w.do(name, "GET", edit, nil); s != want {
				t.Errorf("%s opens the change page: %d, want %d", name, s, want)
			}
		}

		// The catalogue's unit and direction are not offered, and are kept
		// whatever is sent.
		if strings.Contains(body, `name="direction"`) || strings.Contains(body, `name="unit"`) {
			t.Error("the change page offers the catalogue indicator's unit or direction")
		}
		w.post("city_officer", edit, url.Values{"title": {in.Title}, "unit": {"count"}, "direction": {"lower"}, "threshold": {fmt.Sprint(*in.Threshold)}}, 303)
		if got, _ := db.Indicator(ctx, p.ID, in.ID); got.Unit != "percent" || got.Direction != "higher" {
			t.Errorf("a catalogue indicator's terms changed: %+v", got)
		}

		// Refused: a percentage over 100; what was typed stays.
		body = w.post("city_officer", edit, url.Values{"title": {"Portal up"}, "unit": {"percent"}, "direction": {"higher"}, "threshold": {"150"}}, 422)
		if !strings.Contains(body, "A percentage lies between 0 and 100.") || !strings.Contains(body, `value="Portal up"`) || !strings.Contains(body, `value="150"`) || !strings.Contains(body, `href="#f-threshold"`) {
			t.Errorf("refused change does not say why or loses the input:\n%.3000s", body)
		}
		// Another purchase's indicator is not reachable through this one.
		others, _ := db.Indicators(ctx, other.ID)
		if s, _, _ := w.do("city_officer", "POST", fmt.Sprintf("%s/indicators/%d", mon, others[0].ID), url.Values{"title": {"x"}, "unit": {"count"}, "direction": {"lower"}}); s != 404 {
			t.Errorf("another purchase's indicator: %d", s)
		}
		if s, _, _ := w.do("city_officer", "GET", mon+"/indicators/abc", nil); s != 404 {
			t.Errorf("not a number: %d", s)
		}

		// A tighter threshold puts September's 99.2 beyond 99.5: a task.
		w.post("city_officer", edit, url.Values{"title": {"Portal up"}, "unit": {"percent"}, "direction": {"higher"}, "target": {"99.9"}, "threshold": {"99.5"}}, 303)
		body = w.page("city_officer", base)
		if !strings.Contains(body, "Monitoring: Portal up is 99.2 (threshold 99.5) for 2026-09-01") {
			t.Error("no task after a tighter threshold")
		}
		if !strings.Contains(body, "Changed a monitoring indicator.") || !strings.Contains(body, "Entered monitoring values.") {
			t.Error("the history does not name the monitoring changes")
		}
		body = w.page("city_officer", mon)
		if !strings.Contains(body, "Portal up") || !strings.Contains(body, "target 99.9") || !strings.Contains(body, "threshold 99.5") || !strings.Contains(body, "beyond the threshold") {
			t.Error("the monitoring page does not show the changed indicator")
		}
		if got, _ := db.Indicator(ctx, p.ID, in.ID); got.CatalogID != "IND-UPTIME" {
			t.Errorf("catalogue entry lost: %+v", got)
		}
	})
}

// A supplier invited to the purchase reads nothing of its monitoring: no
// panel on the purchase page, no monitoring page, no values file.
func TestMonitoringHiddenFromSuppliers(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Benefits portal")
	base := fmt.Sprintf("/purchases/%d", p.ID)
	w.post("city_officer", base+"/monitoring/indicators", url.Values{"title": {"Secret indicator"}, "unit": {"count"}, "direction": {"lower"}, "threshold": {"1"}}, 303)
	plan, _ := db.Indicators(ctx, p.ID)
	w.post("city_officer", base+"/monitoring/measurements", url.Values{"indicator": {fmt.Sprint(plan[0].ID)}, "period": {"2026-09-01"}, "value": {"5"}}, 303)
	w.post("city_officer", base+"/monitoring/incidents", url.Values{"occurred_on": {"2026-09-02"}, "severity": {"low"}, "what": {"Secret incident"}}, 303)

	if body := w.page("city_officer", base); !strings.Contains(body, "Secret indicator") || !strings.Contains(body, base+"/monitoring") {
		t.Fatal("the officer does not see the monitoring panel")
	}
	body := w.page("vendor_supplier", base)
	for _, leak := range []string{"Secret indicator", base + "/monitoring", "Monitoring and incidents", "Monitoring: Secret"} {
		if strings.Contains(body, leak) {
			t.Errorf("the supplier's purchase page shows %q", leak)
		}
	}
	for _, path := range []string{"/monitoring", "/monitoring.csv", fmt.Sprintf("/monitoring/indicators/%d", plan[0].ID)} {
		if s, body, _ := w.do("vendor_supplier", "GET", base+path, nil); s != 403 || strings.Contains(body, "Secret") {
			t.Errorf("supplier reads %s: %d", path, s)
		}
	}
	if body := w.page("vendor_supplier", "/dashboard"); strings.Contains(body, "Secret indicator") {
		t.Error("the supplier's dashboard shows the breach task")
	}
}

// Hostile strings typed anywhere in monitoring (indicator title, group of a
// value, group of outcome counts, incident fields, a CSV file's group) come
// back as text on the monitoring page, the purchase page and the CSV
// check page, and the values file neutralises formula cells.
func TestMonitoringShowsHostileStringsAsText(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Hostile monitoring")
	base := fmt.Sprintf("/purchases/%d", p.ID)
	mon := base + "/monitoring"
	raw := []string{"<script>alert", "<img src=x", "<svg/onload", `" autofocus onfocus`}
	check := func(name, where, body, value string) {
		t.Helper()
		for _, bad := range raw {
			if strings.Contains(value, strings.TrimPrefix(bad, `" `)) && strings.Contains(body, bad) {
				t.Errorf("%s: %s contains raw %q", name, where, bad)
			}
		}
	}
	w.post("city_officer", mon+"/indicators", url.Values{"title": {"Waiting days"}, "unit": {"days"}, "direction": {"lower"}, "threshold": {"10"}}, 303)
	plan, _ := db.Indicators(ctx, p.ID)
	ref := fmt.Sprint(plan[0].ID)
	accepted := 0
	for i, h := range hostileStrings(t) {
		period := fmt.Sprintf("20%02d-01-01", 10+i) // a period of its own for each string
		s, _, _ := w.do("city_officer", "POST", mon+"/indicators", url.Values{"title": {"Ind " + h.Value}, "unit": {"count"}, "direction": {"lower"}, "threshold": {"3"}})
		if s != 303 && s != 422 {
			t.Errorf("%s: indicator status %d", h.Name, s)
		}
		s, _, _ = w.do("city_officer", "POST", mon+"/measurements", url.Values{"indicator": {ref}, "period": {period}, "group": {h.Value}, "value": {"12"}})
		if s == 303 {
			accepted++
		} else if s != 422 {
			t.Errorf("%s: value status %d", h.Name, s)
		}
		if s, _, _ := w.do("city_officer", "POST", mon+"/outcomes", url.Values{"o_period": {period}, "o_group": {h.Value}, "favourable": {"1"}, "total": {"2"}}); s != 303 && s != 422 {
			t.Errorf("%s: outcomes status %d", h.Name, s)
		}
		if s, _, _ := w.do("city_officer", "POST", mon+"/incidents", url.Values{"occurred_on": {"2026-01-01"}, "severity": {"high"},
			"what": {"What " + h.Value}, "affected": {h.Value}, "action": {h.Value}, "reported_to": {h.Value}}); s != 303 && s != 422 {
			t.Errorf("%s: incident status %d", h.Name, s)
		}
		// The same string as a group in a file: the check page shows it as text.
		var b strings.Builder
		cw := csv.NewWriter(&b)
		cw.Write([]string{"indicator", "period", "group", "value"})
		cw.Write([]string{ref, period, h.Value, "1"})
		cw.Write([]string{h.Value, period, "", "1"}) // an unknown indicator: reported with its text
		cw.Flush()
		if s, body := w.uploadCSV(p, "values.csv", b.String()); s == 200 {
			check(h.Name, "CSV check page", body, h.Value)
		} else if s != 422 {
			t.Errorf("%s: upload status %d", h.Name, s)
		}
	}
	if accepted < 10 {
		t.Fatalf("only %d hostile groups accepted: the test proves little", accepted)
	}
	all := strings.Join(raw, "")
	check("all", "monitoring page", w.page("city_officer", mon), all)
	check("all", "purchase page", w.page("city_officer", base), all)
	check("all", "oversight's monitoring page", w.page("nhri_oversight", mon), all)
	check("all", "oversight workspace", w.page("nhri_oversight", "/oversight"), all)
	for _, in := range plan {
		check("all", "change page", w.page("city_officer", fmt.Sprintf("%s/indicators/%d", mon, in.ID)), all)
	}

	// The values file: no cell starts a formula.
	s, out, _ := w.do("city_officer", "GET", mon+".csv", nil)
	if s != 200 {
		t.Fatalf("download: %d", s)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("download is not CSV: %v", err)
	}
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
				t.Errorf("formula cell in the download: %q", cell)
			}
		}
	}
}

// A period with a single group, or where nobody got the favourable
// outcome, has no ratio: the table says so instead of showing 0%.
func TestMonitoringDisparityWithoutRatio(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newWorld(t, db)
	p := w.purchase("Border gates")
	mon := fmt.Sprintf("/purchases/%d/monitoring", p.ID)
	w.post("city_officer", mon+"/outcomes", url.Values{"o_period": {"2026-08-01"}, "o_group": {"adults"}, "favourable": {"50"}, "total": {"100"}}, 303)
	w.post("city_officer", mon+"/outcomes", url.Values{"o_period": {"2026-09-01"}, "o_group": {"adults"}, "favourable": {"0"}, "total": {"100"}}, 303)
	w.post("city_officer", mon+"/outcomes", url.Values{"o_period": {"2026-09-01"}, "o_group": {"older people"}, "favourable": {"0"}, "total": {"40"}}, 303)
	body := w.page("city_officer", mon)
	if n := strings.Count(body, "no ratio: fewer than two groups with decisions, or none favoured"); n != 3 {
		t.Errorf("%d rows say there is no ratio, want 3", n)
	}
	if strings.Contains(body, "<strong>(under four fifths)</strong>") || strings.Contains(body, "lowest ratio") {
		t.Error("a period without a ratio is flagged or given one")
	}
	if body := w.page("city_officer", fmt.Sprintf("/purchases/%d", p.ID)); strings.Contains(body, "Monitoring: favourable outcomes") {
		t.Error("a task for a period without a ratio")
	}
}
