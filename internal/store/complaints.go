package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"buyright/internal/grievance"
	"buyright/internal/model"
)

// Complaint is one case in the complaints channel.
type Complaint struct {
	ID             int64
	OrgID          int64
	OrgName        string
	PurchaseID     int64
	PurchaseTitle  string
	Service        string
	Body           string
	Identity       []byte // sealed name and contact; nil when anonymous
	Lookup         string
	CodeHash       string
	Status         grievance.Status
	Outcome        grievance.Outcome
	ReceivedAt     time.Time
	AcknowledgedAt *time.Time
	AnsweredAt     *time.Time
	ClosedAt       *time.Time
	EscalatedAt    *time.Time
	AckDue         model.Date
	AnswerDue      model.Date
	// IdentityErasedOn and FilesErasedOn are the days the retention
	// schedule erased the complainant's name and the attachments.
	IdentityErasedOn model.Date
	FilesErasedOn    model.Date
}

// Overdue reports whether a time limit has passed without the step done.
func (c *Complaint) Overdue(today model.Date) bool {
	if c.Status == grievance.Closed {
		return false
	}
	if c.AcknowledgedAt == nil && c.Status == grievance.Received && c.AckDue.Before(today) {
		return true
	}
	return c.AnsweredAt == nil && c.AnswerDue.Before(today)
}

// ComplaintMessage is one message in a case, from the person or the body.
type ComplaintMessage struct {
	ID       int64
	FromBody bool
	Author   string
	Body     string
	At       time.Time
}

// ComplaintFile is an attachment: give Data or the SHA256 of a stored
// blob to add one; reading fills SHA256 and Size, never Data.
type ComplaintFile struct {
	ID     int64
	Name   string
	CType  string
	Data   []byte
	SHA256 string
	Size   int64
}

// ComplaintPolicy is the time limits a body publishes.
type ComplaintPolicy struct {
	AckDays, AnswerDays int
}

// DefaultPolicy applies until a body sets its own.
var DefaultPolicy = ComplaintPolicy{AckDays: 5, AnswerDays: 30}

// ComplaintPolicy returns a body's published time limits.
func (db *DB) ComplaintPolicy(ctx context.Context, orgID int64) (ComplaintPolicy, error) {
	p := DefaultPolicy
	err := db.read.QueryRowContext(ctx, "SELECT ack_days, answer_days FROM complaint_policies WHERE org_id = $1", orgID).Scan(&p.AckDays, &p.AnswerDays)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultPolicy, nil
	}
	return p, err
}

// SetComplaintPolicy publishes a body's time limits.
func (db *DB) SetComplaintPolicy(ctx context.Context, a Actor, orgID int64, p ComplaintPolicy) error {
	fe := model.FieldErrors{}
	if p.AckDays < 1 || p.AckDays > 60 {
		fe.Add("ack_days", "invalid.days")
	}
	if p.AnswerDays < p.AckDays || p.AnswerDays > 180 {
		fe.Add("answer_days", "invalid.days")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.tx(ctx, "complaint policy", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO complaint_policies (org_id, ack_days, answer_days) VALUES ($1, $2, $3)
			ON CONFLICT (org_id) DO UPDATE SET ack_days = excluded.ack_days, answer_days = excluded.answer_days`, orgID, p.AckDays, p.AnswerDays); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, orgID, "organisation", orgID, "complaint_policy", map[string]int{"ack_days": p.AckDays, "answer_days": p.AnswerDays})
	})
}

// CreateComplaint files a complaint. The caller has hashed the receipt code
// and sealed the identity; the complaint's own text is kept in clear so the
// body can read it, and attachments go in the same transaction.
func (db *DB) CreateComplaint(ctx context.Context, c *Complaint, files []ComplaintFile) error {
	pol, err := db.ComplaintPolicy(ctx, c.OrgID)
	if err != nil {
		return err
	}
	now := db.now()
	today := model.DateOf(now)
	c.Status, c.ReceivedAt = grievance.Received, now
	c.AckDue, c.AnswerDue = today.AddDays(pol.AckDays), today.AddDays(pol.AnswerDays)
	return db.tx(ctx, "complaint", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO complaints (org_id, purchase_id, service, body, identity, lookup, code_hash, status, received_at, ack_due, answer_due)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			c.OrgID, nullID(c.PurchaseID), c.Service, c.Body, c.Identity, c.Lookup, c.CodeHash, c.Status, now, c.AckDue, c.AnswerDue).Scan(&c.ID); err != nil {
			return fmt.Errorf("store: complaint: %w", err)
		}
		for _, f := range files {
			b, err := db.blobFor(ctx, tx, f.Data, f.SHA256)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO complaint_files (complaint_id, name, ctype, sha256, size, at) VALUES ($1, $2, $3, $4, $5, $6)",
				c.ID, f.Name, f.CType, b.SHA256, b.Size, now); err != nil {
				return fmt.Errorf("store: complaint file: %w", err)
			}
		}
		// The audit row says that a complaint arrived, never who sent it.
		return db.appendAudit(ctx, tx, Actor{Label: "public"}, c.OrgID, "complaint", c.ID, "received", map[string]any{"purchase_id": c.PurchaseID})
	})
}

// SetComplaintIdentity stores the sealed identity once the id is known (the
// id is bound into the ciphertext).
func (db *DB) SetComplaintIdentity(ctx context.Context, id int64, sealed []byte) error {
	_, err := db.write.ExecContext(ctx, "UPDATE complaints SET identity = $1 WHERE id = $2", sealed, id)
	return err
}

const complaintColumns = `c.id, c.org_id, o.name, COALESCE(c.purchase_id, 0), COALESCE(p.title, ''), c.service, c.body, c.identity,
	c.lookup, c.code_hash, c.status, c.outcome, c.received_at, c.acknowledged_at, c.answered_at, c.closed_at, c.escalated_at, c.ack_due, c.answer_due,
	c.identity_erased_on, c.files_erased_on`

const complaintFrom = ` FROM complaints c JOIN organisations o ON o.id = c.org_id LEFT JOIN purchases p ON p.id = c.purchase_id`

func scanComplaint(row rowScanner) (*Complaint, error) {
	c := &Complaint{}
	var ack, ans, closed, esc sql.NullTime
	err := row.Scan(&c.ID, &c.OrgID, &c.OrgName, &c.PurchaseID, &c.PurchaseTitle, &c.Service, &c.Body, &c.Identity,
		&c.Lookup, &c.CodeHash, &c.Status, &c.Outcome, &c.ReceivedAt, &ack, &ans, &closed, &esc, &c.AckDue, &c.AnswerDue,
		&c.IdentityErasedOn, &c.FilesErasedOn)
	for _, x := range []struct {
		n   sql.NullTime
		dst **time.Time
	}{{ack, &c.AcknowledgedAt}, {ans, &c.AnsweredAt}, {closed, &c.ClosedAt}, {esc, &c.EscalatedAt}} {
		if x.n.Valid {
			t := x.n.Time
			*x.dst = &t
		}
	}
	return c, err
}

// ComplaintsByLookup returns the complaints whose code starts with lookup;
// the caller checks the code against each hash.
func (db *DB) ComplaintsByLookup(ctx context.Context, lookup string) ([]*Complaint, error) {
	return db.complaints(ctx, "SELECT "+complaintColumns+complaintFrom+" WHERE c.lookup = $1", lookup)
}

// complaints runs a query over complaintColumns and collects the rows.
func (db *DB) complaints(ctx context.Context, q string, args ...any) ([]*Complaint, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: complaints: %w", err)
	}
	defer rows.Close()
	var out []*Complaint
	for rows.Next() {
		c, err := scanComplaint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// complaintVisible is the condition for the complaints u may see: all of
// their own body's, and for an oversight body those escalated by a body in
// its remit. Nobody else sees anything of a complaint.
func complaintVisible(u *model.User, n int) string {
	switch {
	case u == nil || u.Org == nil || u.Disabled:
		return fmt.Sprintf("(c.org_id = $%d AND 1 = 0)", n)
	case u.Org.Kind == model.OrgPublicBody && u.Role != model.RoleViewer:
		return fmt.Sprintf("c.org_id = $%d", n)
	case u.Org.Kind == model.OrgOversight && u.Role != model.RoleViewer:
		return fmt.Sprintf("(c.escalated_at IS NOT NULL AND c.org_id IN (SELECT org_id FROM oversight_remits WHERE oversight_org_id = $%d))", n)
	}
	return fmt.Sprintf("(c.org_id = $%d AND 1 = 0)", n)
}

// ComplaintFor returns a complaint u may see, else not found.
func (db *DB) ComplaintFor(ctx context.Context, u *model.User, id int64) (*Complaint, error) {
	c, err := scanComplaint(db.read.QueryRowContext(ctx, "SELECT "+complaintColumns+complaintFrom+" WHERE c.id = $2 AND "+complaintVisible(u, 1), u.OrgID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("complaint")
	}
	return c, err
}

// ComplaintsFor lists the complaints u may see, open ones first.
func (db *DB) ComplaintsFor(ctx context.Context, u *model.User, status string, limit int) ([]*Complaint, error) {
	return fetch(ctx, db, func(b *Batch, out *[]*Complaint) { b.ComplaintsFor(u, status, limit, out) })
}

// ComplaintsFor queues the read of ComplaintsFor into out.
func (b *Batch) ComplaintsFor(u *model.User, status string, limit int, out *[]*Complaint) {
	q := "SELECT " + complaintColumns + complaintFrom + " WHERE " + complaintVisible(u, 1)
	args := []any{u.OrgID}
	if status != "" {
		q += " AND c.status = $2"
		args = append(args, status)
	}
	q += fmt.Sprintf(" ORDER BY CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END, c.answer_due, c.id LIMIT %d", limit)
	b.read("complaints", q, args, appendRow(out, scanComplaint))
}

// MoveComplaint changes a case's status (and outcome), stamping the time
// of each step for the published statistics.
func (db *DB) MoveComplaint(ctx context.Context, a Actor, c *Complaint, to grievance.Status, outcome grievance.Outcome) error {
	if !grievance.CanMove(c.Status, to) {
		return model.FieldErrors{"status": "invalid.choice"}.Err()
	}
	if !grievance.ValidOutcome(outcome) || ((to == grievance.Answered || to == grievance.Closed) && outcome == "" && c.Outcome == "") {
		return model.FieldErrors{"outcome": "invalid.outcome"}.Err()
	}
	if outcome == "" {
		outcome = c.Outcome
	}
	// Each step's first time is kept: statistics count from it.
	stamp := map[grievance.Status]string{grievance.Acknowledged: "acknowledged_at", grievance.Answered: "answered_at", grievance.Closed: "closed_at", grievance.Escalated: "escalated_at"}[to]
	q := "UPDATE complaints SET status = $1, outcome = $2 WHERE id = $3 AND status = $4"
	args := []any{to, outcome, c.ID, c.Status}
	if stamp != "" {
		q = "UPDATE complaints SET status = $1, outcome = $2, " + stamp + " = COALESCE(" + stamp + ", $5) WHERE id = $3 AND status = $4"
		args = append(args, db.now())
	}
	return db.tx(ctx, "complaint status", func(tx *sql.Tx) error {
		// The oversight body has the last word on an escalated case: the
		// body cannot close it before the decision is recorded.
		var pending, escalations int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*), COUNT(*) - COUNT(decided_at) FROM complaint_escalations WHERE complaint_id = $1", c.ID).Scan(&escalations, &pending); err != nil {
			return fmt.Errorf("store: complaint status: %w", err)
		}
		if to == grievance.Closed && pending > 0 {
			return model.FieldErrors{"status": "escalation.err.close_undecided"}.Err()
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: complaint status: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.Errorf(model.EConflict, "error.stale_complaint", "the case changed meanwhile; reload it")
		}
		// The body refers the case itself: the oversight body gets it the
		// same way as when the person escalates, with the same time limit
		// for the body's account.
		if to == grievance.Escalated && escalations == 0 {
			if err := db.insertEscalation(ctx, tx, c, grievance.ByBody, grievance.GroundReferred, "", db.now()); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a, c.OrgID, "complaint", c.ID, "status", map[string]any{"status": Change{c.Status, to}, "outcome": outcome})
	})
}

// AddComplaintMessage adds a message to a case, from the person (a == nil
// actor label "public") or from the body.
func (db *DB) AddComplaintMessage(ctx context.Context, a Actor, c *Complaint, fromBody bool, author, body string) error {
	body = model.CleanText(body)
	if body == "" {
		return model.FieldErrors{"message": "invalid.required"}.Err()
	}
	if model.TooLong(body, 10000) {
		return model.FieldErrors{"message": "invalid.too_long"}.Err()
	}
	return db.tx(ctx, "complaint message", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO complaint_messages (complaint_id, from_body, author, body, at) VALUES ($1, $2, $3, $4, $5)",
			c.ID, fromBody, author, body, db.now()); err != nil {
			return fmt.Errorf("store: complaint message: %w", err)
		}
		return db.appendAudit(ctx, tx, a, c.OrgID, "complaint", c.ID, "message", map[string]any{"from_body": fromBody})
	})
}

// ComplaintMessages lists a case's messages, oldest first.
func (db *DB) ComplaintMessages(ctx context.Context, complaintID int64) ([]ComplaintMessage, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, from_body, author, body, at FROM complaint_messages WHERE complaint_id = $1 ORDER BY id", complaintID)
	if err != nil {
		return nil, fmt.Errorf("store: complaint messages: %w", err)
	}
	defer rows.Close()
	var out []ComplaintMessage
	for rows.Next() {
		var m ComplaintMessage
		if err := rows.Scan(&m.ID, &m.FromBody, &m.Author, &m.Body, &m.At); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ComplaintFiles lists a case's attachments without their data.
func (db *DB) ComplaintFiles(ctx context.Context, complaintID int64) ([]ComplaintFile, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, name, ctype FROM complaint_files WHERE complaint_id = $1 ORDER BY id", complaintID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ComplaintFile
	for rows.Next() {
		var f ComplaintFile
		if err := rows.Scan(&f.ID, &f.Name, &f.CType); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ComplaintFile returns one attachment, to stream its blob.
func (db *DB) ComplaintFile(ctx context.Context, complaintID, fileID int64) (*ComplaintFile, error) {
	f := &ComplaintFile{ID: fileID}
	err := db.read.QueryRowContext(ctx, "SELECT name, ctype, sha256, size FROM complaint_files WHERE id = $1 AND complaint_id = $2", fileID, complaintID).Scan(&f.Name, &f.CType, &f.SHA256, &f.Size)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("file")
	}
	return f, err
}

// ComplaintStats are the public figures of a purchase's complaints.
type ComplaintStats struct {
	Received, Answered, AnsweredInTime, Upheld, Open int
}

// ComplaintStats counts a purchase's complaints for its public entry. "In
// time" means answered on or before the due day the body published.
func (db *DB) ComplaintStats(ctx context.Context, purchaseID int64) (ComplaintStats, error) {
	return fetch(ctx, db, func(b *Batch, out *ComplaintStats) { b.ComplaintStats(purchaseID, out) })
}

// ComplaintStats queues the count of ComplaintStats into s.
func (b *Batch) ComplaintStats(purchaseID int64, s *ComplaintStats) {
	b.read("complaint statistics", "SELECT answered_at, answer_due, outcome, status FROM complaints WHERE purchase_id = $1", []any{purchaseID}, func(rs rowScanner) error {
		var answered sql.NullTime
		var due model.Date
		var outcome, status string
		if err := rs.Scan(&answered, &due, &outcome, &status); err != nil {
			return err
		}
		s.Received++
		if answered.Valid {
			s.Answered++
			if !due.Before(model.DateOf(answered.Time)) {
				s.AnsweredInTime++
			}
		}
		if outcome == string(grievance.Upheld) || outcome == string(grievance.PartlyUpheld) {
			s.Upheld++
		}
		if status != string(grievance.Closed) {
			s.Open++
		}
		return nil
	})
}
