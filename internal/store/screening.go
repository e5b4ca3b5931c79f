package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"time"

	"buyright/internal/model"
	"buyright/internal/screening"
)

// Screening is the latest screening of a purchase: the answers as given
// and the scored result, pinned to the catalogue set (by hash) they were
// answered against.
type Screening struct {
	PurchaseID  int64
	Answers     map[string]any // as decoded from JSON: strings, numbers, lists
	Result      screening.Result
	CatalogHash string
	Rev         int64
	UpdatedBy   string
	UpdatedAt   time.Time
	// An approver's sign-off of these answers; cleared when they change.
	SignedBy   int64
	SignedName string
	SignedAt   time.Time
}

// Signed reports whether an approver signed off the current answers.
func (s *Screening) Signed() bool { return s != nil && !s.SignedAt.IsZero() }

// Screening returns the purchase's screening, or nil when it has none yet.
func (db *DB) Screening(ctx context.Context, purchaseID int64) (*Screening, error) {
	return db.screening(ctx, db.read, purchaseID)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) screening(ctx context.Context, q queryer, purchaseID int64) (*Screening, error) {
	s, err := scanScreening(q.QueryRowContext(ctx, screeningQuery, purchaseID), purchaseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: screening: %w", err)
	}
	return s, nil
}

// Screening queues the read of the purchase's screening into out, which
// stays nil when there is none.
func (b *Batch) Screening(purchaseID int64, out **Screening) {
	b.read("screening", screeningQuery, []any{purchaseID}, func(rs rowScanner) (err error) {
		*out, err = scanScreening(rs, purchaseID)
		return err
	})
}

const screeningQuery = `SELECT s.answers, s.result, s.catalog_hash, s.rev, COALESCE(NULLIF(u.name, ''), u.email, ''), s.updated_at,
	COALESCE(s.signed_by, 0), s.signed_name, s.signed_at
	FROM screenings s LEFT JOIN users u ON u.id = s.updated_by WHERE s.purchase_id = $1`

func scanScreening(rs rowScanner, purchaseID int64) (*Screening, error) {
	s := &Screening{PurchaseID: purchaseID}
	var answers, result string
	var signedAt sql.NullTime
	if err := rs.Scan(&answers, &result, &s.CatalogHash, &s.Rev, &s.UpdatedBy, &s.UpdatedAt, &s.SignedBy, &s.SignedName, &signedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &s.Answers); err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	if err := json.Unmarshal([]byte(result), &s.Result); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	if s.Answers == nil {
		s.Answers = map[string]any{}
	}
	if signedAt.Valid {
		s.SignedAt = signedAt.Time
	}
	return s, nil
}

// SaveScreening stores answers and their scored result, replacing the
// previous screening. The audit row names the answers that changed and the
// level and status they led to.
func (db *DB) SaveScreening(ctx context.Context, a Actor, p *model.Purchase, answers map[string]any, res screening.Result) error {
	ab, err := json.Marshal(answers)
	if err != nil {
		return fmt.Errorf("store: screening answers: %w", err)
	}
	rb, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("store: screening result: %w", err)
	}
	now := db.now()
	return db.tx(ctx, "save screening", func(tx *sql.Tx) error {
		old, err := db.screening(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		changed := map[string]Change{}
		prev := map[string]any{}
		if old != nil {
			prev = old.Answers
		}
		// Compare through JSON so []string and []any of the same ids agree.
		var cur map[string]any
		_ = json.Unmarshal(ab, &cur)
		keys := map[string]bool{}
		for k := range prev {
			keys[k] = true
		}
		for k := range cur {
			keys[k] = true
		}
		ids := make([]string, 0, len(keys))
		for k := range keys {
			ids = append(ids, k)
		}
		sort.Strings(ids)
		for _, k := range ids {
			if !reflect.DeepEqual(prev[k], cur[k]) {
				changed[k] = Change{Old: prev[k], New: cur[k]}
			}
		}
		if old == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO screenings (purchase_id, answers, result, status, level, catalog_hash, rev, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`, p.ID, string(ab), string(rb), res.Status, res.Level, res.CatalogHash, nullID(a.UserID), now)
		} else {
			// A sign-off vouches for the answers it saw: new answers, or the
			// same ones scored differently, need a new one.
			keep := len(changed) == 0 && old.Result.Level == res.Level && old.Result.Status == res.Status
			_, err = tx.ExecContext(ctx, `UPDATE screenings SET answers = $1, result = $2, status = $3, level = $4, catalog_hash = $5,
				rev = rev + 1, updated_by = $6, updated_at = $7,
				signed_by = CASE WHEN $9 THEN signed_by END, signed_name = CASE WHEN $9 THEN signed_name ELSE '' END,
				signed_at = CASE WHEN $9 THEN signed_at END WHERE purchase_id = $8`,
				string(ab), string(rb), res.Status, res.Level, res.CatalogHash, nullID(a.UserID), now, p.ID, keep)
		}
		if err != nil {
			return fmt.Errorf("store: save screening: %w", err)
		}
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		if err := db.closeRescreenTasks(ctx, tx, a, p); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "screening", map[string]any{
			"level": res.Level, "status": res.Status, "catalog_hash": res.CatalogHash, "answers": changed,
		})
	})
}

// SignOffScreening records an approver's sign-off of the screening as it
// stands at revision rev: the answers are complete and the person vouches
// for them. A screening changed since the page was read is refused.
func (db *DB) SignOffScreening(ctx context.Context, a Actor, p *model.Purchase, rev int64) error {
	now := db.now()
	return db.tx(ctx, "sign off screening", func(tx *sql.Tx) error {
		cur, err := db.screening(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		switch {
		case cur == nil || !cur.Result.Complete():
			return model.Errorf(model.EInvalid, "screening.signoff_incomplete", "only a complete screening can be signed off")
		case cur.Rev != rev:
			return model.Errorf(model.EConflict, "error.stale", "the screening changed since you read it")
		case cur.Signed():
			return model.Errorf(model.EConflict, "screening.signoff_done", "the screening is already signed off")
		}
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE screenings SET signed_by = $1, signed_name = $2, signed_at = $3 WHERE purchase_id = $4`,
			nullID(a.UserID), name, now, p.ID); err != nil {
			return fmt.Errorf("store: sign off screening: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "screening_signoff", map[string]any{"level": cur.Result.Level, "rev": rev})
	})
}
