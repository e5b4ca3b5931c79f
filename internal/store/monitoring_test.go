package store_test

import (
	"strings"
	"testing"

	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

func day(t *testing.T, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func tasksFrom(t *testing.T, db *store.DB, p *model.Purchase, prefix string) []store.Task {
	t.Helper()
	all, err := db.PurchaseTasks(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Task
	for _, x := range all {
		if strings.HasPrefix(x.Source, prefix) {
			out = append(out, x)
		}
	}
	return out
}

// A plan's values: a later value for the same period and group replaces
// the earlier one; a value beyond the threshold opens one task however
// often the indicator is breached again; values for another purchase's
// indicator are refused; everything is in the audit trail.
func TestMonitoringPlanValuesAndBreaches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		a := store.ActorOf(off)
		p := storetest.Purchase(t, db, off, "Benefits portal")
		other := storetest.Purchase(t, db, off, "Parking permits")
		f := func(v float64) *float64 { return &v }

		// Validation: a percentage out of range, an unknown unit, no title.
		for _, bad := range []*monitoring.Indicator{
			{Title: "Uptime", Unit: "percent", Direction: "higher", Threshold: f(101)},
			{Title: "Uptime", Unit: "furlongs", Direction: "higher"},
			{Title: "  ", Unit: "count", Direction: "lower"},
			{Title: "Uptime", Unit: "count", Direction: "sideways"},
		} {
			if err := db.AddIndicator(ctx, a, p, bad); model.ErrorCode(err) != model.EInvalid {
				t.Errorf("%+v accepted: %v", bad, err)
			}
		}
		onTime := &monitoring.Indicator{CatalogID: "IND-ON-TIME", Title: "  Decided on time  ", Unit: "percent", Direction: "higher", Target: f(95), Threshold: f(90), ByGroup: true, Mitigation: "M1"}
		errors := &monitoring.Indicator{Title: "Errors", Unit: "count", Direction: "lower", Threshold: f(10)}
		for _, in := range []*monitoring.Indicator{onTime, errors} {
			if err := db.AddIndicator(ctx, a, p, in); err != nil {
				t.Fatal(err)
			}
		}
		elsewhere := &monitoring.Indicator{Title: "Elsewhere", Unit: "count", Direction: "lower"}
		if err := db.AddIndicator(ctx, a, other, elsewhere); err != nil {
			t.Fatal(err)
		}
		plan, err := db.Indicators(ctx, p.ID)
		if err != nil || len(plan) != 2 {
			t.Fatalf("plan: %+v %v", plan, err)
		}
		if got := plan[0]; got.Title != "Decided on time" || *got.Target != 95 || *got.Threshold != 90 || !got.ByGroup || got.Mitigation != "M1" || got.CatalogID != "IND-ON-TIME" {
			t.Errorf("indicator as read: %+v", got)
		}
		if plan[1].Target != nil {
			t.Errorf("no target read as %v", *plan[1].Target)
		}

		// Another purchase's indicator is refused, and nothing is saved.
		if _, err := db.RecordMeasurements(ctx, a, p, "form", []monitoring.Measurement{
			{IndicatorID: onTime.ID, Period: day(t, "2026-08-01"), Value: 95},
			{IndicatorID: elsewhere.ID, Period: day(t, "2026-08-01"), Value: 1},
		}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("another purchase's indicator: %v", err)
		}
		if ms, _ := db.Measurements(ctx, p.ID); len(ms) != 0 {
			t.Fatalf("saved despite refusal: %+v", ms)
		}

		// Within thresholds: saved, no task.
		br, err := db.RecordMeasurements(ctx, a, p, "form", []monitoring.Measurement{
			{IndicatorID: onTime.ID, Period: day(t, "2026-08-01"), Group: "older people", Value: 93},
			{IndicatorID: errors.ID, Period: day(t, "2026-08-01"), Value: 10},
		})
		if err != nil || len(br) != 0 {
			t.Fatalf("within thresholds: %+v %v", br, err)
		}
		if ts := tasksFrom(t, db, p, "indicator:"); len(ts) != 0 {
			t.Fatalf("task without a breach: %+v", ts)
		}

		// Beyond: a task, once; a second breach of the same indicator adds none.
		br, err = db.RecordMeasurements(ctx, a, p, "csv", []monitoring.Measurement{
			{IndicatorID: onTime.ID, Period: day(t, "2026-09-01"), Group: "older people", Value: 71.5},
			{IndicatorID: onTime.ID, Period: day(t, "2026-09-01"), Group: "nationals", Value: 80},
		})
		if err != nil || len(br) != 2 || br[0].Indicator.ID != onTime.ID || br[0].Group != "older people" {
			t.Fatalf("breaches: %+v %v", br, err)
		}
		if _, err := db.RecordMeasurements(ctx, a, p, "form", []monitoring.Measurement{{IndicatorID: onTime.ID, Period: day(t, "2026-10-01"), Group: "older people", Value: 70}}); err != nil {
			t.Fatal(err)
		}
		ts := tasksFrom(t, db, p, "indicator:")
		if len(ts) != 1 || ts[0].Kind != "monitoring" || !strings.Contains(ts[0].Title, "Decided on time is 71.5 (threshold 90) for 2026-09-01, older people") {
			t.Fatalf("breach tasks: %+v", ts)
		}
		if ts := tasksFrom(t, db, other, ""); len(ts) != 0 {
			t.Errorf("task on the other purchase: %+v", ts)
		}

		// The same indicator, period and group again replaces the value.
		if _, err := db.RecordMeasurements(ctx, a, p, "form", []monitoring.Measurement{{IndicatorID: onTime.ID, Period: day(t, "2026-09-01"), Group: "older people", Value: 91}}); err != nil {
			t.Fatal(err)
		}
		ms, err := db.Measurements(ctx, p.ID)
		if err != nil || len(ms) != 5 {
			t.Fatalf("measurements: %d %v", len(ms), err)
		}
		for _, m := range ms {
			if m.IndicatorID == onTime.ID && m.Period.String() == "2026-09-01" && m.Group == "older people" && (m.Value != 91 || m.Source != "form" || m.EnteredBy != "ana@city.example") {
				t.Errorf("replaced value: %+v", m)
			}
		}

		// The summary reads the newest period only: October's 70 is beyond.
		sum, err := db.MonitoringSummary(ctx, p.ID)
		if err != nil || sum.Indicators != 2 || len(sum.Breaches) != 1 || sum.Breaches[0] != "Decided on time" || sum.Flagged || sum.Incidents != 0 {
			t.Errorf("summary: %+v %v", sum, err)
		}

		entries, err := db.AuditFor(ctx, "purchase", p.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
		}
		if count["indicator_added"] != 2 || count["measurements"] != 4 || count["task_opened"] != 1 {
			t.Errorf("audit: %v", count)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}

// Outcome counts: the disparity is computed per period from all its
// groups (including those saved earlier), a flagged period opens one task,
// bad rows are refused whole.
func TestMonitoringOutcomeCountsAndIncidents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		a := store.ActorOf(off)
		p := storetest.Purchase(t, db, off, "Border gates")
		aug, sep := day(t, "2026-08-01"), day(t, "2026-09-01")

		for _, bad := range []monitoring.GroupOutcome{
			{Period: aug, Group: "a", Favourable: 3, Total: 2},
			{Period: aug, Group: "a", Favourable: 0, Total: 0},
			{Period: aug, Group: "", Favourable: 1, Total: 2},
			{Group: "a", Favourable: 1, Total: 2},
			{Period: aug, Group: "a", Favourable: -1, Total: 2},
		} {
			if _, err := db.RecordOutcomes(ctx, a, p, []monitoring.GroupOutcome{{Period: aug, Group: "fine", Favourable: 1, Total: 1}, bad}); model.ErrorCode(err) != model.EInvalid {
				t.Errorf("%+v accepted: %v", bad, err)
			}
		}
		if ds, _ := db.Disparities(ctx, p.ID); len(ds) != 0 {
			t.Fatalf("saved despite refusal: %+v", ds)
		}

		// August: one group at first (no ratio), then a second one under four fifths.
		if fl, err := db.RecordOutcomes(ctx, a, p, []monitoring.GroupOutcome{{Period: aug, Group: "adults", Favourable: 90, Total: 100}}); err != nil || len(fl) != 0 {
			t.Fatalf("one group: %+v %v", fl, err)
		}
		fl, err := db.RecordOutcomes(ctx, a, p, []monitoring.GroupOutcome{{Period: aug, Group: "wheelchair users", Favourable: 60, Total: 100}})
		if err != nil || len(fl) != 1 || fl[0].Groups[0].Group != "wheelchair users" {
			t.Fatalf("flag from groups saved apart: %+v %v", fl, err)
		}
		// September: fine; then August corrected again, still flagged: no second task.
		if _, err := db.RecordOutcomes(ctx, a, p, []monitoring.GroupOutcome{
			{Period: sep, Group: "adults", Favourable: 90, Total: 100}, {Period: sep, Group: "wheelchair users", Favourable: 85, Total: 100}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordOutcomes(ctx, a, p, []monitoring.GroupOutcome{{Period: aug, Group: "wheelchair users", Favourable: 50, Total: 100}}); err != nil {
			t.Fatal(err)
		}
		ds, err := db.Disparities(ctx, p.ID)
		if err != nil || len(ds) != 2 {
			t.Fatalf("disparities: %+v %v", ds, err)
		}
		if ds[0].Period.String() != "2026-09-01" || ds[0].Flagged || !ds[0].Valid {
			t.Errorf("newest period first and not flagged: %+v", ds[0])
		}
		if g := ds[1].Groups[0]; !ds[1].Flagged || g.Favourable != 50 || g.Ratio < 0.555 || g.Ratio > 0.556 {
			t.Errorf("August replaced and flagged: %+v", ds[1])
		}
		if ts := tasksFrom(t, db, p, "disparity:"); len(ts) != 1 || ts[0].Source != "disparity:2026-08-01" {
			t.Errorf("disparity tasks: %+v", ts)
		}
		// The summary looks at the newest period only.
		if sum, _ := db.MonitoringSummary(ctx, p.ID); sum.Flagged {
			t.Error("summary flags an older period")
		}

		// Incidents: validated; a serious one opens a task; newest first.
		if err := db.AddIncident(ctx, a, p, &monitoring.Incident{OccurredOn: day(t, "2999-01-01"), Severity: "low", What: "x"}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("future incident: %v", err)
		}
		if err := db.AddIncident(ctx, a, p, &monitoring.Incident{OccurredOn: aug, Severity: "dire", What: "x"}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("unknown severity: %v", err)
		}
		if err := db.AddIncident(ctx, a, p, &monitoring.Incident{OccurredOn: aug, Severity: "low", What: "Slow gate"}); err != nil {
			t.Fatal(err)
		}
		if ts := tasksFrom(t, db, p, "incident:"); len(ts) != 0 {
			t.Errorf("a low incident opened a task: %+v", ts)
		}
		if err := db.AddIncident(ctx, a, p, &monitoring.Incident{OccurredOn: sep, Severity: "critical", What: " Gate refused\r\nall wheelchair users ",
			Affected: "About 40 travellers", Action: "Gates switched to manual", ReportedTo: "Data-protection authority"}); err != nil {
			t.Fatal(err)
		}
		xs, err := db.Incidents(ctx, p.ID)
		if err != nil || len(xs) != 2 || xs[0].Severity != "critical" || xs[0].What != "Gate refused\nall wheelchair users" || xs[0].ReportedTo != "Data-protection authority" || xs[0].CreatedBy != "ana@city.example" {
			t.Fatalf("incidents: %+v %v", xs, err)
		}
		if ts := tasksFrom(t, db, p, "incident:"); len(ts) != 1 || ts[0].Kind != "incident" {
			t.Errorf("serious incident task: %+v", ts)
		}
		if sum, _ := db.MonitoringSummary(ctx, p.ID); sum.Incidents != 2 {
			t.Errorf("summary incidents: %+v", sum)
		}

		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 50)
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
		}
		if count["outcome_counts"] != 4 || count["incident"] != 2 {
			t.Errorf("audit: %v", count)
		}
	})
}

// Changing an indicator keeps its values and catalogue entry, audits what
// each field was, refuses another purchase's indicator, and opens a task
// when a tighter threshold puts the newest values beyond it.
func TestMonitoringIndicatorChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		city := storetest.Org(t, db, "city", model.OrgPublicBody)
		off := storetest.User(t, db, city, "ana@city.example", model.RoleOfficer)
		a := store.ActorOf(off)
		p := storetest.Purchase(t, db, off, "Benefits portal")
		other := storetest.Purchase(t, db, off, "Parking permits")
		f := func(v float64) *float64 { return &v }
		up := &monitoring.Indicator{CatalogID: "IND-UPTIME", Title: "Uptime", Unit: "percent", Direction: "higher", Threshold: f(95)}
		if err := db.AddIndicator(ctx, a, p, up); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordMeasurements(ctx, a, p, "form", []monitoring.Measurement{
			{IndicatorID: up.ID, Period: day(t, "2026-08-01"), Value: 97},
			{IndicatorID: up.ID, Period: day(t, "2026-09-01"), Value: 98.5},
		}); err != nil {
			t.Fatal(err)
		}

		// Nothing changed: nothing audited.
		same := *up
		if err := db.UpdateIndicator(ctx, a, p, &same, ""); err != nil {
			t.Fatal(err)
		}
		// Refused: invalid, or an indicator of another purchase.
		bad := *up
		bad.Threshold = f(120)
		if err := db.UpdateIndicator(ctx, a, p, &bad, ""); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("percentage over 100: %v", err)
		}
		if err := db.UpdateIndicator(ctx, a, other, &same, ""); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("another purchase's indicator: %v", err)
		}
		if _, err := db.Indicator(ctx, other.ID, up.ID); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("read through another purchase: %v", err)
		}

		// A tighter threshold: September's 98.5 is now beyond 99.
		ch := &monitoring.Indicator{ID: up.ID, CatalogID: "IGNORED", Title: "Service availability", Unit: "percent", Direction: "higher", Target: f(99.5), Threshold: f(99), Mitigation: "M2"}
		if err := db.UpdateIndicator(ctx, a, p, ch, ""); err != nil {
			t.Fatal(err)
		}
		got, err := db.Indicator(ctx, p.ID, up.ID)
		if err != nil || got.Title != "Service availability" || *got.Threshold != 99 || *got.Target != 99.5 || got.Mitigation != "M2" || got.CatalogID != "IND-UPTIME" {
			t.Fatalf("after change: %+v %v", got, err)
		}
		if ms, _ := db.Measurements(ctx, p.ID); len(ms) != 2 {
			t.Errorf("values lost: %+v", ms)
		}
		ts := tasksFrom(t, db, p, "indicator:")
		if len(ts) != 1 || !strings.Contains(ts[0].Title, "Service availability is 98.5 (threshold 99) for 2026-09-01") {
			t.Errorf("task after a tighter threshold: %+v", ts)
		}
		// Loosening it again: no value is beyond 90, so the task no longer
		// holds and is closed with the reason.
		ch.Threshold = f(90)
		if err := db.UpdateIndicator(ctx, a, p, ch, ""); err != nil {
			t.Fatal(err)
		}
		if ts := tasksFrom(t, db, p, "indicator:"); len(ts) != 0 {
			t.Errorf("tasks: %+v", ts)
		}
		closed, err := db.MonitoringTasks(ctx, p.ID, 10)
		if err != nil || len(closed) != 1 || !closed[0].Done || !strings.Contains(closed[0].Note, "No longer holds: the indicator changed (threshold 99 to 90)") {
			t.Errorf("closed task: %+v %v", closed, err)
		}

		entries, _ := db.AuditFor(ctx, "purchase", p.ID, 50)
		n := 0
		for _, e := range entries {
			if e.Action == "indicator_changed" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("indicator_changed audited %d times, want 2", n)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}
