package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/grievance"
	"buyright/internal/model"
)

// Escalation is a complaint taken to the oversight bodies whose remit
// covers the body, with the body's account and the oversight body's
// decision.
type Escalation struct {
	ID             int64
	ComplaintID    int64
	RaisedBy       string // grievance.ByComplainant or grievance.ByBody
	Ground         string // grievance.Ground...
	Reason         string // the person's words (empty for a body's referral)
	RaisedAt       time.Time
	AnswerDue      model.Date // the body answers the oversight body by then
	BodyAnswer     string
	BodyAnsweredAt *time.Time
	BodyAnsweredBy string
	Decision       string // "" until decided
	DecisionText   string
	PublicText     string // the decision as the register shows it, naming no one
	Reopen         bool   // the decision asked the body to re-open the assessment
	DecidedOrg     string
	DecidedBy      string
	DecidedAt      *time.Time
}

// Overdue reports whether the body's answer to the oversight body is late.
func (e *Escalation) Overdue(today model.Date) bool {
	return e.BodyAnsweredAt == nil && e.DecidedAt == nil && e.AnswerDue.Before(today)
}

// Decided reports whether the oversight body recorded its decision.
func (e *Escalation) Decided() bool { return e.DecidedAt != nil }

const escalationColumns = `e.id, e.complaint_id, e.raised_by, e.ground, e.reason, e.raised_at, e.answer_due, e.body_answer, e.body_answered_at,
	COALESCE(NULLIF(ba.name, ''), ba.email, ''), e.decision, e.decision_text, COALESCE(o.name, ''), COALESCE(NULLIF(dd.name, ''), dd.email, ''), e.decided_at,
	e.public_text, e.reopen`

const escalationFrom = ` FROM complaint_escalations e LEFT JOIN users ba ON ba.id = e.body_answered_by
	LEFT JOIN organisations o ON o.id = e.decided_org_id LEFT JOIN users dd ON dd.id = e.decided_by`

func scanEscalation(row rowScanner, extra ...any) (*Escalation, error) {
	e := &Escalation{}
	var answered, decided sql.NullTime
	dest := append([]any{&e.ID, &e.ComplaintID, &e.RaisedBy, &e.Ground, &e.Reason, &e.RaisedAt, &e.AnswerDue, &e.BodyAnswer, &answered,
		&e.BodyAnsweredBy, &e.Decision, &e.DecisionText, &e.DecidedOrg, &e.DecidedBy, &decided, &e.PublicText, &e.Reopen}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if answered.Valid {
		t := answered.Time
		e.BodyAnsweredAt = &t
	}
	if decided.Valid {
		t := decided.Time
		e.DecidedAt = &t
	}
	return e, nil
}

// Escalation returns a complaint's escalation, or nil when it has none.
func (db *DB) Escalation(ctx context.Context, complaintID int64) (*Escalation, error) {
	e, err := scanEscalation(db.read.QueryRowContext(ctx, "SELECT "+escalationColumns+escalationFrom+" WHERE e.complaint_id = $1", complaintID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: escalation: %w", err)
	}
	return e, nil
}

// Overseers names the oversight bodies whose remit covers a body: where
// its complaints are escalated.
func (db *DB) Overseers(ctx context.Context, orgID int64) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT o.name FROM oversight_remits r JOIN organisations o ON o.id = r.oversight_org_id
		WHERE r.org_id = $1 ORDER BY o.name`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: overseers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// insertEscalation records an escalation inside a change of the case.
func (db *DB) insertEscalation(ctx context.Context, tx *sql.Tx, c *Complaint, by, ground, reason string, now time.Time) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM oversight_remits WHERE org_id = $1", c.OrgID).Scan(&n); err != nil {
		return fmt.Errorf("store: escalation: %w", err)
	}
	if n == 0 {
		return model.FieldErrors{"ground": "escalation.err.no_overseer"}.Err()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO complaint_escalations (complaint_id, raised_by, ground, reason, raised_at, answer_due)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.ID, by, ground, reason, now, model.DateOf(now).AddDays(grievance.EscalationAnswerDays))
	if uniqueViolation(err) {
		return model.FieldErrors{"ground": "escalation.err.already"}.Err()
	}
	if err != nil {
		return fmt.Errorf("store: escalation: %w", err)
	}
	return nil
}

// EscalateByComplainant takes a complaint to the oversight body on the
// person's request, made with their receipt code: when the body's time
// limit passed without an answer, or the person is dissatisfied with the
// answer, with their reason. The case becomes escalated (a closed one is
// opened again) and the body owes the oversight body its account within
// grievance.EscalationAnswerDays.
func (db *DB) EscalateByComplainant(ctx context.Context, c *Complaint, ground, reason string) error {
	reason = model.CleanText(reason)
	now := db.now()
	fe := model.FieldErrors{}
	switch {
	case ground != grievance.GroundTimeLimit && ground != grievance.GroundDissatisfied:
		fe.Add("ground", "invalid.choice")
	case !grievance.GroundHolds(ground, c.AnsweredAt != nil, c.Overdue(model.DateOf(now))):
		fe.Add("ground", "escalation.err.ground_"+ground)
	}
	switch {
	case reason == "":
		fe.Add("reason", "invalid.required")
	case model.TooLong(reason, 5000):
		fe.Add("reason", "invalid.too_long")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.tx(ctx, "escalate complaint", func(tx *sql.Tx) error {
		if err := db.insertEscalation(ctx, tx, c, grievance.ByComplainant, ground, reason, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE complaints SET status = $1, escalated_at = COALESCE(escalated_at, $2) WHERE id = $3 AND status = $4",
			grievance.Escalated, now, c.ID, c.Status)
		if err != nil {
			return fmt.Errorf("store: escalate complaint: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.Errorf(model.EConflict, "error.stale_complaint", "the case changed meanwhile; reload it")
		}
		// Who escalated and on what ground; never the person's words.
		return db.appendAudit(ctx, tx, Actor{Label: "public"}, c.OrgID, "complaint", c.ID, "escalated",
			map[string]any{"by": grievance.ByComplainant, "ground": ground, "status": Change{c.Status, grievance.Escalated}})
	})
}

// AnswerEscalation records the body's account to the oversight body, once.
func (db *DB) AnswerEscalation(ctx context.Context, a Actor, c *Complaint, text string) error {
	text = model.CleanText(text)
	switch {
	case text == "":
		return model.FieldErrors{"body_answer": "invalid.required"}.Err()
	case model.TooLong(text, 10000):
		return model.FieldErrors{"body_answer": "invalid.too_long"}.Err()
	}
	return db.tx(ctx, "answer escalation", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE complaint_escalations SET body_answer = $1, body_answered_at = $2, body_answered_by = $3
			WHERE complaint_id = $4 AND body_answered_at IS NULL AND decided_at IS NULL`, text, db.now(), nullID(a.UserID), c.ID)
		if err != nil {
			return fmt.Errorf("store: answer escalation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.FieldErrors{"body_answer": "escalation.err.answered"}.Err()
		}
		return db.appendAudit(ctx, tx, a, c.OrgID, "complaint", c.ID, "escalation_answered", nil)
	})
}

// DecideEscalation records the oversight body's decision on an escalated
// complaint, once. u must speak for an oversight body whose remit covers
// the complaint's body.
func (db *DB) DecideEscalation(ctx context.Context, a Actor, u *model.User, c *Complaint, d EscalationDecision) error {
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgOversight || u.Role == model.RoleViewer || u.Disabled {
		return model.Forbidden()
	}
	d.Text, d.Public = model.CleanText(d.Text), model.CleanText(d.Public)
	fe := model.FieldErrors{}
	if !grievance.ValidDecision(d.Decision) {
		fe.Add("decision", "invalid.choice")
	}
	switch {
	case d.Text == "":
		fe.Add("decision_text", "invalid.required")
	case model.TooLong(d.Text, 10000):
		fe.Add("decision_text", "invalid.too_long")
	}
	switch {
	case d.Public == "":
		fe.Add("decision_public", "invalid.required")
	case model.TooLong(d.Public, 5000):
		fe.Add("decision_public", "invalid.too_long")
	}
	if d.Reopen && c.PurchaseID == 0 {
		fe.Add("reopen", "escalation.err.no_purchase")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.tx(ctx, "decide escalation", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM oversight_remits WHERE oversight_org_id = $1 AND org_id = $2", u.OrgID, c.OrgID).Scan(&n); err != nil {
			return fmt.Errorf("store: decide escalation: %w", err)
		}
		if n == 0 {
			return model.Forbidden()
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE complaint_escalations SET decision = $1, decision_text = $2, decided_org_id = $3, decided_by = $4, decided_at = $5,
			public_text = $7, reopen = $8 WHERE complaint_id = $6 AND decided_at IS NULL`, d.Decision, d.Text, u.OrgID, u.ID, now, c.ID, d.Public, d.Reopen)
		if err != nil {
			return fmt.Errorf("store: decide escalation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.FieldErrors{"decision": "escalation.err.decided"}.Err()
		}
		if err := db.appendAudit(ctx, tx, a, c.OrgID, "complaint", c.ID, "escalation_decided", map[string]any{"decision": d.Decision, "oversight_org": u.OrgID, "reopen": d.Reopen}); err != nil {
			return err
		}
		if c.PurchaseID == 0 || (!grievance.Upholds(d.Decision) && !d.Reopen) {
			return nil
		}
		// What the decision sets in motion on the purchase, in the same
		// transaction: a task to put right what was upheld, and, where the
		// decision says so, a new draft of the assessment to re-open it.
		var p model.Purchase
		if err := tx.QueryRowContext(ctx, "SELECT id, org_id, title FROM purchases WHERE id = $1", c.PurchaseID).Scan(&p.ID, &p.OrgID, &p.Title); err != nil {
			return fmt.Errorf("store: decide escalation: %w", err)
		}
		due := model.DateOf(now).AddDays(30)
		if grievance.Upholds(d.Decision) {
			if _, err := db.openTask(ctx, tx, a, &p, "complaint_decision", "Put right what the oversight body upheld in complaint "+strconv.FormatInt(c.ID, 10), "escalation:"+strconv.FormatInt(c.ID, 10), due); err != nil {
				return err
			}
		}
		if d.Reopen {
			var hash string
			// No version yet is fine: the assessment is re-opened from empty.
			err := tx.QueryRowContext(ctx, "SELECT catalog_hash FROM assessment_versions WHERE purchase_id = $1 ORDER BY version DESC LIMIT 1", p.ID).Scan(&hash)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: decide escalation: %w", err)
			}
			if _, err := db.editAssessmentTx(ctx, tx, a, &p, "reopened_by_oversight", hash, func(*assessment.Doc) error { return nil }); err != nil {
				return err
			}
			if _, err := db.openTask(ctx, tx, a, &p, "reassess", "Re-assess the risks, as the oversight body decided on complaint "+strconv.FormatInt(c.ID, 10), "escalation:reassess:"+strconv.FormatInt(c.ID, 10), due); err != nil {
				return err
			}
		}
		return nil
	})
}

// EscalationDecision is what an oversight body decides on an escalated
// complaint: the decision, its reasons (read by the body and the person),
// the version the public register shows (naming no one), and whether the
// body must re-open the purchase's assessment.
type EscalationDecision struct {
	Decision, Text, Public string
	Reopen                 bool
}

// PublicDecision is an oversight decision as the register entry shows it.
type PublicDecision struct {
	Decision, Text, Org string
	At                  time.Time
}

// PublicDecisions lists the decisions on escalated complaints about a
// purchase, in the words the oversight body wrote for the public.
func (db *DB) PublicDecisions(ctx context.Context, purchaseID int64) ([]PublicDecision, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT e.decision, e.public_text, COALESCE(o.name, ''), e.decided_at FROM complaint_escalations e
		JOIN complaints c ON c.id = e.complaint_id LEFT JOIN organisations o ON o.id = e.decided_org_id
		WHERE c.purchase_id = $1 AND e.decided_at IS NOT NULL AND e.public_text <> '' ORDER BY e.decided_at`, purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: public decisions: %w", err)
	}
	defer rows.Close()
	var out []PublicDecision
	for rows.Next() {
		var d PublicDecision
		if err := rows.Scan(&d.Decision, &d.Text, &d.Org, &d.At); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// EscalationItem is an escalation with its case, for lists.
type EscalationItem struct {
	Escalation
	OrgName       string
	PurchaseTitle string
}

// EscalationsFor lists the escalations u works on: for an oversight body,
// those of the bodies in its remit, undecided first, the body's answers
// due soonest first; for a public body, its own still awaiting its answer
// to the oversight body.
func (db *DB) EscalationsFor(ctx context.Context, u *model.User, limit int) ([]EscalationItem, error) {
	return fetch(ctx, db, func(b *Batch, out *[]EscalationItem) { b.EscalationsFor(u, limit, out) })
}

// EscalationsFor queues the read of EscalationsFor into out.
func (b *Batch) EscalationsFor(u *model.User, limit int, out *[]EscalationItem) {
	var where string
	switch {
	case u == nil || u.Org == nil || u.Disabled || u.Role == model.RoleViewer:
		return
	case u.Org.Kind == model.OrgOversight:
		where = "c.org_id IN (SELECT org_id FROM oversight_remits WHERE oversight_org_id = $1)"
	case u.Org.Kind == model.OrgPublicBody:
		where = "c.org_id = $1 AND e.body_answered_at IS NULL AND e.decided_at IS NULL"
	default:
		return
	}
	b.read("escalations", "SELECT "+escalationColumns+", co.name, COALESCE(p.title, '')"+escalationFrom+`
		JOIN complaints c ON c.id = e.complaint_id JOIN organisations co ON co.id = c.org_id LEFT JOIN purchases p ON p.id = c.purchase_id
		WHERE `+where+` ORDER BY CASE WHEN e.decided_at IS NULL THEN 0 ELSE 1 END, e.answer_due, e.id LIMIT `+strconv.Itoa(limit), []any{u.OrgID},
		appendRow(out, func(rs rowScanner) (it EscalationItem, err error) {
			e, err := scanEscalation(rs, &it.OrgName, &it.PurchaseTitle)
			if err == nil {
				it.Escalation = *e
			}
			return it, err
		}))
}

// ComplaintByID reads a complaint whoever asks: only for a caller that
// already proved the right to it (the receipt code).
func (db *DB) ComplaintByID(ctx context.Context, id int64) (*Complaint, error) {
	c, err := scanComplaint(db.read.QueryRowContext(ctx, "SELECT "+complaintColumns+complaintFrom+" WHERE c.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("complaint")
	}
	return c, err
}
