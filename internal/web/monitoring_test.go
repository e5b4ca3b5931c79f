package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// uploadCSV posts a measurement file as the city officer.
func (w *world) uploadCSV(p *model.Purchase, name, text string) (int, string) {
	w.t.Helper()
	s, body, _ := w.postFile("city_officer", fmt.Sprintf("/purchases/%d/monitoring/csv", p.ID), nil, "csv", name, []byte(text))
	return s, body
}

func TestMonitoringBreachOpensTaskAndCSVNeedsConfirmation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.purchase("Benefits portal")
		base := fmt.Sprintf("/purchases/%d", p.ID)
		mon := base + "/monitoring"

		// A catalogue indicator brings its unit, direction and threshold.
		w.post("city_officer", mon+"/indicators", url.Values{"catalog_id": {"IND-ON-TIME"}, "title": {""}, "target": {"95"}}, 303)
		if body := w.post("city_officer", mon+"/indicators", url.Values{"title": {"Calls answered"}, "unit": {"percent"}, "direction": {"higher"}, "threshold": {"150"}}, 422); !strings.Contains(body, "A percentage lies between 0 and 100.") || !strings.Contains(body, `value="150"`) {
			t.Error("refused indicator does not say why or loses the input")
		}
		w.post("city_officer", mon+"/indicators", url.Values{"title": {"<b>Calls answered</b>"}, "unit": {"percent"}, "direction": {"higher"}, "threshold": {"80"}}, 303)
		plan, _ := db.Indicators(ctx, p.ID)
		if len(plan) != 2 || plan[0].Unit != "percent" || plan[0].Threshold == nil || *plan[0].Threshold != 90 || !plan[0].ByGroup {
			t.Fatalf("plan: %+v", plan[0])
		}
		onTime := fmt.Sprint(plan[0].ID)

		// A value within the threshold: no task.
		w.post("city_officer", mon+"/measurements", url.Values{"indicator": {onTime}, "period": {"2026-08-01"}, "group": {"all"}, "value": {"93"}}, 303)
		if body := w.page("city_officer", base); strings.Contains(body, "Monitoring: ") {
			t.Error("a task was opened for a value within its threshold")
		}
		// A breach opens a task the officer sees on the purchase page.
		w.post("city_officer", mon+"/measurements", url.Values{"indicator": {onTime}, "period": {"2026-09-01"}, "group": {"older people"}, "value": {"71,5"}}, 303)
		body := w.page("city_officer", base)
		if !strings.Contains(body, "<ul class=\"plain tasks\"><li>Monitoring: Applications decided within the legal deadline, by group is 71.5 (threshold 90) for 2026-09-01, older people") {
			t.Fatalf("no task for the breach on the purchase page")
		}
		if !strings.Contains(body, "Beyond the threshold now:") {
			t.Error("panel does not show the breach")
		}
		w.post("city_officer", mon+"/measurements", url.Values{"indicator": {onTime}, "period": {"2026-09-01"}, "group": {"<script>alert(1)</script>"}, "value": {"95"}}, 303)
		body = w.page("city_officer", mon)
		if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;, 2026-09-01: 95") {
			t.Error("a group name is not escaped in the chart")
		}
		for _, want := range []string{"<svg class=\"chart\"", "71.5", "beyond the threshold", "&lt;b&gt;Calls answered&lt;/b&gt;", "Re-open the assessment"} {
			if !strings.Contains(body, want) {
				t.Errorf("monitoring page lacks %q", want)
			}
		}

		// A file with bad rows: each reported with its line, nothing saved
		// until confirmed, then only the good rows.
		csv := "indicator,period,group,value\n" +
			onTime + ",2026-10,older people,88\n" +
			"999,2026-10,,50\n" +
			"IND-ON-TIME,October,,50\n" +
			onTime + ",2026-10,nationals,abc\n" +
			onTime + ",2026-10,nationals,97\n"
		s, body := w.uploadCSV(p, "values.csv", csv)
		if s != 200 {
			t.Fatalf("upload: %d\n%.2000s", s, body)
		}
		for _, want := range []string{"Line 3: no indicator of this plan", "Line 4: the period is not a date", "Line 5: the value is not a number", "2 rows can be saved.", "3 rows have problems"} {
			if !strings.Contains(body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if ms, _ := db.Measurements(ctx, p.ID); len(ms) != 3 {
			t.Fatalf("saved before confirmation: %d", len(ms))
		}
		w.post("city_officer", mon+"/csv/confirm", url.Values{"csv": {csv}}, 303)
		if ms, _ := db.Measurements(ctx, p.ID); len(ms) != 5 {
			t.Errorf("after confirmation: %d measurements, want 5", len(ms))
		}
		if s, body := w.uploadCSV(p, "sheet.csv", "PK\x03\x04\x00\x00binary"); s != 422 || !strings.Contains(body, "not a CSV text file") {
			t.Errorf("binary upload: %d", s)
		}
		if s, body := w.uploadCSV(p, "x.csv", "a,b\n1,2\n"); s != 422 || !strings.Contains(body, "The first row must name the columns") {
			t.Errorf("bad header: %d", s)
		}

		// Every value comes back as a CSV in the upload's own format.
		s, csvOut, hdr := w.do("city_officer", "GET", mon+".csv", nil)
		if s != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csvOut, "indicator,period,group,value\n") {
			t.Fatalf("download: %d %q", s, csvOut)
		}
		if s, body := w.uploadCSV(p, "again.csv", csvOut); s != 200 || !strings.Contains(body, "5 rows can be saved.") || strings.Contains(body, "Rows with problems") {
			t.Errorf("the downloaded file does not upload again cleanly: %d\n%.2000s", s, body)
		}

		// Outcome counts by group: the four-fifths rule flags and opens a task.
		w.post("city_officer", mon+"/outcomes", url.Values{"o_period": {"2026-09-01"}, "o_group": {"nationals"}, "favourable": {"900"}, "total": {"1000"}}, 303)
		w.post("city_officer", mon+"/outcomes", url.Values{"o_period": {"2026-09-01"}, "o_group": {"non-nationals"}, "favourable": {"12"}, "total": {"10"}}, 422)
		w.post("city_officer", mon+"/outcomes", url.Values{"o_period": {"2026-09-01"}, "o_group": {"non-nationals"}, "favourable": {"60"}, "total": {"100"}}, 303)
		body = w.page("city_officer", mon)
		if !strings.Contains(body, "66.67%") || !strings.Contains(body, "under four fifths") {
			t.Errorf("disparity not shown:\n%s", body[strings.Index(body, `id="fairness"`):][:1500])
		}
		if body := w.page("city_officer", base); !strings.Contains(body, "Monitoring: favourable outcomes for non-nationals are 67% of the best-served group") {
			t.Error("no task for the disparity")
		}

		// An incident, with hostile text shown as text; a serious one opens a task.
		w.post("city_officer", mon+"/incidents", url.Values{"occurred_on": {"2026-09-12"}, "severity": {"high"}, "what": {`<img src=x onerror=alert(1)> portal down`}}, 303)
		body = w.page("city_officer", mon)
		if strings.Contains(body, "<img src=x") || !strings.Contains(body, "&lt;img src=x") {
			t.Error("incident text not escaped")
		}
		w.post("city_officer", mon+"/incidents", url.Values{"occurred_on": {"2999-01-01"}, "severity": {"low"}, "what": {"x"}}, 422)

		// Re-opening the assessment starts a draft and a task.
		w.post("city_officer", mon+"/reassess", url.Values{"reason": {"Older applicants wait too long."}}, 303)
		if body := w.page("city_officer", base); !strings.Contains(body, "Re-assess the risks: Older applicants wait too long.") {
			t.Error("no re-assessment task")
		}

		// Oversight reads, and sees the open signals in its workspace; the
		// supplier and other bodies do not.
		w.page("nhri_oversight", mon)
		if body := w.page("nhri_oversight", "/oversight"); !strings.Contains(body, "Monitoring: Applications decided within the legal deadline") ||
			!strings.Contains(body, "Re-assess the risks: Older applicants wait too long.") {
			t.Error("the oversight workspace does not show the monitoring signals")
		}
		if body := w.page("dpa_oversight", "/oversight"); strings.Contains(body, "Benefits portal") {
			t.Error("an oversight body without remit sees the signals")
		}
		for name, want := range map[string]int{"vendor_supplier": 403, "rival_supplier": 404, "city_viewer": 200} {
			if s, _, _ := w.do(name, "GET", mon, nil); s != want {
				t.Errorf("%s reads monitoring: %d, want %d", name, s, want)
			}
		}
	})
}
