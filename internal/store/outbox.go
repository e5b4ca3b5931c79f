package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
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

// reminder is one thing a person should be told about.
type reminder struct {
	key, to, subject, body string
}

// QueueReminders queues the e-mail reminders due on day: reviews, renewal
// decisions and sunsets coming up within a week (or passed and not held),
// emergency measures nearing their sunset date, and tasks past their due
// date, each to the purchase's lead, once per event; complaints past the
// published time limits, to the body's administrators and officers. The Learning
// Lab's weekly digests are queued here too.
func (db *DB) QueueReminders(ctx context.Context, day time.Time, baseURL string) (int, error) {
	today := model.DateOf(day)
	soon := today.AddDays(7)
	base := strings.TrimRight(baseURL, "/")
	var rs []reminder
	open := "p.stage NOT IN ('closed', 'cancelled') AND u.disabled = FALSE"
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, r.kind, r.due_on, p.id, p.title, u.email FROM contract_reviews r
		JOIN purchases p ON p.id = r.purchase_id JOIN users u ON u.id = p.lead_user_id
		WHERE r.outcome = '' AND r.due_on <= $1 AND `+open, soon)
	if err != nil {
		return 0, fmt.Errorf("store: reminders: %w", err)
	}
	for rows.Next() {
		var id, pid int64
		var kind, title, to string
		var due model.Date
		if err := rows.Scan(&id, &kind, &due, &pid, &title, &to); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: reminders: %w", err)
		}
		what := map[string]string{"review": "A review", "sunset": "The sunset of an emergency measure", "renewal": "A renewal decision"}[kind]
		link := fmt.Sprintf("%s/purchases/%d/reviews/%d", base, pid, id)
		if due.Before(today) {
			rs = append(rs, reminder{key: "review-overdue:" + strconv.FormatInt(id, 10), to: to,
				subject: "Overdue: " + strings.ToLower(what[:1]) + what[1:] + " of " + title,
				body:    fmt.Sprintf("%s of %q was due on %s and has not been recorded.\n\nRecord what it found and decided:\n%s\n", what, title, due, link)})
		} else {
			rs = append(rs, reminder{key: "review:" + strconv.FormatInt(id, 10) + ":" + due.String(), to: to,
				subject: "Due on " + due.String() + ": " + strings.ToLower(what[:1]) + what[1:] + " of " + title,
				body:    fmt.Sprintf("%s of %q is due on %s.\n\nPrepare the monitoring results, complaints and incidents since the last review, and record the outcome:\n%s\n", what, title, due, link)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT p.id, p.title, p.sunset_date, u.email FROM purchases p JOIN users u ON u.id = p.lead_user_id
		WHERE p.emergency = TRUE AND p.sunset_date IS NOT NULL AND p.sunset_date <= $1 AND `+open, today.AddDays(14))
	if err != nil {
		return 0, fmt.Errorf("store: reminders: %w", err)
	}
	for rows.Next() {
		var pid int64
		var title, to string
		var sunset model.Date
		if err := rows.Scan(&pid, &title, &sunset, &to); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: reminders: %w", err)
		}
		rs = append(rs, reminder{key: "sunset:" + strconv.FormatInt(pid, 10) + ":" + sunset.String(), to: to,
			subject: "Sunset on " + sunset.String() + ": " + title,
			body: fmt.Sprintf("%q is an emergency measure whose sunset date is %s. It must end then unless a review, with a fresh screening, decides otherwise.\n\n%s/purchases/%d/reviews\n",
				title, sunset, base, pid)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT t.id, t.title, t.due, p.id, p.title, u.email FROM tasks t
		JOIN purchases p ON p.id = t.purchase_id JOIN users u ON u.id = p.lead_user_id
		WHERE t.done_at IS NULL AND t.due IS NOT NULL AND t.due < $1 AND `+open, today)
	if err != nil {
		return 0, fmt.Errorf("store: reminders: %w", err)
	}
	for rows.Next() {
		var id, pid int64
		var task, title, to string
		var due model.Date
		if err := rows.Scan(&id, &task, &due, &pid, &title, &to); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: reminders: %w", err)
		}
		rs = append(rs, reminder{key: "task-overdue:" + strconv.FormatInt(id, 10), to: to,
			subject: "Overdue task on " + title,
			body:    fmt.Sprintf("The task %q on %q was due on %s and is still open.\n\n%s/purchases/%d#tasks\n", task, title, due, base, pid)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// Complaints past the time limits the body published: to the body's
	// administrators and officers, without the complaint's words or who
	// made it (those stay in buyright, behind sign-in).
	rows, err = db.read.QueryContext(ctx, `SELECT c.id, c.ack_due, c.answer_due, c.acknowledged_at IS NULL, u.email FROM complaints c
		JOIN users u ON u.org_id = c.org_id AND u.disabled = FALSE AND u.role IN ('admin', 'officer')
		WHERE c.answered_at IS NULL AND c.status NOT IN ('closed', 'escalated')
		AND ((c.acknowledged_at IS NULL AND c.ack_due < $1) OR c.answer_due < $1)`, today)
	if err != nil {
		return 0, fmt.Errorf("store: reminders: %w", err)
	}
	for rows.Next() {
		var id int64
		var ackDue, answerDue model.Date
		var unacked bool
		var to string
		if err := rows.Scan(&id, &ackDue, &answerDue, &unacked, &to); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: reminders: %w", err)
		}
		what, due, key := "answered", answerDue, "complaint-answer:"
		if unacked && ackDue.Before(today) && !answerDue.Before(today) {
			what, due, key = "acknowledged", ackDue, "complaint-ack:"
		}
		if !due.Before(today) {
			continue
		}
		rs = append(rs, reminder{key: key + strconv.FormatInt(id, 10) + ":" + to, to: to,
			subject: fmt.Sprintf("Complaint %d: past the time limit to be %s", id, what),
			body: fmt.Sprintf("Complaint %d should have been %s by %s, the time limit your organisation publishes.\n\nOpen it (sign-in needed):\n%s/complaints/%d\n",
				id, what, due, base, id)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n, err := db.queueLabDigests(ctx, day, baseURL)
	if err != nil {
		return 0, err
	}
	for _, r := range rs {
		added, err := db.QueueMail(ctx, r.key, mail.Message{To: r.to, Subject: r.subject, Body: r.body})
		if err != nil {
			return n, err
		}
		if added {
			n++
		}
	}
	return n, nil
}

// ClaimMail returns messages due now and moves their next try past the
// lease, so a second worker (another app server) skips them; a worker that
// dies mid-send leaves them to be tried again when the lease ends.
func (db *DB) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]mail.Queued, error) {
	now := db.now()
	rows, err := db.read.QueryContext(ctx, `SELECT id, to_addr, subject, body, attempts, next_try_at FROM outbox
		WHERE sent_at IS NULL AND failed_at IS NULL AND next_try_at <= $1 ORDER BY next_try_at, id LIMIT `+strconv.Itoa(limit), now)
	if err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	type cand struct {
		q    mail.Queued
		next time.Time
	}
	var cs []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.q.ID, &c.q.To, &c.q.Subject, &c.q.Body, &c.q.Attempts, &c.next); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: claim mail: %w", err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []mail.Queued
	for _, c := range cs {
		res, err := db.write.ExecContext(ctx, "UPDATE outbox SET next_try_at = $1 WHERE id = $2 AND next_try_at = $3 AND sent_at IS NULL", now.Add(lease), c.q.ID, c.next)
		if err != nil {
			return nil, fmt.Errorf("store: claim mail: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			out = append(out, c.q)
		}
	}
	return out, nil
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
