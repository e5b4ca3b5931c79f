package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"buyright/internal/model"
	"buyright/internal/monitoring"
)

// A monitoring task stands for an indicator that has a value beyond its
// threshold: it is opened when such a value is saved, and it is judged
// again whenever what "beyond" means changes (direction, threshold) or the
// values are corrected, so the body is never asked to act on a good result
// nor left without a task for a bad one.

func indicatorSource(in *monitoring.Indicator) string {
	return "indicator:" + strconv.FormatInt(in.ID, 10)
}

// worstBreach returns the value that stands for the indicator's breach:
// the newest period with a value beyond the threshold, and in it the
// first group that is, or nil when no value is beyond it.
func worstBreach(ctx context.Context, tx *sql.Tx, in *monitoring.Indicator) (*monitoring.Measurement, error) {
	rows, err := tx.QueryContext(ctx, `SELECT period, grp, value FROM measurements WHERE indicator_id = $1 ORDER BY period DESC, grp`, in.ID)
	if err != nil {
		return nil, fmt.Errorf("store: judge indicator: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m monitoring.Measurement
		if err := rows.Scan(&m.Period, &m.Group, &m.Value); err != nil {
			return nil, fmt.Errorf("store: judge indicator: %w", err)
		}
		if in.Breached(m.Value) {
			return &m, nil
		}
	}
	return nil, rows.Err()
}

// openMonitoringTask returns the indicator's open task, if any.
func openMonitoringTask(ctx context.Context, tx *sql.Tx, p *model.Purchase, in *monitoring.Indicator) (id int64, title string, err error) {
	err = tx.QueryRowContext(ctx, "SELECT id, title FROM tasks WHERE purchase_id = $1 AND kind = 'monitoring' AND source = $2 AND done_at IS NULL",
		p.ID, indicatorSource(in)).Scan(&id, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("store: judge indicator: %w", err)
	}
	return id, title, nil
}

// judgeIndicator makes the indicator's task match its values: closed with
// the reason when no value is beyond the threshold any more, replaced when
// the value it names is no longer the breach, opened when there is a
// breach and no task.
func (db *DB) judgeIndicator(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, in *monitoring.Indicator, cause string) error {
	worst, err := worstBreach(ctx, tx, in)
	if err != nil {
		return err
	}
	id, title, err := openMonitoringTask(ctx, tx, p, in)
	if err != nil {
		return err
	}
	want := ""
	if worst != nil {
		want = breachTitle(in, worst.Period, worst.Group, worst.Value)
	}
	if id != 0 && title == want {
		return nil
	}
	if id != 0 {
		note := "No longer holds: " + cause + ", and no value is beyond the threshold now."
		if worst != nil {
			note = "Replaced: " + cause + "; the values were judged again and another task names the value now beyond the threshold."
		}
		if err := db.closeTask(ctx, tx, a, p, id, title, note); err != nil {
			return err
		}
	}
	if worst == nil {
		return nil
	}
	_, err = db.openTask(ctx, tx, a, p, "monitoring", want, indicatorSource(in), model.DateOf(db.now()).AddDays(14))
	return err
}

// closeIfNoBreach closes the indicator's task when none of its values is
// beyond the threshold.
func (db *DB) closeIfNoBreach(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, in *monitoring.Indicator, cause string) error {
	id, title, err := openMonitoringTask(ctx, tx, p, in)
	if err != nil || id == 0 {
		return err
	}
	worst, err := worstBreach(ctx, tx, in)
	if err != nil || worst != nil {
		return err
	}
	return db.closeTask(ctx, tx, a, p, id, title, "No longer holds: "+cause+".")
}

// closeTask marks a task done inside a larger change, keeping why.
func (db *DB) closeTask(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, id int64, title, note string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE tasks SET done_at = $1, done_note = $2 WHERE id = $3 AND purchase_id = $4", db.now(), note, id, p.ID); err != nil {
		return fmt.Errorf("store: close task: %w", err)
	}
	return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "task_closed", map[string]string{"task": strconv.FormatInt(id, 10), "title": title, "note": note})
}

// ClosedTask is a task that was done, with why.
type ClosedTask struct {
	Task
	Note   string
	DoneAt time.Time
}

// MonitoringTasks lists the tasks opened by a purchase's indicators, open
// ones first, then the newest closed ones with the reason they closed.
func (db *DB) MonitoringTasks(ctx context.Context, purchaseID int64, limit int) ([]ClosedTask, error) {
	return fetch(ctx, db, func(b *Batch, out *[]ClosedTask) { b.MonitoringTasks(purchaseID, limit, out) })
}

// MonitoringTasks queues the read of MonitoringTasks into out.
func (b *Batch) MonitoringTasks(purchaseID int64, limit int, out *[]ClosedTask) {
	b.read("monitoring tasks", `SELECT id, kind, title, source, due, done_note, done_at FROM tasks
		WHERE purchase_id = $1 AND kind = 'monitoring' AND source LIKE 'indicator:%'
		ORDER BY CASE WHEN done_at IS NULL THEN 0 ELSE 1 END, done_at DESC, id DESC LIMIT `+strconv.Itoa(limit), []any{purchaseID},
		appendRow(out, func(rs rowScanner) (t ClosedTask, err error) {
			t.PurchaseID = purchaseID
			var done sql.NullTime
			err = rs.Scan(&t.ID, &t.Kind, &t.Title, &t.Source, &t.Due, &t.Note, &done)
			t.Done, t.DoneAt = done.Valid, done.Time
			return t, err
		}))
}

// IndicatorFix is one indicator the startup check put back to its
// catalogue's terms.
type IndicatorFix struct {
	PurchaseID, IndicatorID int64
	CatalogID, Title        string
	Was, Now                monitoring.Terms
	// Problem says why the row was left as it was (a threshold that does
	// not fit the catalogue's unit): a person must correct it.
	Problem string
}

// RepairIndicators puts every indicator saved from a catalogue entry back
// to that entry's unit, direction and grouping (terms returns them, false
// for an id the catalogue no longer has, which is left alone). Each fix is
// audited with its reason and judges the indicator's values again, so
// tasks opened for good results close and bad results get one. The
// server runs it at start; it changes nothing the second time. A row that
// cannot be corrected is returned with its Problem and left unchanged.
func (db *DB) RepairIndicators(ctx context.Context, terms func(catalogID string) (monitoring.Terms, bool)) ([]IndicatorFix, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT i.id, i.purchase_id, i.catalog_id, i.title, i.unit, i.direction, i.target, i.threshold, i.by_group, i.mitigation
		FROM indicators i WHERE i.catalog_id <> '' ORDER BY i.id`)
	if err != nil {
		return nil, fmt.Errorf("store: repair indicators: %w", err)
	}
	var todo []*monitoring.Indicator
	for rows.Next() {
		in := &monitoring.Indicator{}
		var target, threshold sql.NullFloat64
		if err := rows.Scan(&in.ID, &in.PurchaseID, &in.CatalogID, &in.Title, &in.Unit, &in.Direction, &target, &threshold, &in.ByGroup, &in.Mitigation); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: repair indicators: %w", err)
		}
		if target.Valid {
			in.Target = &target.Float64
		}
		if threshold.Valid {
			in.Threshold = &threshold.Float64
		}
		if t, ok := terms(in.CatalogID); ok && in.Departs(t) {
			todo = append(todo, in)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: repair indicators: %w", err)
	}
	var out []IndicatorFix
	for _, in := range todo {
		t, _ := terms(in.CatalogID)
		fix := IndicatorFix{PurchaseID: in.PurchaseID, IndicatorID: in.ID, CatalogID: in.CatalogID, Title: in.Title,
			Was: monitoring.Terms{Unit: in.Unit, Direction: in.Direction, ByGroup: in.ByGroup}}
		in.Keep(t)
		fix.Now = monitoring.Terms{Unit: in.Unit, Direction: in.Direction, ByGroup: in.ByGroup}
		p, err := db.purchaseByID(ctx, in.PurchaseID)
		if err != nil {
			return out, err
		}
		if fe := in.Validate(); len(fe) > 0 {
			// A threshold that does not fit the catalogue's unit (over 100
			// for a percentage) cannot be saved as is: leave the row for a
			// person and say so.
			fix.Problem = fmt.Sprintf("%v", map[string]string(fe))
			out = append(out, fix)
			continue
		}
		err = db.tx(ctx, "repair indicator", func(tx *sql.Tx) error {
			return db.updateIndicator(ctx, tx, Actor{Label: "startup check"}, p, in, "corrected to the catalogue entry "+in.CatalogID+"'s unit, direction and grouping")
		})
		if err != nil {
			return out, err
		}
		out = append(out, fix)
	}
	return out, nil
}
