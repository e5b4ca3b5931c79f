package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"buyright/internal/model"
	"buyright/internal/retention"
)

// The retention schedule: what the site administrator set, and the job
// that deletes what is past its period. The audit log records each
// deletion by kind and count only. It stays verifiable because no audit
// row ever held what the job deletes: complaint rows are logged with
// their status, outcome and purchase, consultation responses with their
// kind, attachments not at all, and the outbox is not logged; nothing here
// touches an audit row.

// RetentionSetting is the period in force for one kind of record.
type RetentionSetting struct {
	Kind    string
	Days    int
	Default bool // no one set it: the catalogue's default
	SetBy   string
	SetAt   time.Time
}

// RetentionSchedule returns the period in force for every settable kind,
// in the catalogue's order.
func (db *DB) RetentionSchedule(ctx context.Context) ([]RetentionSetting, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.kind, r.days, COALESCE(u.email, ''), r.set_at
		FROM retention_settings r LEFT JOIN users u ON u.id = r.set_by`)
	if err != nil {
		return nil, fmt.Errorf("store: retention schedule: %w", err)
	}
	defer rows.Close()
	set := map[string]RetentionSetting{}
	for rows.Next() {
		var s RetentionSetting
		if err := rows.Scan(&s.Kind, &s.Days, &s.SetBy, &s.SetAt); err != nil {
			return nil, fmt.Errorf("store: retention schedule: %w", err)
		}
		set[s.Kind] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: retention schedule: %w", err)
	}
	var out []RetentionSetting
	for _, k := range retention.Default.Kinds {
		s, ok := set[k.ID]
		if !ok {
			s = RetentionSetting{Kind: k.ID, Days: k.Default, Default: true}
		}
		out = append(out, s)
	}
	return out, nil
}

// SetRetention sets how many days a kind of record is kept. The number is
// checked against the catalogue's bounds here too, so no caller can store
// a period the law or policy forbids.
func (db *DB) SetRetention(ctx context.Context, a Actor, kind string, days int) error {
	k, ok := retention.Default.Kind(kind)
	if !ok {
		return model.Errorf(model.EInvalid, "retention.unknown_kind", "unknown kind of record %q", kind)
	}
	if days < k.Min {
		return &retention.OutOfBounds{Kind: kind, Days: days, Bound: k.Min, Below: true}
	}
	if days > k.Max {
		return &retention.OutOfBounds{Kind: kind, Days: days, Bound: k.Max}
	}
	return db.tx(ctx, "set retention", func(tx *sql.Tx) error {
		old := k.Default
		err := tx.QueryRowContext(ctx, "SELECT days FROM retention_settings WHERE kind = $1", kind).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: set retention: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO retention_settings (kind, days, set_by, set_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (kind) DO UPDATE SET days = excluded.days, set_by = excluded.set_by, set_at = excluded.set_at`,
			kind, days, nullID(a.UserID), db.now()); err != nil {
			return fmt.Errorf("store: set retention: %w", err)
		}
		return db.appendAudit(ctx, tx, a, 0, "installation", 0, "retention_set", map[string]any{"kind": kind, "days": Change{old, days}})
	})
}

// RetentionDeleted is what one run deleted or erased, by kind.
type RetentionDeleted map[string]int64

// ErrRetentionBusy means another server is applying the schedule now.
var ErrRetentionBusy = errors.New("another server is applying the retention schedule")

// ApplyRetention deletes or erases every record past its kind's period, in
// one transaction, and writes one audit row per kind that lost anything:
// the kind, how many, and the cut-off, never what was deleted. On
// PostgreSQL a transaction-scoped advisory lock lets one server run it at
// a time; the others get ErrRetentionBusy and try again at their next
// turn. On SQLite the write transaction is already exclusive.
func (db *DB) ApplyRetention(ctx context.Context) (RetentionDeleted, error) {
	sched, err := db.RetentionSchedule(ctx)
	if err != nil {
		return nil, err
	}
	now := db.now()
	today := model.DateOf(now)
	done := RetentionDeleted{}
	err = db.tx(ctx, "apply retention", func(tx *sql.Tx) error {
		if db.dialect == Postgres {
			var got bool
			if err := tx.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock(7240025, hashtext(current_schema()))").Scan(&got); err != nil {
				return fmt.Errorf("store: retention lock: %w", err)
			}
			if !got {
				return ErrRetentionBusy
			}
		}
		for _, s := range sched {
			cutoff := now.AddDate(0, 0, -s.Days)
			n, err := applyKind(ctx, tx, s.Kind, cutoff, today)
			if err != nil {
				return fmt.Errorf("store: retention of %s: %w", s.Kind, err)
			}
			if n == 0 {
				continue
			}
			done[s.Kind] = n
			if err := db.appendAudit(ctx, tx, System, 0, "installation", 0, "retention_deleted",
				map[string]any{"kind": s.Kind, "count": n, "days": s.Days, "before": cutoff.Format(time.RFC3339)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return done, nil
}

// applyKind deletes or erases one kind's records older than cutoff and
// says how many records lost something.
func applyKind(ctx context.Context, tx *sql.Tx, kind string, cutoff time.Time, today model.Date) (int64, error) {
	var res sql.Result
	var err error
	switch kind {
	case retention.Outbox:
		res, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1)
			OR (failed_at IS NOT NULL AND failed_at < $1)`, cutoff)
	case retention.ComplaintIdentity:
		res, err = tx.ExecContext(ctx, `UPDATE complaints SET identity = NULL, identity_erased_on = $1
			WHERE identity IS NOT NULL AND status = 'closed' AND closed_at < $2`, today, cutoff)
	case retention.ComplaintFiles:
		// The complaints are marked first, while their files still show
		// which ones had any; the count is of files.
		if _, err = tx.ExecContext(ctx, `UPDATE complaints SET files_erased_on = $1
			WHERE status = 'closed' AND closed_at < $2 AND EXISTS (SELECT 1 FROM complaint_files f WHERE f.complaint_id = complaints.id)`,
			today, cutoff); err != nil {
			return 0, err
		}
		res, err = tx.ExecContext(ctx, `DELETE FROM complaint_files WHERE complaint_id IN
			(SELECT id FROM complaints WHERE status = 'closed' AND closed_at < $1)`, cutoff)
	case retention.ConsultationIdentity:
		res, err = tx.ExecContext(ctx, `UPDATE consultation_responses SET identity = NULL, identity_erased_on = $1
			WHERE identity IS NOT NULL AND consultation_id IN
			(SELECT id FROM consultations WHERE status = 'reported' AND reported_at < $2)`, today, cutoff)
	default:
		return 0, fmt.Errorf("no deletion known for %q", kind)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
