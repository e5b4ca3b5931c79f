package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"buyright/internal/consultation"
	"buyright/internal/model"
)

// Consultations a public body runs on its purchases: the draft, its words
// in each language, opening it, inviting organisations, and the facts the
// consultation gate reads. Responses, answers and the report are in
// consultation_responses.go; following purchases and the news people are
// told of in participation.go.

const consultationColumns = `c.id, c.purchase_id, c.org_id, c.status, c.deadline, c.formats, c.opened_on, c.reported_at,
	c.rev, c.created_at, c.updated_at, p.title, o.name`

const consultationFrom = ` FROM consultations c JOIN purchases p ON p.id = c.purchase_id JOIN organisations o ON o.id = c.org_id`

func scanConsultation(row interface{ Scan(...any) error }) (*consultation.Consultation, error) {
	c := &consultation.Consultation{}
	var formats string
	var reported sql.NullTime
	if err := row.Scan(&c.ID, &c.PurchaseID, &c.OrgID, &c.Status, &c.Deadline, &formats, &c.OpenedOn, &reported,
		&c.Rev, &c.CreatedAt, &c.UpdatedAt, &c.PurchaseTitle, &c.OrgName); err != nil {
		return nil, err
	}
	for _, f := range strings.Split(formats, ",") {
		if f != "" {
			c.Formats = append(c.Formats, consultation.Format(f))
		}
	}
	if reported.Valid {
		c.ReportedAt = reported.Time
	}
	return c, nil
}

func joinFormats(fs []consultation.Format) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = string(f)
	}
	return strings.Join(parts, ",")
}

// consultations runs a query over consultationColumns and fills in the
// words of each consultation found.
func (db *DB) consultations(ctx context.Context, q string, args ...any) ([]*consultation.Consultation, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: consultations: %w", err)
	}
	var out []*consultation.Consultation
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: consultations: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.fillTexts(ctx, out)
}

// fillTexts reads the words of a page of consultations in one query.
func (db *DB) fillTexts(ctx context.Context, cs []*consultation.Consultation) error {
	if len(cs) == 0 {
		return nil
	}
	byID := map[int64]*consultation.Consultation{}
	args := make([]any, 0, len(cs))
	marks := make([]string, 0, len(cs))
	for _, c := range cs {
		if _, seen := byID[c.ID]; seen {
			continue
		}
		byID[c.ID] = c
		args = append(args, c.ID)
		marks = append(marks, fmt.Sprintf("$%d", len(args)))
	}
	rows, err := db.read.QueryContext(ctx, `SELECT consultation_id, lang, title, summary, deciding, questions, use_of_input, access, report
		FROM consultation_texts WHERE consultation_id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return fmt.Errorf("store: consultation texts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t consultation.Text
		var questions string
		if err := rows.Scan(&id, &t.Lang, &t.Title, &t.Summary, &t.Deciding, &questions, &t.Use, &t.Access, &t.Report); err != nil {
			return fmt.Errorf("store: consultation texts: %w", err)
		}
		if questions != "" {
			t.Questions = strings.Split(questions, "\n")
		}
		c := byID[id]
		c.Texts = append(c.Texts, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range byID {
		c.Clean() // sorts the texts into the languages' order
	}
	return nil
}

// Consultation returns one consultation whatever its status; the caller
// decides who may see it (a draft only its body, through its purchase).
func (db *DB) Consultation(ctx context.Context, id int64) (*consultation.Consultation, error) {
	cs, err := db.consultations(ctx, "SELECT "+consultationColumns+consultationFrom+" WHERE c.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, model.NotFound("consultation")
	}
	return cs[0], nil
}

// PurchaseConsultations lists a purchase's consultations, newest first.
func (db *DB) PurchaseConsultations(ctx context.Context, purchaseID int64) ([]*consultation.Consultation, error) {
	return db.consultations(ctx, "SELECT "+consultationColumns+consultationFrom+" WHERE c.purchase_id = $1 ORDER BY c.id DESC", purchaseID)
}

// PublicConsultations lists the consultations anyone may read: those open
// first (soonest deadline first), then the reported ones, newest first.
func (db *DB) PublicConsultations(ctx context.Context, limit int) ([]*consultation.Consultation, error) {
	return db.consultations(ctx, "SELECT "+consultationColumns+consultationFrom+fmt.Sprintf(` WHERE c.status <> 'draft'
		ORDER BY CASE WHEN c.status = 'open' THEN 0 ELSE 1 END, CASE WHEN c.status = 'open' THEN c.deadline END, c.id DESC LIMIT %d`, limit))
}

// CreateConsultation starts a draft consultation on a purchase.
func (db *DB) CreateConsultation(ctx context.Context, a Actor, p *model.Purchase, c *consultation.Consultation) error {
	c.Clean()
	if err := c.Validate(c.Formats).Err(); err != nil {
		return err
	}
	now := db.now()
	c.PurchaseID, c.OrgID, c.Status, c.Rev, c.CreatedAt, c.UpdatedAt = p.ID, p.OrgID, consultation.Draft, 1, now, now
	return db.tx(ctx, "create consultation", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO consultations (purchase_id, org_id, status, deadline, formats, created_by, rev, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id`,
			p.ID, p.OrgID, c.Status, c.Deadline, joinFormats(c.Formats), nullID(a.UserID), now, now).Scan(&c.ID); err != nil {
			return fmt.Errorf("store: create consultation: %w", err)
		}
		if err := writeTexts(ctx, tx, c); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "consultation_create", map[string]any{"consultation": c.ID, "languages": c.Languages()})
	})
}

// writeTexts replaces the stored words of c with c.Texts.
func writeTexts(ctx context.Context, tx *sql.Tx, c *consultation.Consultation) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM consultation_texts WHERE consultation_id = $1", c.ID); err != nil {
		return fmt.Errorf("store: consultation texts: %w", err)
	}
	for _, t := range c.Texts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO consultation_texts (consultation_id, lang, title, summary, deciding, questions, use_of_input, access, report)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, c.ID, t.Lang, t.Title, t.Summary, t.Deciding, strings.Join(t.Questions, "\n"), t.Use, t.Access, t.Report); err != nil {
			return fmt.Errorf("store: consultation texts: %w", err)
		}
	}
	return nil
}

func errStaleConsultation() error {
	return model.Errorf(model.EConflict, "consult.stale", "someone else changed this consultation meanwhile; reload it and apply your change again")
}

// SaveConsultationDraft saves the words, formats and deadline of a draft.
// c.Rev must be the revision the person started from; given are the
// formats as the form sent them, checked against the known ones.
func (db *DB) SaveConsultationDraft(ctx context.Context, a Actor, c *consultation.Consultation, given []consultation.Format) error {
	c.Clean()
	if err := c.Validate(given).Err(); err != nil {
		return err
	}
	now := db.now()
	return db.tx(ctx, "save consultation", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE consultations SET deadline = $1, formats = $2, rev = rev + 1, updated_at = $3
			WHERE id = $4 AND rev = $5 AND status = 'draft'`, c.Deadline, joinFormats(c.Formats), now, c.ID, c.Rev)
		if err != nil {
			return fmt.Errorf("store: save consultation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStaleConsultation()
		}
		c.Rev++
		if err := writeTexts(ctx, tx, c); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, c.OrgID, "purchase", c.PurchaseID, "consultation_update", map[string]any{"consultation": c.ID, "languages": c.Languages()})
	})
}

// OpenConsultation publishes a draft on day today, if it is ready.
func (db *DB) OpenConsultation(ctx context.Context, a Actor, c *consultation.Consultation) error {
	today := model.DateOf(db.now())
	if fe := c.OpenProblems(today); len(fe) > 0 {
		return fe.Err()
	}
	return db.tx(ctx, "open consultation", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE consultations SET status = 'open', opened_on = $1, rev = rev + 1, updated_at = $2
			WHERE id = $3 AND rev = $4 AND status = 'draft'`, today, db.now(), c.ID, c.Rev)
		if err != nil {
			return fmt.Errorf("store: open consultation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStaleConsultation()
		}
		c.Status, c.OpenedOn = consultation.Open, today
		c.Rev++
		return db.appendAudit(ctx, tx, a, c.OrgID, "purchase", c.PurchaseID, "consultation_open", map[string]any{"consultation": c.ID, "deadline": c.Deadline.String()})
	})
}

// ExtendConsultation moves an open consultation's deadline later.
func (db *DB) ExtendConsultation(ctx context.Context, a Actor, c *consultation.Consultation, d model.Date) error {
	if p := c.ExtendProblem(d, model.DateOf(db.now())); p != "" {
		return model.FieldErrors{"c_deadline": p}.Err()
	}
	return db.tx(ctx, "extend consultation", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE consultations SET deadline = $1, rev = rev + 1, updated_at = $2 WHERE id = $3 AND status = 'open' AND deadline = $4`,
			d, db.now(), c.ID, c.Deadline)
		if err != nil {
			return fmt.Errorf("store: extend consultation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStaleConsultation()
		}
		old := c.Deadline
		c.Deadline = d
		c.Rev++
		return db.appendAudit(ctx, tx, a, c.OrgID, "purchase", c.PurchaseID, "consultation_extend", map[string]any{"consultation": c.ID, "deadline": Change{old.String(), d.String()}})
	})
}

// InviteToConsultation invites a civil-society organisation: its people
// may then respond from their accounts under its name.
func (db *DB) InviteToConsultation(ctx context.Context, a Actor, c *consultation.Consultation, orgID int64) error {
	org, err := db.Org(ctx, orgID)
	if err != nil || org.Kind != model.OrgCivilSociety {
		return model.FieldErrors{"inv_org": "consult.invite_not_cso"}.Err()
	}
	if c.Status == consultation.Reported {
		return model.FieldErrors{"inv_org": "consult.report_already"}.Err()
	}
	return db.tx(ctx, "invite to consultation", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO consultation_invitations (consultation_id, org_id, invited_by, invited_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (consultation_id, org_id) DO NOTHING`, c.ID, orgID, nullID(a.UserID), db.now())
		if err != nil {
			return fmt.Errorf("store: invite to consultation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // invited already
		}
		return db.appendAudit(ctx, tx, a, c.OrgID, "purchase", c.PurchaseID, "consultation_invite", map[string]any{"consultation": c.ID, "org_id": orgID, "org": org.Name})
	})
}

// ConsultationInvitations lists the organisations invited, by name.
func (db *DB) ConsultationInvitations(ctx context.Context, consultationID int64) ([]*model.Organisation, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+prefixed(orgColumns, "o.")+` FROM consultation_invitations i JOIN organisations o ON o.id = i.org_id
		WHERE i.consultation_id = $1 ORDER BY o.name`, consultationID)
	if err != nil {
		return nil, fmt.Errorf("store: invitations: %w", err)
	}
	defer rows.Close()
	var out []*model.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// prefixed puts an alias in front of each column of a list.
func prefixed(cols, alias string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// Invited reports whether organisation orgID is invited to a consultation.
func (db *DB) Invited(ctx context.Context, consultationID, orgID int64) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM consultation_invitations WHERE consultation_id = $1 AND org_id = $2", consultationID, orgID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: invited: %w", err)
	}
	return n > 0, nil
}

// RecordConsultationWaiver records, or replaces, the body's reason for
// holding no consultation on a purchase; the consultation gate reads it.
func (db *DB) RecordConsultationWaiver(ctx context.Context, a Actor, p *model.Purchase, reason string) error {
	reason, fe := consultation.WaiverProblem(reason)
	if err := fe.Err(); err != nil {
		return err
	}
	return db.tx(ctx, "consultation waiver", func(tx *sql.Tx) error {
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO consultation_waivers (purchase_id, reason, by_user, by_name, at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (purchase_id) DO UPDATE SET reason = excluded.reason, by_user = excluded.by_user, by_name = excluded.by_name, at = excluded.at`,
			p.ID, reason, nullID(a.UserID), name, db.now()); err != nil {
			return fmt.Errorf("store: consultation waiver: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "consultation_waiver", map[string]any{"reason": reason})
	})
}

// ConsultationWaiver returns the recorded reason for holding no
// consultation, or nil.
func (db *DB) ConsultationWaiver(ctx context.Context, purchaseID int64) (*consultation.Waiver, error) {
	w := &consultation.Waiver{}
	err := db.read.QueryRowContext(ctx, "SELECT reason, by_name, at FROM consultation_waivers WHERE purchase_id = $1", purchaseID).Scan(&w.Reason, &w.By, &w.At)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: consultation waiver: %w", err)
	}
	return w, nil
}

// ConsultationFacts reads what the consultation gate checks: the
// screening's level, the consultations held and their state, and any
// recorded reason for holding none.
func (db *DB) ConsultationFacts(ctx context.Context, purchaseID int64) (*consultation.GateFacts, error) {
	f := &consultation.GateFacts{}
	s, err := db.Screening(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	if s != nil && s.Result.Complete() {
		f.Screened, f.Level = true, s.Result.Level
	}
	rows, err := db.read.QueryContext(ctx, "SELECT status, deadline FROM consultations WHERE purchase_id = $1", purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: consultation facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st consultation.Status
		var d model.Date
		if err := rows.Scan(&st, &d); err != nil {
			return nil, fmt.Errorf("store: consultation facts: %w", err)
		}
		switch st {
		case consultation.Reported:
			f.Reported++
		case consultation.Open:
			if f.Closing.Before(d) {
				f.Closing = d
			}
		default:
			f.Drafts++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if f.Waiver, err = db.ConsultationWaiver(ctx, purchaseID); err != nil {
		return nil, err
	}
	return f, nil
}
