package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"buyright/internal/mail"
	"buyright/internal/model"
)

// queueMail adds a message to the outbox inside tx unless one with the
// same key is already there, so a reminder is queued once however often
// the worker looks.
func (db *DB) queueMail(ctx context.Context, q execer, key string, m mail.Message) (bool, error) {
	now := db.now()
	res, err := q.ExecContext(ctx, `INSERT INTO outbox (dedupe_key, to_addr, subject, body, created_at, next_try_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`, key, m.To, m.Subject, m.Body, now, now)
	if err != nil {
		return false, fmt.Errorf("store: queue mail: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// QueueMail adds one message to the outbox (once per key).
func (db *DB) QueueMail(ctx context.Context, key string, m mail.Message) (bool, error) {
	return db.queueMail(ctx, db.write, key, m)
}

// Reminder is one thing a person should be told about by e-mail. The
// words are composed elsewhere (internal/reminders), in the person's
// language; Key makes sure each is queued once.
type Reminder struct {
	Key        string
	Kind       string // review_due, review_overdue, sunset, task_overdue, complaint_ack, complaint_answer, escalation_soon, escalation_overdue; consult_invited, consult_reported, follow_version, follow_consultation, follow_finding (participation.go)
	To         string
	Lang       string // the language the person last chose; "" for the default
	PurchaseID int64
	Purchase   string // the purchase's title
	ObjectID   int64  // the review, task or complaint
	What       string // the review's kind, or the task's title
	Due        model.Date
}

// DueReminders lists the reminders due on day: reviews, renewal decisions
// and sunsets coming up within a week (or passed and not held), emergency
// measures nearing their sunset date and tasks past their due date, each
// to the purchase's lead; complaints past the time limits the body
// publishes, and escalated complaints whose account to the oversight body
// is due within three days or late, to its administrators and officers,
// without the complaint's words or who made it (those stay in buyright,
// behind sign-in).
func (db *DB) DueReminders(ctx context.Context, day time.Time) ([]Reminder, error) {
	today := model.DateOf(day)
	var out []Reminder
	open := "p.stage NOT IN ('closed', 'cancelled') AND u.disabled = FALSE"
	each := func(query string, args []any, scan func(rows *sql.Rows) (Reminder, bool, error)) error {
		rows, err := db.read.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("store: reminders: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			r, ok, err := scan(rows)
			if err != nil {
				return fmt.Errorf("store: reminders: %w", err)
			}
			if ok {
				out = append(out, r)
			}
		}
		return rows.Err()
	}
	err := each(`SELECT r.id, r.kind, r.due_on, p.id, p.title, u.email, u.lang FROM contract_reviews r
		JOIN purchases p ON p.id = r.purchase_id JOIN users u ON u.id = p.lead_user_id
		WHERE r.outcome = '' AND r.due_on <= $1 AND `+open, []any{today.AddDays(7)}, func(rows *sql.Rows) (Reminder, bool, error) {
		var r Reminder
		err := rows.Scan(&r.ObjectID, &r.What, &r.Due, &r.PurchaseID, &r.Purchase, &r.To, &r.Lang)
		id := strconv.FormatInt(r.ObjectID, 10)
		if r.Due.Before(today) {
			r.Kind, r.Key = "review_overdue", "review-overdue:"+id
		} else {
			r.Kind, r.Key = "review_due", "review:"+id+":"+r.Due.String()
		}
		return r, true, err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT p.id, p.title, p.sunset_date, u.email, u.lang FROM purchases p JOIN users u ON u.id = p.lead_user_id
		WHERE p.emergency = TRUE AND p.sunset_date IS NOT NULL AND p.sunset_date <= $1 AND `+open, []any{today.AddDays(14)}, func(rows *sql.Rows) (Reminder, bool, error) {
		r := Reminder{Kind: "sunset"}
		err := rows.Scan(&r.PurchaseID, &r.Purchase, &r.Due, &r.To, &r.Lang)
		r.Key = "sunset:" + strconv.FormatInt(r.PurchaseID, 10) + ":" + r.Due.String()
		return r, true, err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT t.id, t.title, t.due, p.id, p.title, u.email, u.lang FROM tasks t
		JOIN purchases p ON p.id = t.purchase_id JOIN users u ON u.id = p.lead_user_id
		WHERE t.done_at IS NULL AND t.due IS NOT NULL AND t.due < $1 AND `+open, []any{today}, func(rows *sql.Rows) (Reminder, bool, error) {
		r := Reminder{Kind: "task_overdue"}
		err := rows.Scan(&r.ObjectID, &r.What, &r.Due, &r.PurchaseID, &r.Purchase, &r.To, &r.Lang)
		r.Key = "task-overdue:" + strconv.FormatInt(r.ObjectID, 10)
		return r, true, err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT c.id, c.ack_due, c.answer_due, c.acknowledged_at IS NULL, u.email, u.lang FROM complaints c
		JOIN users u ON u.org_id = c.org_id AND u.disabled = FALSE AND u.role IN ('admin', 'officer')
		WHERE c.answered_at IS NULL AND c.status NOT IN ('closed', 'escalated')
		AND ((c.acknowledged_at IS NULL AND c.ack_due < $1) OR c.answer_due < $1)`, []any{today}, func(rows *sql.Rows) (Reminder, bool, error) {
		var r Reminder
		var ackDue, answerDue model.Date
		var unacked bool
		if err := rows.Scan(&r.ObjectID, &ackDue, &answerDue, &unacked, &r.To, &r.Lang); err != nil {
			return r, false, err
		}
		r.Kind, r.Due = "complaint_answer", answerDue
		if unacked && ackDue.Before(today) && !answerDue.Before(today) {
			r.Kind, r.Due = "complaint_ack", ackDue
		}
		r.Key = r.Kind + ":" + strconv.FormatInt(r.ObjectID, 10) + ":" + r.To
		return r, r.Due.Before(today), nil
	})
	if err != nil {
		return nil, err
	}
	// Escalated complaints: the body's account to the oversight body is due
	// within three days, or late.
	err = each(`SELECT c.id, e.answer_due, u.email, u.lang FROM complaint_escalations e JOIN complaints c ON c.id = e.complaint_id
		JOIN users u ON u.org_id = c.org_id AND u.disabled = FALSE AND u.role IN ('admin', 'officer')
		WHERE e.body_answered_at IS NULL AND e.decided_at IS NULL AND e.answer_due <= $1`, []any{today.AddDays(3)}, func(rows *sql.Rows) (Reminder, bool, error) {
		var r Reminder
		if err := rows.Scan(&r.ObjectID, &r.Due, &r.To, &r.Lang); err != nil {
			return r, false, err
		}
		r.Kind = "escalation_soon"
		if r.Due.Before(today) {
			r.Kind = "escalation_overdue"
		}
		r.Key = r.Kind + ":" + strconv.FormatInt(r.ObjectID, 10) + ":" + r.To
		return r, true, nil
	})
	if err != nil {
		return nil, err
	}
	// The deadlines of suppliers holding a contract, and published
	// documents whose redaction grounds lapsed (afteraward.go).
	more, err := db.afterAwardReminders(ctx, today)
	return append(out, more...), err
}

// ClaimMail returns messages due now and moves their next try past the
// lease, in one statement, so a second worker (another app server) skips
// them; a worker that dies mid-send leaves them to be tried again when
// the lease ends. On PostgreSQL the rows are claimed with FOR UPDATE SKIP
// LOCKED: two servers claiming at once take different messages, neither
// waits for the other; on SQLite the single writer does the same.
func (db *DB) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]mail.Queued, error) {
	now := db.now()
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := db.write.QueryContext(ctx, `UPDATE outbox SET next_try_at = $1 WHERE id IN (SELECT id FROM outbox
		WHERE sent_at IS NULL AND failed_at IS NULL AND next_try_at <= $2 ORDER BY next_try_at, id LIMIT `+strconv.Itoa(limit)+lock+`)
		RETURNING id, to_addr, subject, body, attempts`, now.Add(lease), now)
	if err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	defer rows.Close()
	var out []mail.Queued
	for rows.Next() {
		var q mail.Queued
		if err := rows.Scan(&q.ID, &q.To, &q.Subject, &q.Body, &q.Attempts); err != nil {
			return nil, fmt.Errorf("store: claim mail: %w", err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	slices.SortFunc(out, func(a, b mail.Queued) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// RunAlone runs fn unless another app server is running the job of the
// same name; it reports whether fn ran. On PostgreSQL a transaction holds
// an advisory lock for as long as fn runs (fn uses connections of its
// own); on SQLite one server writes at a time anyway, and fn runs.
func (db *DB) RunAlone(ctx context.Context, name string, fn func(ctx context.Context) error) (bool, error) {
	if db.dialect != Postgres {
		return true, fn(ctx)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: job %s: %w", name, err)
	}
	defer tx.Rollback()
	var got bool
	if err := tx.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock(7240002, hashtext(current_schema() || ':' || $1))", name).Scan(&got); err != nil {
		return false, fmt.Errorf("store: job %s: %w", name, err)
	}
	if !got {
		return false, nil
	}
	return true, fn(ctx)
}

// MailSent marks a message delivered.
func (db *DB) MailSent(ctx context.Context, id int64) error {
	if _, err := db.write.ExecContext(ctx, "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = '' WHERE id = $2", db.now(), id); err != nil {
		return fmt.Errorf("store: mail sent: %w", err)
	}
	return nil
}

// MailFailed records a failed delivery and when to try again; a zero
// retryAt gives the message up.
func (db *DB) MailFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	var err error
	if retryAt.IsZero() {
		_, err = db.write.ExecContext(ctx, "UPDATE outbox SET failed_at = $1, attempts = attempts + 1, last_error = $2 WHERE id = $3", db.now(), reason, id)
	} else {
		_, err = db.write.ExecContext(ctx, "UPDATE outbox SET next_try_at = $1, attempts = attempts + 1, last_error = $2 WHERE id = $3", retryAt.UTC().Truncate(time.Microsecond), reason, id)
	}
	if err != nil {
		return fmt.Errorf("store: mail failed: %w", err)
	}
	return nil
}

// OutboxEntry is a message as the outbox shows it to administrators.
type OutboxEntry struct {
	ID        int64
	To        string
	Subject   string
	Attempts  int
	LastError string
	Created   time.Time
	NextTry   time.Time
	Sent      sql.NullTime
	Failed    sql.NullTime
}

// Outbox lists the newest messages, for the administrators' view.
func (db *DB) Outbox(ctx context.Context, limit int) ([]OutboxEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, to_addr, subject, attempts, last_error, created_at, next_try_at, sent_at, failed_at
		FROM outbox ORDER BY id DESC LIMIT `+strconv.Itoa(limit))
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.ID, &e.To, &e.Subject, &e.Attempts, &e.LastError, &e.Created, &e.NextTry, &e.Sent, &e.Failed); err != nil {
			return nil, fmt.Errorf("store: outbox: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
