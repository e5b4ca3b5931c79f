package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"buyright/internal/model"
	"buyright/internal/supplierdd"
)

// SupplierAnswer is one submitted version of a supplier's questionnaire.
type SupplierAnswer struct {
	ID          int64
	PurchaseID  int64
	OrgID       int64
	Version     int
	Answers     supplierdd.Answers
	SubmittedBy string
	SubmittedAt time.Time
	Review      *SupplierReview // the newest review of this version, if any
	// Questionnaire is the hash of the questions this version answered
	// ("" for versions answered before the questions were catalogue
	// data); ProfileVersion the company-wide answers it carries (0: none).
	Questionnaire  string
	ProfileVersion int
}

// SupplierReview is the body's review of one version.
type SupplierReview struct {
	Scores     map[string]string
	Comment    string
	ReviewedBy string
	ReviewedAt time.Time
}

// InvitedSupplier is a supplier invited to a purchase and where its
// questionnaire stands.
type InvitedSupplier struct {
	OrgID    int64
	Name     string
	Versions int
	Reviewed bool // the newest version has a review
	Awarded  bool // holds the signed contract
	// The supplier's answer to the invitation: "" (none yet), accepted or
	// declined, with its reason and when.
	Response       string
	ResponseReason string
	RespondedAt    *time.Time
}

// InvitedSuppliers lists the suppliers invited to a purchase.
func (db *DB) InvitedSuppliers(ctx context.Context, purchaseID int64) ([]InvitedSupplier, error) {
	return fetch(ctx, db, func(b *Batch, out *[]InvitedSupplier) { b.InvitedSuppliers(purchaseID, out) })
}

// InvitedSuppliers queues the read of InvitedSuppliers into out.
func (b *Batch) InvitedSuppliers(purchaseID int64, out *[]InvitedSupplier) {
	b.read("invited suppliers", `SELECT o.id, o.name,
		(SELECT COUNT(*) FROM supplier_answers a WHERE a.purchase_id = s.purchase_id AND a.org_id = o.id),
		(SELECT COUNT(*) FROM supplier_reviews r JOIN supplier_answers a ON a.id = r.answer_id WHERE a.purchase_id = s.purchase_id AND a.org_id = o.id
			AND a.version = (SELECT MAX(version) FROM supplier_answers b WHERE b.purchase_id = s.purchase_id AND b.org_id = o.id)), s.awarded,
		s.response, s.response_reason, s.responded_at
		FROM purchase_suppliers s JOIN organisations o ON o.id = s.org_id WHERE s.purchase_id = $1 ORDER BY o.name`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (x InvitedSupplier, err error) {
			var reviews int
			err = rs.Scan(&x.OrgID, &x.Name, &x.Versions, &reviews, &x.Awarded, &x.Response, &x.ResponseReason, &x.RespondedAt)
			x.Reviewed = reviews > 0
			return x, err
		}))
}

// SubmitSupplierAnswers stores a new version of the supplier's answers to
// q for one purchase. Only an invited supplier can answer; the caller
// checked the person belongs to orgID. The company-wide part of the
// answers is the supplier's own due diligence: when it differs from the
// supplier's current company answers, those get a new version, and every
// other open purchase the supplier has answered gets a new version with
// it in the same transaction (see SaveSupplierProfile).
func (db *DB) SubmitSupplierAnswers(ctx context.Context, a Actor, p *model.Purchase, orgID int64, q *supplierdd.Questionnaire, in map[string]string) (int, error) {
	answers, fe := q.Clean(in)
	if len(fe) > 0 {
		return 0, fe.Err()
	}
	shared := q.Shared(answers)
	var version int
	err := db.tx(ctx, "supplier answers", func(tx *sql.Tx) error {
		var invited int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM purchase_suppliers WHERE purchase_id = $1 AND org_id = $2", p.ID, orgID).Scan(&invited); err != nil {
			return fmt.Errorf("store: supplier answers: %w", err)
		}
		if invited == 0 {
			return model.Forbidden()
		}
		if err := db.keepQuestionnaire(ctx, tx, q); err != nil {
			return err
		}
		profile, changed, err := db.nextProfile(ctx, tx, a, orgID, q, shared)
		if err != nil {
			return err
		}
		if version, err = db.insertAnswers(ctx, tx, a, p.ID, p.OrgID, orgID, q, answers, profile, p.ID); err != nil {
			return err
		}
		if err := dropSupplierDraft(ctx, tx, p.ID, orgID); err != nil {
			return err
		}
		if changed {
			_, err = db.spreadProfile(ctx, tx, a, orgID, q, shared, profile, p.ID)
		}
		return err
	})
	return version, err
}

// insertAnswers adds the next version of a supplier's answers on one
// purchase. from is the purchase where the supplier wrote them: another
// purchase's id when a company-wide update reached this one.
func (db *DB) insertAnswers(ctx context.Context, tx *sql.Tx, a Actor, purchaseID, bodyID, orgID int64, q *supplierdd.Questionnaire, answers supplierdd.Answers, profile int, from int64) (int, error) {
	js, _ := json.Marshal(answers)
	var version int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM supplier_answers WHERE purchase_id = $1 AND org_id = $2", purchaseID, orgID).Scan(&version); err != nil {
		return 0, fmt.Errorf("store: supplier answers: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO supplier_answers (purchase_id, org_id, version, answers, submitted_by, submitted_at, questionnaire, profile_version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, purchaseID, orgID, version, string(js), nullID(a.UserID), db.now(), q.Hash(), profile); err != nil {
		return 0, fmt.Errorf("store: supplier answers: %w", err)
	}
	detail := map[string]any{"supplier": orgID, "version": version, "answered": len(answers), "questionnaire": q.Version, "company_answers": profile}
	if from != purchaseID {
		detail["updated_from_purchase"] = from
	}
	return version, db.appendAudit(ctx, tx, a, bodyID, "purchase", purchaseID, "supplier_answers", detail)
}

// SupplierAnswers lists one supplier's versions for a purchase, newest
// first, each with its newest review.
func (db *DB) SupplierAnswers(ctx context.Context, purchaseID, orgID int64) ([]SupplierAnswer, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.id, a.version, a.answers, COALESCE(NULLIF(u.name, ''), u.email, ''), a.submitted_at,
		a.questionnaire, a.profile_version, r.scores, r.comment, COALESCE(NULLIF(v.name, ''), v.email, ''), r.reviewed_at
		FROM supplier_answers a LEFT JOIN users u ON u.id = a.submitted_by
		LEFT JOIN supplier_reviews r ON r.id = (SELECT MAX(id) FROM supplier_reviews x WHERE x.answer_id = a.id)
		LEFT JOIN users v ON v.id = r.reviewed_by
		WHERE a.purchase_id = $1 AND a.org_id = $2 ORDER BY a.version DESC`, purchaseID, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: supplier answers: %w", err)
	}
	defer rows.Close()
	var out []SupplierAnswer
	for rows.Next() {
		x := SupplierAnswer{PurchaseID: purchaseID, OrgID: orgID}
		var js string
		var scores, comment, by sql.NullString
		var at sql.NullTime
		if err := rows.Scan(&x.ID, &x.Version, &js, &x.SubmittedBy, &x.SubmittedAt, &x.Questionnaire, &x.ProfileVersion, &scores, &comment, &by, &at); err != nil {
			return nil, fmt.Errorf("store: supplier answers: %w", err)
		}
		if err := json.Unmarshal([]byte(js), &x.Answers); err != nil {
			return nil, fmt.Errorf("store: supplier answers: %w", err)
		}
		if at.Valid {
			x.Review = &SupplierReview{Comment: comment.String, ReviewedBy: by.String, ReviewedAt: at.Time}
			_ = json.Unmarshal([]byte(scores.String), &x.Review.Scores)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ReviewSupplierAnswers records the body's scores and comment on one
// version of a supplier's answers; q is the questionnaire that version
// answered.
func (db *DB) ReviewSupplierAnswers(ctx context.Context, a Actor, p *model.Purchase, orgID int64, version int, q *supplierdd.Questionnaire, scores map[string]string, comment string) error {
	comment = model.CleanText(comment)
	clean := map[string]string{}
	for id, s := range scores {
		if !q.Known(id) {
			continue
		}
		ok := s == ""
		for _, x := range supplierdd.Scores {
			ok = ok || x == s
		}
		if !ok {
			return model.FieldErrors{"score_" + id: "invalid.choice"}.Err()
		}
		if s != "" {
			clean[id] = s
		}
	}
	if len(clean) == 0 && comment == "" {
		return model.FieldErrors{"comment": "supplierdd.err.review_empty"}.Err()
	}
	if model.TooLong(comment, 8000) {
		return model.FieldErrors{"comment": "invalid.too_long"}.Err()
	}
	js, _ := json.Marshal(clean)
	return db.tx(ctx, "supplier review", func(tx *sql.Tx) error {
		var answerID int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM supplier_answers WHERE purchase_id = $1 AND org_id = $2 AND version = $3", p.ID, orgID, version).Scan(&answerID)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound("answers")
		}
		if err != nil {
			return fmt.Errorf("store: supplier review: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO supplier_reviews (answer_id, scores, comment, reviewed_by, reviewed_at) VALUES ($1, $2, $3, $4, $5)",
			answerID, string(js), comment, nullID(a.UserID), db.now()); err != nil {
			return fmt.Errorf("store: supplier review: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "supplier_review", map[string]any{"supplier": orgID, "version": version, "scores": clean, "comment": comment})
	})
}

// Invitation is a purchase a supplier organisation is invited to, with
// where its questionnaire stands.
type Invitation struct {
	PurchaseID int64
	Title      string
	Body       string // the public body that buys
	Versions   int
	Reviewed   bool
	Awarded    bool // the organisation holds the contract
}

// Invitations lists the purchases an organisation is invited to, those
// it has not answered first.
func (db *DB) Invitations(ctx context.Context, orgID int64) ([]Invitation, error) {
	return fetch(ctx, db, func(b *Batch, out *[]Invitation) { b.Invitations(orgID, out) })
}

// Invitations queues the read of Invitations into out.
func (b *Batch) Invitations(orgID int64, out *[]Invitation) {
	b.read("invitations", `SELECT p.id, p.title, o.name,
		(SELECT COUNT(*) FROM supplier_answers a WHERE a.purchase_id = p.id AND a.org_id = s.org_id),
		(SELECT COUNT(*) FROM supplier_reviews r JOIN supplier_answers a ON a.id = r.answer_id WHERE a.purchase_id = p.id AND a.org_id = s.org_id
			AND a.version = (SELECT MAX(version) FROM supplier_answers b WHERE b.purchase_id = p.id AND b.org_id = s.org_id)), s.awarded
		FROM purchase_suppliers s JOIN purchases p ON p.id = s.purchase_id JOIN organisations o ON o.id = p.org_id
		WHERE s.org_id = $1 AND p.stage NOT IN ('closed', 'cancelled') ORDER BY p.id DESC LIMIT 100`, []any{orgID},
		appendRow(out, func(rs rowScanner) (x Invitation, err error) {
			var reviews int
			err = rs.Scan(&x.PurchaseID, &x.Title, &x.Body, &x.Versions, &reviews, &x.Awarded)
			x.Reviewed = reviews > 0
			return x, err
		}))
	b.Then(func(context.Context) error {
		sort.SliceStable(*out, func(i, j int) bool { return (*out)[i].Versions == 0 && (*out)[j].Versions > 0 })
		return nil
	})
}
