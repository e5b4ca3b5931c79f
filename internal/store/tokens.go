package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"buyright/internal/model"
)

// APIToken is a personal token for the JSON API. Only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CreateToken stores a new token's hash for a person.
func (db *DB) CreateToken(ctx context.Context, a Actor, u *model.User, name, tokenHash string) (*APIToken, error) {
	name = model.CleanLine(name)
	if name == "" || model.TooLong(name, 100) {
		return nil, model.FieldErrors{"name": "invalid.required"}.Err()
	}
	t := &APIToken{UserID: u.ID, Name: name, CreatedAt: db.now()}
	err := db.tx(ctx, "create token", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			u.ID, name, tokenHash, t.CreatedAt).Scan(&t.ID); err != nil {
			return fmt.Errorf("store: create token: %w", err)
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "api_token", t.ID, "create", map[string]any{"name": name, "user_id": u.ID})
	})
	return t, err
}

// Tokens lists a person's tokens, newest first.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC", userID)
	if err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		if used.Valid {
			t.LastUsedAt = &used.Time
		}
		if revoked.Valid {
			t.RevokedAt = &revoked.Time
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken ends one of a person's own tokens.
func (db *DB) RevokeToken(ctx context.Context, a Actor, u *model.User, id int64) error {
	return db.tx(ctx, "revoke token", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL", db.now(), id, u.ID)
		if err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.NotFound("token")
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "api_token", id, "revoke", nil)
	})
}

// TokenUser returns the person behind a live token and notes its use.
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (*model.User, error) {
	var tokenID int64
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+`, t.id FROM api_tokens t
		JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.org_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = FALSE`, tokenHash), &tokenID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("token")
	}
	if err != nil {
		return nil, err
	}
	// Best effort: a failure to note the time must not refuse the request.
	_, _ = db.write.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", db.now(), tokenID)
	return u, nil
}
