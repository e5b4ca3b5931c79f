package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"buyright/internal/model"
	"buyright/internal/supplierdd"
)

// A supplier's company-wide answers (its own due diligence) are kept once
// per company, versioned, and carried into every purchase it answers: a
// supplier updates them once and each open purchase it has answered gets
// a new version with them, while every version a body already reviewed
// stays as it was.

// SupplierProfile is one version of a supplier's company-wide answers.
type SupplierProfile struct {
	OrgID         int64
	Version       int
	Answers       supplierdd.Answers
	Questionnaire string
	SubmittedBy   string
	SubmittedAt   time.Time
}

// keepQuestionnaire stores the questions answers are being given to, once
// per distinct set of questions.
func (db *DB) keepQuestionnaire(ctx context.Context, tx *sql.Tx, q *supplierdd.Questionnaire) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO supplier_questionnaires (hash, version, questions, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (hash) DO NOTHING`, q.Hash(), q.Version, string(q.Snapshot()), db.now())
	if err != nil {
		return fmt.Errorf("store: supplier questionnaire: %w", err)
	}
	return nil
}

// SupplierQuestionnaire returns the questions kept under hash, or nil when
// none are (versions answered before the questions were catalogue data).
func (db *DB) SupplierQuestionnaire(ctx context.Context, hash string) (*supplierdd.Questionnaire, error) {
	if hash == "" {
		return nil, nil
	}
	var js string
	err := db.read.QueryRowContext(ctx, "SELECT questions FROM supplier_questionnaires WHERE hash = $1", hash).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: supplier questionnaire: %w", err)
	}
	return supplierdd.Parse([]byte(js))
}

func (db *DB) latestProfile(ctx context.Context, q queryer, orgID int64) (*SupplierProfile, error) {
	p := &SupplierProfile{OrgID: orgID}
	var js string
	err := q.QueryRowContext(ctx, `SELECT s.version, s.answers, s.questionnaire, COALESCE(NULLIF(u.name, ''), u.email, ''), s.submitted_at
		FROM supplier_profiles s LEFT JOIN users u ON u.id = s.submitted_by WHERE s.org_id = $1 ORDER BY s.version DESC LIMIT 1`, orgID).
		Scan(&p.Version, &js, &p.Questionnaire, &p.SubmittedBy, &p.SubmittedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: supplier profile: %w", err)
	}
	if err := json.Unmarshal([]byte(js), &p.Answers); err != nil {
		return nil, fmt.Errorf("store: supplier profile: %w", err)
	}
	return p, nil
}

// SupplierProfile returns the supplier's current company-wide answers, or
// nil when it has given none.
func (db *DB) SupplierProfile(ctx context.Context, orgID int64) (*SupplierProfile, error) {
	return db.latestProfile(ctx, db.read, orgID)
}

// nextProfile returns the company-wide version that shared answers are:
// the current one when they say the same, else a new one (changed). No
// shared answers at all leave the company answers alone (version 0).
func (db *DB) nextProfile(ctx context.Context, tx *sql.Tx, a Actor, orgID int64, q *supplierdd.Questionnaire, shared supplierdd.Answers) (int, bool, error) {
	if len(shared) == 0 {
		return 0, false, nil
	}
	cur, err := db.latestProfile(ctx, tx, orgID)
	if err != nil {
		return 0, false, err
	}
	if cur != nil && supplierdd.Equal(cur.Answers, shared) {
		return cur.Version, false, nil
	}
	next := 1
	if cur != nil {
		next = cur.Version + 1
	}
	js, _ := json.Marshal(shared)
	if _, err := tx.ExecContext(ctx, `INSERT INTO supplier_profiles (org_id, version, answers, questionnaire, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		orgID, next, string(js), q.Hash(), nullID(a.UserID), db.now()); err != nil {
		return 0, false, fmt.Errorf("store: supplier profile: %w", err)
	}
	return next, true, db.appendAudit(ctx, tx, a, orgID, "organisation", orgID, "supplier_profile", map[string]any{"version": next, "answered": len(shared), "questionnaire": q.Version})
}

// spreadProfile gives every open purchase where the supplier has answered
// (except the one the answers came from) a new version carrying the new
// company-wide answers, keeping that purchase's answers about the State.
// A purchase whose answers would not change gets no new version.
func (db *DB) spreadProfile(ctx context.Context, tx *sql.Tx, a Actor, orgID int64, q *supplierdd.Questionnaire, shared supplierdd.Answers, profile int, from int64) ([]int64, error) {
	type target struct {
		purchaseID, bodyID int64
		answers            supplierdd.Answers
	}
	// Read every target first: a transaction's connection cannot run the
	// inserts while these rows are still open.
	rows, err := tx.QueryContext(ctx, `SELECT a.purchase_id, p.org_id, a.answers FROM supplier_answers a JOIN purchases p ON p.id = a.purchase_id
		WHERE a.org_id = $1 AND a.purchase_id <> $2 AND p.stage NOT IN ('closed', 'cancelled')
		AND a.version = (SELECT MAX(b.version) FROM supplier_answers b WHERE b.purchase_id = a.purchase_id AND b.org_id = a.org_id)
		ORDER BY a.purchase_id`, orgID, from)
	if err != nil {
		return nil, fmt.Errorf("store: supplier profile: %w", err)
	}
	var ts []target
	for rows.Next() {
		var t target
		var js string
		if err := rows.Scan(&t.purchaseID, &t.bodyID, &js); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: supplier profile: %w", err)
		}
		if err := json.Unmarshal([]byte(js), &t.answers); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: supplier profile: %w", err)
		}
		ts = append(ts, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var updated []int64
	for _, t := range ts {
		merged := q.WithShared(t.answers, shared)
		if supplierdd.Equal(merged, t.answers) {
			continue
		}
		if _, err := db.insertAnswers(ctx, tx, a, t.purchaseID, t.bodyID, orgID, q, merged, profile, from); err != nil {
			return nil, err
		}
		updated = append(updated, t.purchaseID)
	}
	return updated, nil
}

// SaveSupplierProfile records the supplier's company-wide answers from its
// own account and carries them, in the same transaction, into every open
// purchase it has answered. It returns the company version and the
// purchases that got a new version.
func (db *DB) SaveSupplierProfile(ctx context.Context, a Actor, orgID int64, q *supplierdd.Questionnaire, in map[string]string) (int, []int64, error) {
	only := map[string]string{}
	for _, x := range q.InPart(supplierdd.PartSupplier) {
		only[x.ID] = in[x.ID]
	}
	answers, fe := q.Clean(only)
	if len(fe) > 0 {
		return 0, nil, fe.Err()
	}
	var version int
	var updated []int64
	err := db.tx(ctx, "supplier profile", func(tx *sql.Tx) error {
		org, err := db.orgTx(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if org.Kind != model.OrgSupplier {
			return model.Forbidden()
		}
		if err := db.keepQuestionnaire(ctx, tx, q); err != nil {
			return err
		}
		var changed bool
		if version, changed, err = db.nextProfile(ctx, tx, a, orgID, q, answers); err != nil || !changed {
			return err
		}
		updated, err = db.spreadProfile(ctx, tx, a, orgID, q, answers, version, 0)
		return err
	})
	return version, updated, err
}

func (db *DB) orgTx(ctx context.Context, tx *sql.Tx, id int64) (*model.Organisation, error) {
	o := &model.Organisation{ID: id}
	err := tx.QueryRowContext(ctx, "SELECT kind FROM organisations WHERE id = $1", id).Scan(&o.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("organisation")
	}
	if err != nil {
		return nil, fmt.Errorf("store: organisation: %w", err)
	}
	return o, nil
}

// ProfileUse is an open purchase a supplier is invited to, with the
// company-wide answers its newest version carries.
type ProfileUse struct {
	PurchaseID     int64
	Title          string
	Body           string
	Versions       int
	ProfileVersion int // carried by the newest version; 0 when none
}

// ProfileUses lists the open purchases a supplier is invited to and which
// company answers each one has, so the supplier sees where an update goes.
func (db *DB) ProfileUses(ctx context.Context, orgID int64) ([]ProfileUse, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT p.id, p.title, o.name,
		(SELECT COUNT(*) FROM supplier_answers a WHERE a.purchase_id = p.id AND a.org_id = s.org_id),
		COALESCE((SELECT a.profile_version FROM supplier_answers a WHERE a.purchase_id = p.id AND a.org_id = s.org_id ORDER BY a.version DESC LIMIT 1), 0)
		FROM purchase_suppliers s JOIN purchases p ON p.id = s.purchase_id JOIN organisations o ON o.id = p.org_id
		WHERE s.org_id = $1 AND p.stage NOT IN ('closed', 'cancelled') ORDER BY p.id DESC LIMIT 200`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: profile uses: %w", err)
	}
	defer rows.Close()
	var out []ProfileUse
	for rows.Next() {
		var x ProfileUse
		if err := rows.Scan(&x.PurchaseID, &x.Title, &x.Body, &x.Versions, &x.ProfileVersion); err != nil {
			return nil, fmt.Errorf("store: profile uses: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
