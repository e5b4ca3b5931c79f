package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"buyright/internal/model"
	"buyright/internal/monitoring"
)

// AddIndicator adds an indicator to a purchase's monitoring plan.
func (db *DB) AddIndicator(ctx context.Context, a Actor, p *model.Purchase, in *monitoring.Indicator) error {
	if fe := in.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	in.PurchaseID = p.ID
	return db.tx(ctx, "add indicator", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO indicators (purchase_id, catalog_id, title, unit, direction, target, threshold, by_group, mitigation, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			p.ID, in.CatalogID, in.Title, in.Unit, in.Direction, in.Target, in.Threshold, in.ByGroup, in.Mitigation, nullID(a.UserID), db.now()).Scan(&in.ID); err != nil {
			return fmt.Errorf("store: add indicator: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "indicator_added", map[string]any{
			"indicator": in.ID, "catalog_id": in.CatalogID, "title": in.Title, "unit": in.Unit, "direction": in.Direction,
			"target": in.Target, "threshold": in.Threshold, "by_group": in.ByGroup, "mitigation": in.Mitigation})
	})
}

// Indicator reads one indicator of a purchase's plan.
func (db *DB) Indicator(ctx context.Context, purchaseID, id int64) (*monitoring.Indicator, error) {
	plan, err := db.Indicators(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	for _, in := range plan {
		if in.ID == id {
			return in, nil
		}
	}
	return nil, model.NotFound("indicator")
}

// UpdateIndicator changes an indicator of the plan: its title, unit,
// direction, target, threshold, breakdown by group and the mitigation it
// checks (not the catalogue entry it came from, nor its values). The audit
// keeps what each changed field was, and why when why is given. When the
// direction or the threshold changes, every value is judged again in the
// same transaction: a task that no longer holds is closed with the reason,
// and one is opened for the values now beyond the threshold.
func (db *DB) UpdateIndicator(ctx context.Context, a Actor, p *model.Purchase, in *monitoring.Indicator, why string) error {
	if fe := in.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	in.PurchaseID = p.ID
	return db.tx(ctx, "update indicator", func(tx *sql.Tx) error {
		return db.updateIndicator(ctx, tx, a, p, in, why)
	})
}

func (db *DB) updateIndicator(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, in *monitoring.Indicator, why string) error {
	var old monitoring.Indicator
	var target, threshold sql.NullFloat64
	err := tx.QueryRowContext(ctx, `SELECT catalog_id, title, unit, direction, target, threshold, by_group, mitigation FROM indicators WHERE id = $1 AND purchase_id = $2`,
		in.ID, p.ID).Scan(&old.CatalogID, &old.Title, &old.Unit, &old.Direction, &target, &threshold, &old.ByGroup, &old.Mitigation)
	if errors.Is(err, sql.ErrNoRows) {
		return model.NotFound("indicator")
	}
	if err != nil {
		return fmt.Errorf("store: update indicator: %w", err)
	}
	if target.Valid {
		old.Target = &target.Float64
	}
	if threshold.Valid {
		old.Threshold = &threshold.Float64
	}
	in.CatalogID = old.CatalogID
	changed := map[string]any{}
	for field, diff := range map[string][2]any{
		"title": {old.Title, in.Title}, "unit": {old.Unit, in.Unit}, "direction": {old.Direction, in.Direction},
		"by_group": {old.ByGroup, in.ByGroup}, "mitigation": {old.Mitigation, in.Mitigation},
	} {
		if diff[0] != diff[1] {
			changed[field] = map[string]any{"from": diff[0], "to": diff[1]}
		}
	}
	if !sameNum(old.Target, in.Target) {
		changed["target"] = map[string]any{"from": old.Target, "to": in.Target}
	}
	if !sameNum(old.Threshold, in.Threshold) {
		changed["threshold"] = map[string]any{"from": old.Threshold, "to": in.Threshold}
	}
	if len(changed) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE indicators SET title = $1, unit = $2, direction = $3, target = $4, threshold = $5, by_group = $6, mitigation = $7
		WHERE id = $8 AND purchase_id = $9`, in.Title, in.Unit, in.Direction, in.Target, in.Threshold, in.ByGroup, in.Mitigation, in.ID, p.ID); err != nil {
		return fmt.Errorf("store: update indicator: %w", err)
	}
	detail := map[string]any{"indicator": in.ID, "changed": changed}
	if why != "" {
		detail["reason"] = why
	}
	if err := db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "indicator_changed", detail); err != nil {
		return err
	}
	if sameNum(old.Threshold, in.Threshold) && old.Direction == in.Direction {
		return nil // which values are beyond the threshold has not changed
	}
	return db.judgeIndicator(ctx, tx, a, p, in, "the indicator changed ("+changeSummary(&old, in)+")")
}

func sameNum(a, b *float64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// changeSummary names how the direction and threshold changed, in the
// words tasks are written in.
func changeSummary(old, cur *monitoring.Indicator) string {
	var parts []string
	if old.Direction != cur.Direction {
		parts = append(parts, "now "+cur.Direction+" is better, was "+old.Direction)
	}
	if !sameNum(old.Threshold, cur.Threshold) {
		parts = append(parts, "threshold "+optNum(old.Threshold)+" to "+optNum(cur.Threshold))
	}
	return strings.Join(parts, "; ")
}

func optNum(v *float64) string {
	if v == nil {
		return "none"
	}
	return num(*v)
}

// breachTitle says which value is beyond which threshold.
func breachTitle(in *monitoring.Indicator, period model.Date, group string, v float64) string {
	title := fmt.Sprintf("Monitoring: %s is %s (threshold %s) for %s", in.Title, num(v), num(*in.Threshold), period)
	if group != "" {
		title += ", " + group
	}
	return title
}

// Indicators lists a purchase's monitoring plan.
func (db *DB) Indicators(ctx context.Context, purchaseID int64) ([]*monitoring.Indicator, error) {
	return fetch(ctx, db, func(b *Batch, out *[]*monitoring.Indicator) { b.Indicators(purchaseID, out) })
}

// Indicators queues the read of Indicators into out.
func (b *Batch) Indicators(purchaseID int64, out *[]*monitoring.Indicator) {
	b.read("indicators", `SELECT id, catalog_id, title, unit, direction, target, threshold, by_group, mitigation
		FROM indicators WHERE purchase_id = $1 ORDER BY id`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (*monitoring.Indicator, error) {
			in := &monitoring.Indicator{PurchaseID: purchaseID}
			var target, threshold sql.NullFloat64
			if err := rs.Scan(&in.ID, &in.CatalogID, &in.Title, &in.Unit, &in.Direction, &target, &threshold, &in.ByGroup, &in.Mitigation); err != nil {
				return nil, err
			}
			if target.Valid {
				in.Target = &target.Float64
			}
			if threshold.Valid {
				in.Threshold = &threshold.Float64
			}
			return in, nil
		}))
}

// Breach is a measurement beyond its indicator's threshold.
type Breach struct {
	Indicator *monitoring.Indicator
	Period    model.Date
	Group     string
	Value     float64
}

// RecordMeasurements saves values of the plan's indicators (a value for the
// same indicator, period and group replaces the earlier one) and, in the
// same transaction, opens a task for each indicator a value breaches, so
// no breach is saved without someone being asked to act on it.
func (db *DB) RecordMeasurements(ctx context.Context, a Actor, p *model.Purchase, source string, ms []monitoring.Measurement) ([]Breach, error) {
	plan, err := db.Indicators(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*monitoring.Indicator{}
	for _, in := range plan {
		byID[in.ID] = in
	}
	for _, m := range ms {
		if byID[m.IndicatorID] == nil {
			return nil, model.FieldErrors{"indicator": "invalid.choice"}.Err()
		}
		if m.Period.IsZero() {
			return nil, model.FieldErrors{"period": "invalid.required"}.Err()
		}
	}
	var breaches []Breach
	now := db.now()
	err = db.tx(ctx, "record measurements", func(tx *sql.Tx) error {
		for _, m := range ms {
			in := byID[m.IndicatorID]
			var old sql.NullFloat64
			err := tx.QueryRowContext(ctx, "SELECT value FROM measurements WHERE indicator_id = $1 AND period = $2 AND grp = $3", m.IndicatorID, m.Period, m.Group).Scan(&old)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				_, err = tx.ExecContext(ctx, `INSERT INTO measurements (indicator_id, purchase_id, period, grp, value, source, entered_by, created_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, m.IndicatorID, p.ID, m.Period, m.Group, m.Value, source, nullID(a.UserID), now)
			case err == nil:
				_, err = tx.ExecContext(ctx, `UPDATE measurements SET value = $1, source = $2, entered_by = $3, created_at = $4
					WHERE indicator_id = $5 AND period = $6 AND grp = $7`, m.Value, source, nullID(a.UserID), now, m.IndicatorID, m.Period, m.Group)
			}
			if err != nil {
				return fmt.Errorf("store: measurement: %w", err)
			}
			if in.Breached(m.Value) {
				breaches = append(breaches, Breach{Indicator: in, Period: m.Period, Group: m.Group, Value: m.Value})
				if _, err := db.openTask(ctx, tx, a, p, "monitoring", breachTitle(in, m.Period, m.Group, m.Value), indicatorSource(in), model.DateOf(now).AddDays(14)); err != nil {
					return err
				}
			}
		}
		// A value entered again may have corrected the one that opened a
		// task: when none of an indicator's values is beyond its threshold
		// any more, its task no longer holds.
		done := map[int64]bool{}
		for _, m := range ms {
			if done[m.IndicatorID] {
				continue
			}
			done[m.IndicatorID] = true
			if err := db.closeIfNoBreach(ctx, tx, a, p, byID[m.IndicatorID], "values were entered again and none is beyond the threshold"); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "measurements", map[string]any{"count": len(ms), "source": source, "breaches": len(breaches)})
	})
	return breaches, err
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Measurements lists a purchase's measurements by indicator and period.
func (db *DB) Measurements(ctx context.Context, purchaseID int64) ([]monitoring.Measurement, error) {
	return fetch(ctx, db, func(b *Batch, out *[]monitoring.Measurement) { b.Measurements(purchaseID, out) })
}

// Measurements queues the read of Measurements into out.
func (b *Batch) Measurements(purchaseID int64, out *[]monitoring.Measurement) {
	b.read("measurements", `SELECT m.id, m.indicator_id, m.period, m.grp, m.value, m.source, COALESCE(NULLIF(u.name, ''), u.email, ''), m.created_at
		FROM measurements m LEFT JOIN users u ON u.id = m.entered_by WHERE m.purchase_id = $1 ORDER BY m.indicator_id, m.period, m.grp`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (m monitoring.Measurement, err error) {
			return m, rs.Scan(&m.ID, &m.IndicatorID, &m.Period, &m.Group, &m.Value, &m.Source, &m.EnteredBy, &m.CreatedAt)
		}))
}

// measurementsSince counts monitoring results recorded for the purchase
// since t (a renewal rests on them).
func (db *DB) measurementsSince(ctx context.Context, q queryer, purchaseID int64, t time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM measurements WHERE purchase_id = $1 AND created_at >= $2)
		+ (SELECT COUNT(*) FROM outcome_counts WHERE purchase_id = $1 AND created_at >= $2)`, purchaseID, t).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: measurements since: %w", err)
	}
	return n, nil
}

// RecordOutcomes saves outcome counts of automated decisions by group
// (replacing those of the same period and group) and opens a task when a
// period's disparity is flagged under the four-fifths rule.
func (db *DB) RecordOutcomes(ctx context.Context, a Actor, p *model.Purchase, rows []monitoring.GroupOutcome) ([]monitoring.Disparity, error) {
	for _, r := range rows {
		if r.Period.IsZero() || r.Group == "" || r.Total <= 0 || r.Favourable < 0 || r.Favourable > r.Total || model.TooLong(r.Group, 100) {
			return nil, model.FieldErrors{"outcomes": "monitoring.err.outcome_row"}.Err()
		}
	}
	now := db.now()
	var flagged []monitoring.Disparity
	err := db.tx(ctx, "record outcomes", func(tx *sql.Tx) error {
		periods := map[string]model.Date{}
		for _, r := range rows {
			res, err := tx.ExecContext(ctx, "UPDATE outcome_counts SET favourable = $1, total = $2, entered_by = $3, created_at = $4 WHERE purchase_id = $5 AND period = $6 AND grp = $7",
				r.Favourable, r.Total, nullID(a.UserID), now, p.ID, r.Period, r.Group)
			if err != nil {
				return fmt.Errorf("store: outcomes: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				if _, err := tx.ExecContext(ctx, "INSERT INTO outcome_counts (purchase_id, period, grp, favourable, total, entered_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
					p.ID, r.Period, r.Group, r.Favourable, r.Total, nullID(a.UserID), now); err != nil {
					return fmt.Errorf("store: outcomes: %w", err)
				}
			}
			periods[r.Period.String()] = r.Period
		}
		for _, period := range periods {
			all, err := db.outcomes(ctx, tx, p.ID, period)
			if err != nil {
				return err
			}
			d := monitoring.ComputeDisparity(period, all)
			if !d.Flagged {
				continue
			}
			flagged = append(flagged, d)
			title := fmt.Sprintf("Monitoring: favourable outcomes for %s are %.0f%% of the best-served group's rate in %s (under four fifths)", d.Groups[0].Group, d.Ratio*100, period)
			if _, err := db.openTask(ctx, tx, a, p, "monitoring", title, "disparity:"+period.String(), model.DateOf(now).AddDays(14)); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "outcome_counts", map[string]any{"rows": len(rows), "flagged_periods": len(flagged)})
	})
	return flagged, err
}

type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (db *DB) outcomes(ctx context.Context, q rowsQueryer, purchaseID int64, period model.Date) ([]monitoring.GroupOutcome, error) {
	query := outcomesQuery
	args := []any{purchaseID}
	if !period.IsZero() {
		query += " AND period = $2"
		args = append(args, period)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY period, grp", args...)
	if err != nil {
		return nil, fmt.Errorf("store: outcomes: %w", err)
	}
	defer rows.Close()
	var out []monitoring.GroupOutcome
	for rows.Next() {
		g, err := scanOutcome(rows)
		if err != nil {
			return nil, fmt.Errorf("store: outcomes: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// outcomesQuery reads a purchase's outcome counts; scanOutcome takes a row.
const outcomesQuery = "SELECT period, grp, favourable, total FROM outcome_counts WHERE purchase_id = $1"

func scanOutcome(rs rowScanner) (g monitoring.GroupOutcome, err error) {
	return g, rs.Scan(&g.Period, &g.Group, &g.Favourable, &g.Total)
}

// Disparities computes each period's disparity from the stored counts,
// newest period first.
func (db *DB) Disparities(ctx context.Context, purchaseID int64) ([]monitoring.Disparity, error) {
	return fetch(ctx, db, func(b *Batch, out *[]monitoring.Disparity) { b.Disparities(purchaseID, out) })
}

// Disparities queues the read of Disparities into out.
func (b *Batch) Disparities(purchaseID int64, out *[]monitoring.Disparity) {
	var all []monitoring.GroupOutcome
	b.read("outcomes", outcomesQuery+" ORDER BY period, grp", []any{purchaseID},
		appendRow(&all, scanOutcome))
	b.Then(func(context.Context) error {
		for i := 0; i < len(all); {
			j := i
			for j < len(all) && all[j].Period.String() == all[i].Period.String() {
				j++
			}
			*out = append([]monitoring.Disparity{monitoring.ComputeDisparity(all[i].Period, all[i:j])}, *out...)
			i = j
		}
		return nil
	})
}

// AddIncident logs an incident.
func (db *DB) AddIncident(ctx context.Context, a Actor, p *model.Purchase, x *monitoring.Incident) error {
	if fe := x.Validate(model.DateOf(db.now())); len(fe) > 0 {
		return fe.Err()
	}
	return db.tx(ctx, "add incident", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO incidents (purchase_id, occurred_on, severity, what, affected, action, reported_to, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, p.ID, x.OccurredOn, x.Severity, x.What, x.Affected, x.Action, x.ReportedTo, nullID(a.UserID), db.now()).Scan(&x.ID); err != nil {
			return fmt.Errorf("store: incident: %w", err)
		}
		if x.Severity == "high" || x.Severity == "critical" {
			if _, err := db.openTask(ctx, tx, a, p, "incident", "Incident ("+x.Severity+") on "+x.OccurredOn.String()+": decide whether to suspend, re-assess or notify", "incident:"+strconv.FormatInt(x.ID, 10), model.DateOf(db.now()).AddDays(3)); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "incident", map[string]any{"incident": x.ID, "occurred_on": x.OccurredOn, "severity": x.Severity,
			"what": x.What, "affected": x.Affected, "action": x.Action, "reported_to": x.ReportedTo})
	})
}

// Incidents lists a purchase's incidents, newest first.
func (db *DB) Incidents(ctx context.Context, purchaseID int64) ([]monitoring.Incident, error) {
	return fetch(ctx, db, func(b *Batch, out *[]monitoring.Incident) { b.Incidents(purchaseID, out) })
}

// Incidents queues the read of Incidents into out.
func (b *Batch) Incidents(purchaseID int64, out *[]monitoring.Incident) {
	b.read("incidents", `SELECT i.id, i.occurred_on, i.severity, i.what, i.affected, i.action, i.reported_to, COALESCE(NULLIF(u.name, ''), u.email, ''), i.created_at
		FROM incidents i LEFT JOIN users u ON u.id = i.created_by WHERE i.purchase_id = $1 ORDER BY i.occurred_on DESC, i.id DESC`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (x monitoring.Incident, err error) {
			x.PurchaseID = purchaseID
			return x, rs.Scan(&x.ID, &x.OccurredOn, &x.Severity, &x.What, &x.Affected, &x.Action, &x.ReportedTo, &x.CreatedBy, &x.CreatedAt)
		}))
}

// MonitoringSummary is what the purchase page shows of monitoring.
type MonitoringSummary struct {
	Indicators int
	Breaches   []string // titles of indicators beyond their threshold in their latest period
	Flagged    bool     // the latest period of outcome counts is under four fifths
	Incidents  int
}

// MonitoringSummary reads the latest period of each indicator and of the
// outcome counts only, so the purchase page stays cheap however long the
// history grows.
func (db *DB) MonitoringSummary(ctx context.Context, purchaseID int64) (*MonitoringSummary, error) {
	return fetch(ctx, db, func(b *Batch, out **MonitoringSummary) { b.MonitoringSummary(purchaseID, out) })
}

// MonitoringSummary queues the reads of MonitoringSummary into out: the
// plan, each indicator's latest figures, the outcome counts of the latest
// period and the number of incidents, none of which waits on another.
func (b *Batch) MonitoringSummary(purchaseID int64, out **MonitoringSummary) {
	s := &MonitoringSummary{}
	*out = s
	var plan []*monitoring.Indicator
	b.Indicators(purchaseID, &plan)
	type figure struct {
		indicator int64
		value     float64
	}
	var latest []figure
	// Each indicator's latest period found once per indicator, not once
	// per measurement: a subquery per row cost PostgreSQL half a
	// millisecond for a purchase with a few years of figures.
	b.read("monitoring summary", `SELECT m.indicator_id, m.value FROM measurements m
		JOIN (SELECT indicator_id, MAX(period) AS period FROM measurements WHERE purchase_id = $1 GROUP BY indicator_id) l
		ON l.indicator_id = m.indicator_id AND l.period = m.period`, []any{purchaseID},
		appendRow(&latest, func(rs rowScanner) (f figure, err error) { return f, rs.Scan(&f.indicator, &f.value) }))
	var outcomes []monitoring.GroupOutcome
	b.read("outcomes", outcomesQuery+" AND period = (SELECT MAX(period) FROM outcome_counts WHERE purchase_id = $1) ORDER BY grp", []any{purchaseID},
		appendRow(&outcomes, scanOutcome))
	b.read("incidents", "SELECT COUNT(*) FROM incidents WHERE purchase_id = $1", []any{purchaseID},
		func(rs rowScanner) error { return rs.Scan(&s.Incidents) })
	b.Then(func(context.Context) error {
		s.Indicators = len(plan)
		breached := map[int64]bool{}
		for _, f := range latest {
			for _, in := range plan {
				if in.ID == f.indicator && in.Breached(f.value) {
					breached[in.ID] = true
				}
			}
		}
		for _, in := range plan {
			if breached[in.ID] {
				s.Breaches = append(s.Breaches, in.Title)
			}
		}
		if len(outcomes) > 0 {
			s.Flagged = monitoring.ComputeDisparity(outcomes[0].Period, outcomes).Flagged
		}
		return nil
	})
}
