package store_test

import (
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// Indicators saved from the catalogue with the form's defaults instead of
// the catalogue's terms (as older versions did) are put right at start:
// the error rate becomes lower-is-better and by group, the task opened for
// a good value closes with the reason and the bad value gets one, each
// fix is audited, a second run finds nothing, an entry the catalogue no
// longer has is left alone, and a row that cannot be fixed is reported.
func TestRepairIndicators(t *testing.T) {
	items := catalogueIndicators(t)
	terms := func(id string) (monitoring.Terms, bool) {
		for _, it := range items {
			if it.ID == id {
				return monitoring.Terms{Unit: it.Unit, Direction: it.Direction, ByGroup: it.ByGroup}, true
			}
		}
		return monitoring.Terms{}, false
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		a := store.ActorOf(off)
		p := storetest.Purchase(t, db, off, "Benefit fraud scoring")
		f := func(v float64) *float64 { return &v }
		wrong := &monitoring.Indicator{CatalogID: "IND-ERROR", Title: "Error rate", Unit: "percent", Direction: "higher", Threshold: f(5)}
		gone := &monitoring.Indicator{CatalogID: "IND-RETIRED", Title: "Retired", Unit: "count", Direction: "higher", Threshold: f(1)}
		stuck := &monitoring.Indicator{CatalogID: "IND-UPTIME", Title: "Uptime in minutes", Unit: "count", Direction: "higher", Threshold: f(150)}
		right := &monitoring.Indicator{CatalogID: "IND-A11Y", Title: "Accessibility", Unit: "count", Direction: "lower", Threshold: f(0)}
		for _, in := range []*monitoring.Indicator{wrong, gone, stuck, right} {
			if err := db.AddIndicator(ctx, a, p, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.RecordMeasurements(ctx, a, p, "form", []monitoring.Measurement{
			{IndicatorID: wrong.ID, Period: day(t, "2026-09-01"), Group: "Women", Value: 3},
			{IndicatorID: wrong.ID, Period: day(t, "2026-09-01"), Group: "Men", Value: 12},
		}); err != nil {
			t.Fatal(err)
		}
		if ts := tasksFrom(t, db, p, "indicator:"); len(ts) != 1 || !strings.Contains(ts[0].Title, "is 3 (threshold 5)") {
			t.Fatalf("before the repair: %+v", ts)
		}

		fixes, err := db.RepairIndicators(ctx, terms)
		if err != nil {
			t.Fatal(err)
		}
		if len(fixes) != 2 || fixes[0].IndicatorID != wrong.ID || fixes[0].Problem != "" || fixes[0].Now.Direction != "lower" || !fixes[0].Now.ByGroup ||
			fixes[1].IndicatorID != stuck.ID || fixes[1].Problem == "" {
			t.Fatalf("fixes: %+v", fixes)
		}
		got, _ := db.Indicator(ctx, p.ID, wrong.ID)
		if got.Direction != "lower" || !got.ByGroup || got.Unit != "percent" {
			t.Fatalf("after the repair: %+v", got)
		}
		if got, _ := db.Indicator(ctx, p.ID, stuck.ID); got.Unit != "count" {
			t.Errorf("a row that cannot be fixed was changed: %+v", got)
		}
		ts := tasksFrom(t, db, p, "indicator:")
		if len(ts) != 1 || !strings.Contains(ts[0].Title, "is 12 (threshold 5) for 2026-09-01, Men") {
			t.Fatalf("tasks after the repair: %+v", ts)
		}
		all, _ := db.MonitoringTasks(ctx, p.ID, 10)
		closed := false
		for _, x := range all {
			closed = closed || (x.Done && strings.Contains(x.Title, "is 3 (threshold 5)") && strings.Contains(x.Note, "now lower is better, was higher"))
		}
		if !closed {
			t.Errorf("the task for 3%% was not closed with its reason: %+v", all)
		}
		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 50)
		audited := false
		for _, e := range entries {
			audited = audited || (e.Action == "indicator_changed" && strings.Contains(e.Detail, "corrected to the catalogue entry IND-ERROR"))
		}
		if !audited {
			t.Error("the correction is not in the purchase's history with its reason")
		}
		if again, err := db.RepairIndicators(ctx, terms); err != nil || len(again) != 1 || again[0].IndicatorID != stuck.ID {
			t.Errorf("second run: %+v %v", again, err)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
