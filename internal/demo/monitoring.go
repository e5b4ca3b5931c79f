package demo

import (
	"time"

	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/store"
)

// month is the first day of the month back months ago.
func month(back int) model.Date {
	t := time.Now().UTC().AddDate(0, -back, 0)
	return model.DateOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
}

func f64(v float64) *float64 { return &v }

// schoolInUse is the school platform in use: a review coming up and a
// monitoring plan with a few months of results, one beyond its threshold
// (which opens a task), and an incident.
func schoolInUse(e *env, p *model.Purchase) error {
	ana := store.ActorOf(e.people["ana@portavera.example"])
	if _, err := e.db.ScheduleReview(e.ctx, ana, p, contract.KindReview, model.DateOf(e.db.Now()).AddDays(45)); err != nil {
		return err
	}
	uptime := &monitoring.Indicator{CatalogID: "IND-UPTIME", Title: "Service availability (uptime)", Unit: "percent", Direction: "higher", Target: f64(99.5), Threshold: f64(99)}
	a11y := &monitoring.Indicator{CatalogID: "IND-A11Y", Title: "Accessibility audit failures", Unit: "count", Direction: "lower", Threshold: f64(0)}
	answered := &monitoring.Indicator{CatalogID: "IND-COMPLAINTS-ON-TIME", Title: "Complaints answered within the published time limit", Unit: "percent", Direction: "higher", Target: f64(95), Threshold: f64(90)}
	for _, in := range []*monitoring.Indicator{uptime, a11y, answered} {
		if err := e.db.AddIndicator(e.ctx, ana, p, in); err != nil {
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
	if _, err := e.db.RecordMeasurements(e.ctx, ana, p, "form", ms); err != nil {
		return err
	}
	return e.db.AddIncident(e.ctx, ana, p, &monitoring.Incident{OccurredOn: month(1).AddDays(11), Severity: "medium",
		What:     "The platform was unavailable for most of a school day after a failed update; homework deadlines were missed.",
		Affected: "About 9,000 pupils and their families.", Action: "Deadlines extended; the supplier must test updates outside school hours (contract clause on service levels).",
		ReportedTo: "Schools' parents' council"})
}

// gatesMonitoring gives the border gates outcome counts by group where
// travellers using wheelchairs pass far less often (flagged under the
// four-fifths rule).
func gatesMonitoring(e *env, p *model.Purchase) error {
	lena := store.ActorOf(e.people["lena@border.example"])
	if err := e.db.AddIndicator(e.ctx, lena, p, &monitoring.Indicator{CatalogID: "IND-ERROR", Title: "Error rate of automated decisions, by group",
		Unit: "percent", Direction: "lower", Threshold: f64(5), ByGroup: true}); err != nil {
		return err
	}
	var rows []monitoring.GroupOutcome
	for _, back := range []int{2, 1} {
		rows = append(rows,
			monitoring.GroupOutcome{Period: month(back), Group: "Adults aged 18 to 59", Favourable: 41200 + back*300, Total: 43000 + back*300},
			monitoring.GroupOutcome{Period: month(back), Group: "Travellers aged 60 and over", Favourable: 10900, Total: 12100},
			monitoring.GroupOutcome{Period: month(back), Group: "Travellers using wheelchairs", Favourable: 160 + back*5, Total: 240})
	}
	_, err := e.db.RecordOutcomes(e.ctx, lena, p, rows)
	return err
}
