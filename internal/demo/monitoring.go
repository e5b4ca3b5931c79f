package demo

import (
	"context"
	"time"

	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
)

// seedMonitoring gives the school platform a monitoring plan with a few
// months of results, one beyond its threshold (which opens a task), and
// the border gates outcome counts by group where travellers using
// wheelchairs pass far less often (flagged under the four-fifths rule),
// plus an incident.
func seedMonitoring(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	ana, lena := people["ana@portavera.example"], people["lena@border.example"]
	month := func(back int) model.Date {
		t := time.Now().UTC().AddDate(0, -back, 0)
		return model.DateOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
	}
	f := func(v float64) *float64 { return &v }

	school, err := findPurchase(ctx, db, ana, "Learning platform for the city's primary schools")
	if err != nil {
		return err
	}
	uptime := &monitoring.Indicator{CatalogID: "IND-UPTIME", Title: "Service availability (uptime)", Unit: "percent", Direction: "higher", Target: f(99.5), Threshold: f(99)}
	a11y := &monitoring.Indicator{CatalogID: "IND-A11Y", Title: "Accessibility audit failures", Unit: "count", Direction: "lower", Threshold: f(0)}
	answered := &monitoring.Indicator{CatalogID: "IND-COMPLAINTS-ON-TIME", Title: "Complaints answered within the published time limit", Unit: "percent", Direction: "higher", Target: f(95), Threshold: f(90)}
	for _, in := range []*monitoring.Indicator{uptime, a11y, answered} {
		if err := db.AddIndicator(ctx, store.ActorOf(ana), school, in); err != nil {
			return err
		}
	}
	var ms []monitoring.Measurement
	for i, v := range []float64{99.8, 99.6, 99.7, 98.2} {
		ms = append(ms, monitoring.Measurement{IndicatorID: uptime.ID, Period: month(4 - i), Value: v})
	}
	for i, v := range []float64{14, 6, 0} {
		ms = append(ms, monitoring.Measurement{IndicatorID: a11y.ID, Period: month(6 - 3*i), Value: v})
	}
	for i, v := range []float64{92, 96, 94, 97} {
		ms = append(ms, monitoring.Measurement{IndicatorID: answered.ID, Period: month(4 - i), Value: v})
	}
	if _, err := db.RecordMeasurements(ctx, store.ActorOf(ana), school, "form", ms); err != nil {
		return err
	}
	if err := db.AddIncident(ctx, store.ActorOf(ana), school, &monitoring.Incident{OccurredOn: month(1).AddDays(11), Severity: "medium",
		What:     "The platform was unavailable for most of a school day after a failed update; homework deadlines were missed.",
		Affected: "About 9,000 pupils and their families.", Action: "Deadlines extended; the supplier must test updates outside school hours (contract clause on service levels).",
		ReportedTo: "Schools' parents' council"}); err != nil {
		return err
	}

	gates, err := findPurchase(ctx, db, lena, "Automated border gates at the international airport")
	if err != nil {
		return err
	}
	if err := db.AddIndicator(ctx, store.ActorOf(lena), gates, &monitoring.Indicator{CatalogID: "IND-ERROR", Title: "Error rate of automated decisions, by group",
		Unit: "percent", Direction: "lower", Threshold: f(5), ByGroup: true}); err != nil {
		return err
	}
	var rows []monitoring.GroupOutcome
	for _, back := range []int{2, 1} {
		rows = append(rows,
			monitoring.GroupOutcome{Period: month(back), Group: "Adults aged 18 to 59", Favourable: 41200 + back*300, Total: 43000 + back*300},
			monitoring.GroupOutcome{Period: month(back), Group: "Travellers aged 60 and over", Favourable: 10900, Total: 12100},
			monitoring.GroupOutcome{Period: month(back), Group: "Travellers using wheelchairs", Favourable: 160 + back*5, Total: 240})
	}
	_, err = db.RecordOutcomes(ctx, store.ActorOf(lena), gates, rows)
	return err
}
