package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/model"
)

// Assessment version statuses.
const (
	AssessmentDraft  = "draft"
	AssessmentSigned = "signed"
)

// AssessmentVersion is one version of a purchase's assessment. Only the
// newest version can be a draft; a signed version never changes.
type AssessmentVersion struct {
	ID          int64
	PurchaseID  int64
	Version     int
	Status      string
	Doc         assessment.Doc
	CatalogHash string
	Snapshot    []byte   // JSON of assessment.Snapshot, set at sign-off
	Covers      []string // assessments carried out in full (hria, dpia, fria), set at sign-off
	ReviewDate  string
	SignedBy    int64
	SignedName  string
	SignedAt    time.Time
	Rev         int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Signed reports whether the version is frozen.
func (v *AssessmentVersion) Signed() bool { return v.Status == AssessmentSigned }

const assessmentColumns = `id, purchase_id, version, status, doc, catalog_hash, snapshot, review_date,
	COALESCE(signed_by, 0), signed_name, signed_at, rev, created_at, updated_at, covers`

func scanAssessment(row interface{ Scan(...any) error }) (*AssessmentVersion, error) {
	v := &AssessmentVersion{}
	var doc, snap, covers string
	var signedAt sql.NullTime
	if err := row.Scan(&v.ID, &v.PurchaseID, &v.Version, &v.Status, &doc, &v.CatalogHash, &snap, &v.ReviewDate,
		&v.SignedBy, &v.SignedName, &signedAt, &v.Rev, &v.CreatedAt, &v.UpdatedAt, &covers); err != nil {
		return nil, err
	}
	if covers != "" {
		v.Covers = strings.Split(covers, ",")
	}
	if err := json.Unmarshal([]byte(doc), &v.Doc); err != nil {
		return nil, fmt.Errorf("store: assessment %d: %w", v.ID, err)
	}
	if v.Doc.Checklist == nil {
		v.Doc.Checklist = map[string]assessment.Check{}
	}
	if snap != "" {
		v.Snapshot = []byte(snap)
	}
	if signedAt.Valid {
		v.SignedAt = signedAt.Time
	}
	return v, nil
}

// Assessment returns the newest version of a purchase's assessment, or nil
// when none has been started.
func (db *DB) Assessment(ctx context.Context, purchaseID int64) (*AssessmentVersion, error) {
	return db.latestAssessment(ctx, db.read, purchaseID)
}

// Assessment queues the read of the newest version of a purchase's
// assessment into out, which stays nil when there is none.
func (b *Batch) Assessment(purchaseID int64, out **AssessmentVersion) {
	b.read("assessment", "SELECT "+assessmentColumns+" FROM assessment_versions WHERE purchase_id = $1 ORDER BY version DESC LIMIT 1", []any{purchaseID},
		func(rs rowScanner) (err error) {
			*out, err = scanAssessment(rs)
			return err
		})
}

func (db *DB) latestAssessment(ctx context.Context, q queryer, purchaseID int64) (*AssessmentVersion, error) {
	v, err := scanAssessment(q.QueryRowContext(ctx, "SELECT "+assessmentColumns+" FROM assessment_versions WHERE purchase_id = $1 ORDER BY version DESC LIMIT 1", purchaseID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: assessment: %w", err)
	}
	return v, nil
}

// AssessmentVersion returns version n of a purchase's assessment.
func (db *DB) AssessmentVersion(ctx context.Context, purchaseID int64, n int) (*AssessmentVersion, error) {
	v, err := scanAssessment(db.read.QueryRowContext(ctx, "SELECT "+assessmentColumns+" FROM assessment_versions WHERE purchase_id = $1 AND version = $2", purchaseID, n))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("assessment version")
	}
	if err != nil {
		return nil, fmt.Errorf("store: assessment version: %w", err)
	}
	return v, nil
}

// AssessmentVersions lists every version of a purchase's assessment, oldest
// first.
func (db *DB) AssessmentVersions(ctx context.Context, purchaseID int64) ([]*AssessmentVersion, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+assessmentColumns+" FROM assessment_versions WHERE purchase_id = $1 ORDER BY version", purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: assessment versions: %w", err)
	}
	defer rows.Close()
	var out []*AssessmentVersion
	for rows.Next() {
		v, err := scanAssessment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// lockPurchase serialises changes to one purchase's assessment. SQLite's
// write transaction already holds the database lock.
func (db *DB) lockPurchase(ctx context.Context, tx *sql.Tx, id int64) error {
	if db.dialect != Postgres {
		return nil
	}
	var x int64
	if err := tx.QueryRowContext(ctx, "SELECT id FROM purchases WHERE id = $1 FOR UPDATE", id).Scan(&x); err != nil {
		return fmt.Errorf("store: lock purchase: %w", err)
	}
	return nil
}

// EditAssessment changes the draft of a purchase's assessment with edit,
// which works on the newest document and may refuse with field errors. With
// no assessment yet, version 1 is started; when the newest version is signed
// off, version N+1 is started as a copy of it, so a signed version never
// changes. The read, the change and the audit row share one transaction, so
// two people saving different sections at once both keep their work.
func (db *DB) EditAssessment(ctx context.Context, a Actor, p *model.Purchase, section, catalogHash string, edit func(d *assessment.Doc) error) (*AssessmentVersion, error) {
	var out *AssessmentVersion
	err := db.tx(ctx, "edit assessment", func(tx *sql.Tx) error {
		var err error
		out, err = db.editAssessmentTx(ctx, tx, a, p, section, catalogHash, edit)
		return err
	})
	return out, err
}

// editAssessmentTx is EditAssessment inside a transaction the caller holds,
// so a change elsewhere (a consultation's report) and the assessment's
// record of it commit together.
func (db *DB) editAssessmentTx(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, section, catalogHash string, edit func(d *assessment.Doc) error) (*AssessmentVersion, error) {
	return db.editAssessmentNotedTx(ctx, tx, a, p, section, catalogHash, func(d *assessment.Doc) (map[string]any, error) { return nil, edit(d) })
}

// EditAssessmentNoted is EditAssessment whose edit also says what it
// changed (which entries of a step were added, changed or removed); that
// goes into the audit row with the version and the section.
func (db *DB) EditAssessmentNoted(ctx context.Context, a Actor, p *model.Purchase, section, catalogHash string, edit func(d *assessment.Doc) (map[string]any, error)) (*AssessmentVersion, error) {
	var out *AssessmentVersion
	err := db.tx(ctx, "edit assessment", func(tx *sql.Tx) error {
		var err error
		out, err = db.editAssessmentNotedTx(ctx, tx, a, p, section, catalogHash, edit)
		return err
	})
	return out, err
}

func (db *DB) editAssessmentNotedTx(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, section, catalogHash string, edit func(d *assessment.Doc) (map[string]any, error)) (*AssessmentVersion, error) {
	now := db.now()
	var out *AssessmentVersion
	err := func() error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		cur, err := db.latestAssessment(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		started := 0
		if cur == nil || cur.Signed() {
			v := &AssessmentVersion{PurchaseID: p.ID, Version: 1, Status: AssessmentDraft, CatalogHash: catalogHash, CreatedAt: now, UpdatedAt: now,
				Doc: assessment.Doc{Checklist: map[string]assessment.Check{}}}
			if cur != nil {
				v.Version, v.Doc, v.ReviewDate = cur.Version+1, cur.Doc, cur.ReviewDate
			}
			doc, _ := json.Marshal(v.Doc)
			if err := tx.QueryRowContext(ctx, `INSERT INTO assessment_versions (purchase_id, version, status, doc, catalog_hash, review_date, rev, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id`, p.ID, v.Version, v.Status, string(doc), catalogHash, v.ReviewDate, now, now).Scan(&v.ID); err != nil {
				return fmt.Errorf("store: start assessment version: %w", err)
			}
			v.Rev = 1
			started = v.Version
			cur = v
		}
		noted, err := edit(&cur.Doc)
		if err != nil {
			return err
		}
		doc, err := json.Marshal(cur.Doc)
		if err != nil {
			return fmt.Errorf("store: assessment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessment_versions SET doc = $1, catalog_hash = $2, rev = rev + 1, updated_at = $3 WHERE id = $4`,
			string(doc), catalogHash, now, cur.ID); err != nil {
			return fmt.Errorf("store: edit assessment: %w", err)
		}
		cur.Rev++
		cur.CatalogHash, cur.UpdatedAt = catalogHash, now
		detail := map[string]any{"version": cur.Version, "section": section}
		for k, v := range noted {
			if _, taken := detail[k]; !taken {
				detail[k] = v
			}
		}
		if started > 0 {
			detail["started_version"] = started
		}
		out = cur
		if err := db.syncParticipants(ctx, tx, p.ID, &cur.Doc); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "assessment_update", detail)
	}()
	return out, err
}

// SignOffAssessment freezes version n, which must be the current draft.
// freeze checks the version may be signed off and returns its snapshot
// (JSON); it runs inside the transaction, on the version as stored.
//
// covers names the assessments the version carries out in full (hria, and
// dpia or fria when their sections are written); the evidence gates read it.
func (db *DB) SignOffAssessment(ctx context.Context, a Actor, p *model.Purchase, n int, reviewDate string, freeze func(v *AssessmentVersion) (snapshot []byte, covers []string, err error)) error {
	if _, err := model.ParseDate(reviewDate); err != nil {
		return model.FieldErrors{"review_date": "invalid.date"}.Err()
	}
	now := db.now()
	return db.tx(ctx, "sign off assessment", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		cur, err := db.latestAssessment(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if cur == nil || cur.Version != n || cur.Signed() {
			return model.Errorf(model.EConflict, "assessment.signoff_stale", "this version is not the current draft; reload the assessment")
		}
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		cur.ReviewDate, cur.SignedBy, cur.SignedName, cur.SignedAt = reviewDate, a.UserID, name, now
		snap, covers, err := freeze(cur)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessment_versions SET status = $1, snapshot = $2, review_date = $3, signed_by = $4,
			signed_name = $5, signed_at = $6, rev = rev + 1, updated_at = $7, doc = $9, covers = $10 WHERE id = $8`,
			AssessmentSigned, string(snap), reviewDate, nullID(a.UserID), name, now, now, cur.ID, string(mustJSON(cur.Doc)), strings.Join(covers, ",")); err != nil {
			return fmt.Errorf("store: sign off assessment: %w", err)
		}
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		detail := map[string]any{"version": n, "review_date": reviewDate, "covers": covers}
		if len(cur.Doc.SignOffExceptions) > 0 {
			detail["exceptions"] = cur.Doc.SignOffExceptions
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "assessment_signoff", detail)
	})
}

// GateFacts reads what the screening and assessment gate rules check: the
// screening and whether a version is signed off.
func (db *DB) GateFacts(ctx context.Context, purchaseID int64) (*assessment.Facts, error) {
	f := &assessment.Facts{}
	s, err := db.Screening(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	if s != nil {
		f.Screened, f.Result = true, s.Result
	}
	v, err := db.Assessment(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	if v != nil {
		var n int
		if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM assessment_versions WHERE purchase_id = $1 AND status = $2", purchaseID, AssessmentSigned).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: gate facts: %w", err)
		}
		f.SignedOff = n > 0
	}
	return f, nil
}

// ReviewDue is a signed-off assessment whose periodic review date has come.
type ReviewDue struct {
	PurchaseID int64
	Title      string
	Version    int
	ReviewDate string
}

// AssessmentReviewsDue lists the assessments of u's visible purchases
// whose newest version is signed off with a review date on or before today:
// the tasks to start a review version.
func (db *DB) AssessmentReviewsDue(ctx context.Context, u *model.User, today model.Date) ([]ReviewDue, error) {
	return fetch(ctx, db, func(b *Batch, out *[]ReviewDue) { b.AssessmentReviewsDue(u, today, out) })
}

// AssessmentReviewsDue queues the read of AssessmentReviewsDue into out.
func (b *Batch) AssessmentReviewsDue(u *model.User, today model.Date, out *[]ReviewDue) {
	if !seesRecords(u) {
		return
	}
	// CROSS JOIN makes SQLite start from the few signed assessments rather
	// than from every purchase of the body; PostgreSQL plans it as a join.
	b.read("reviews due", `SELECT p.id, p.title, a.version, a.review_date FROM assessment_versions a CROSS JOIN purchases p
		WHERE p.id = a.purchase_id AND `+visible(u, 1)+` AND a.status = $2 AND a.review_date <> '' AND a.review_date <= $3
		AND a.version = (SELECT MAX(version) FROM assessment_versions b WHERE b.purchase_id = a.purchase_id)
		ORDER BY a.review_date, p.id`, []any{u.OrgID, AssessmentSigned, today.String()},
		appendRow(out, func(rs rowScanner) (r ReviewDue, err error) {
			return r, rs.Scan(&r.PurchaseID, &r.Title, &r.Version, &r.ReviewDate)
		}))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain data is marshalled here
	}
	return b
}
