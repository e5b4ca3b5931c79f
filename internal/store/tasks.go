package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"buyright/internal/model"
)

// OpenTask adds work to do on a purchase, e.g. re-assessing its risks after
// a complaint.
func (db *DB) OpenTask(ctx context.Context, a Actor, p *model.Purchase, kind, title, source string, due model.Date) (int64, error) {
	var id int64
	err := db.tx(ctx, "task", func(tx *sql.Tx) error {
		var err error
		id, err = db.openTask(ctx, tx, a, p, kind, title, source, due)
		return err
	})
	return id, err
}

// openTask opens a task inside a change that has more to it (an amendment
// that widens scope, a measurement that breaches a threshold), so the task
// and its cause are saved together or not at all. A task with the same
// source still open is not opened twice.
func (db *DB) openTask(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, kind, title, source string, due model.Date) (int64, error) {
	var id int64
	if source != "" {
		err := tx.QueryRowContext(ctx, "SELECT id FROM tasks WHERE purchase_id = $1 AND source = $2 AND kind = $3 AND done_at IS NULL", p.ID, source, kind).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("store: task: %w", err)
		}
	}
	if err := tx.QueryRowContext(ctx, "INSERT INTO tasks (purchase_id, kind, title, source, due, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
		p.ID, kind, title, source, due, db.now()).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: task: %w", err)
	}
	return id, db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "task_opened", map[string]string{"kind": kind, "title": title, "source": source})
}

// CloseTask marks a purchase's task done with what was done about it.
func (db *DB) CloseTask(ctx context.Context, a Actor, p *model.Purchase, taskID int64, note string) error {
	note = model.CleanText(note)
	if len(note) > 4000 {
		return model.FieldErrors{"note": "invalid.too_long"}.Err()
	}
	return db.tx(ctx, "task", func(tx *sql.Tx) error {
		var title string
		err := tx.QueryRowContext(ctx, "SELECT title FROM tasks WHERE id = $1 AND purchase_id = $2 AND done_at IS NULL", taskID, p.ID).Scan(&title)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound("task")
		}
		if err != nil {
			return fmt.Errorf("store: task: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE tasks SET done_at = $1, done_note = $2 WHERE id = $3", db.now(), note, taskID); err != nil {
			return fmt.Errorf("store: task: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "task_closed", map[string]string{"task": strconv.FormatInt(taskID, 10), "title": title, "note": note})
	})
}

// Task is work to do on a purchase.
type Task struct {
	ID            int64
	PurchaseID    int64
	PurchaseTitle string
	OrgName       string // the body's name, in SignalTasks
	Kind, Title   string
	Source        string
	Due           model.Date
	Done          bool
}

// OpenTasks lists the open tasks on purchases u may see. Tasks are the
// body's own work (monitoring breaches, incidents, re-assessments...): a
// supplier invited to a purchase sees none of them, as it does not see
// them on the purchase page.
func (db *DB) OpenTasks(ctx context.Context, u *model.User, limit int) ([]Task, error) {
	return fetch(ctx, db, func(b *Batch, out *[]Task) { b.OpenTasks(u, limit, out) })
}

// OpenTasks queues the read of OpenTasks into out.
func (b *Batch) OpenTasks(u *model.User, limit int, out *[]Task) {
	if !seesRecords(u) {
		return
	}
	// CROSS JOIN: start from the few open tasks, not from every purchase.
	b.read("tasks", `SELECT t.id, t.purchase_id, p.title, t.kind, t.title, t.source, t.due FROM tasks t
		CROSS JOIN purchases p WHERE p.id = t.purchase_id AND t.done_at IS NULL AND `+visible(u, 1)+` ORDER BY t.due, t.id LIMIT `+strconv.Itoa(limit), []any{u.OrgID},
		appendRow(out, func(rs rowScanner) (t Task, err error) {
			return t, rs.Scan(&t.ID, &t.PurchaseID, &t.PurchaseTitle, &t.Kind, &t.Title, &t.Source, &t.Due)
		}))
}

// PurchaseTasks lists a purchase's open tasks.
func (db *DB) PurchaseTasks(ctx context.Context, purchaseID int64) ([]Task, error) {
	return fetch(ctx, db, func(b *Batch, out *[]Task) { b.PurchaseTasks(purchaseID, out) })
}

// PurchaseTasks queues the read of PurchaseTasks into out.
func (b *Batch) PurchaseTasks(purchaseID int64, out *[]Task) {
	b.read("tasks", `SELECT t.id, t.purchase_id, t.kind, t.title, t.source, t.due FROM tasks t
		WHERE t.purchase_id = $1 AND t.done_at IS NULL ORDER BY t.due, t.id`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (t Task, err error) {
			return t, rs.Scan(&t.ID, &t.PurchaseID, &t.Kind, &t.Title, &t.Source, &t.Due)
		}))
}

// SignalTasks lists, for an oversight body, the open tasks on purchases in
// its remit that say something went wrong after the contract: monitoring
// beyond a threshold or under four fifths, serious incidents, amendments
// that need a new screening, assessments re-opened. Newest first.
func (db *DB) SignalTasks(ctx context.Context, u *model.User, limit int) ([]Task, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT t.id, t.purchase_id, p.title, o.name, t.kind, t.title, t.source, t.due FROM tasks t
		CROSS JOIN purchases p JOIN organisations o ON o.id = p.org_id
		WHERE p.id = t.purchase_id AND t.done_at IS NULL AND t.kind IN ('monitoring', 'incident', 'rescreen', 'reassess') AND `+visible(u, 1)+`
		ORDER BY t.created_at DESC, t.id DESC LIMIT `+strconv.Itoa(limit), u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: signal tasks: %w", err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		var t Task
		if err := rows.Scan(&t.ID, &t.PurchaseID, &t.PurchaseTitle, &t.OrgName, &t.Kind, &t.Title, &t.Source, &t.Due); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
