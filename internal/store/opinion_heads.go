package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"buyright/internal/access"
	"buyright/internal/model"
)

// AccountableHead is a person a public body designated to answer, in
// public and with reasons, for going on after an unfavourable opinion.
type AccountableHead struct {
	UserID       int64
	DesignatedAt time.Time
}

// AccountableHeads lists the heads of public body orgID, by person.
func (db *DB) AccountableHeads(ctx context.Context, orgID int64) (map[int64]AccountableHead, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT user_id, designated_at FROM accountable_heads WHERE org_id = $1", orgID)
	if err != nil {
		return nil, fmt.Errorf("store: accountable heads: %w", err)
	}
	defer rows.Close()
	out := map[int64]AccountableHead{}
	for rows.Next() {
		var h AccountableHead
		if err := rows.Scan(&h.UserID, &h.DesignatedAt); err != nil {
			return nil, err
		}
		out[h.UserID] = h
	}
	return out, rows.Err()
}

// IsAccountableHead reports whether u is designated accountable head of
// public body orgID and still may be one (an administrator or approver of
// that body, not disabled).
func (db *DB) IsAccountableHead(ctx context.Context, u *model.User, orgID int64) (bool, error) {
	return db.isHead(ctx, db.read, u, orgID)
}

func (db *DB) isHead(ctx context.Context, q queryer, u *model.User, orgID int64) (bool, error) {
	if u == nil || u.OrgID != orgID || !access.CanBeHead(u) {
		return false, nil
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM accountable_heads WHERE org_id = $1 AND user_id = $2", orgID, u.ID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: accountable head: %w", err)
	}
	return n > 0, nil
}

// DesignateHead makes a person of admin's public body one of its
// accountable heads (on) or ends the designation. Only an administrator
// or approver of the same body may be designated.
func (db *DB) DesignateHead(ctx context.Context, a Actor, admin *model.User, userID int64, on bool) error {
	if !access.CanDesignateHeads(admin) {
		return model.Forbidden()
	}
	target, err := db.User(ctx, userID)
	if err != nil {
		return err
	}
	if target.OrgID != admin.OrgID {
		return model.NotFound("user")
	}
	if on && !access.CanBeHead(target) {
		return model.FieldErrors{"head": "opinion.head_role"}.Err()
	}
	return db.tx(ctx, "accountable head", func(tx *sql.Tx) error {
		var err error
		if on {
			_, err = tx.ExecContext(ctx, `INSERT INTO accountable_heads (org_id, user_id, designated_by, designated_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (org_id, user_id) DO NOTHING`, admin.OrgID, userID, nullID(a.UserID), db.now())
		} else {
			_, err = tx.ExecContext(ctx, "DELETE FROM accountable_heads WHERE org_id = $1 AND user_id = $2", admin.OrgID, userID)
		}
		if err != nil {
			return fmt.Errorf("store: accountable head: %w", err)
		}
		return db.appendAudit(ctx, tx, a, admin.OrgID, "organisation", admin.OrgID, "accountable_head",
			map[string]any{"user_id": userID, "email": target.Email, "designated": on})
	})
}
