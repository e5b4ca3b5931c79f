package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"buyright/internal/model"
)

// Token scopes: what a personal token may do, never more than its owner.
const (
	TokenRead  = "read"  // GET only
	TokenWrite = "write" // everything the owner may do through the API
)

// TokenLifetimes are the expiries offered, in days.
var TokenLifetimes = []int{30, 90, 365}

// APIToken is a personal token for the JSON API. Only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Scope      string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Expired reports whether the token has run out at now.
func (t *APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// CreateToken stores a new token's hash for a person, with its scope and a
// lifetime of one of TokenLifetimes days.
func (db *DB) CreateToken(ctx context.Context, a Actor, u *model.User, name, tokenHash, scope string, days int) (*APIToken, error) {
	name = model.CleanLine(name)
	fe := model.FieldErrors{}
	if name == "" || model.TooLong(name, 100) {
		fe.Add("name", "invalid.required")
	}
	if scope != TokenRead && scope != TokenWrite {
		fe.Add("scope", "invalid.choice")
	}
	if !slices.Contains(TokenLifetimes, days) {
		fe.Add("expires", "invalid.choice")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	now := db.now()
	t := &APIToken{UserID: u.ID, Name: name, Scope: scope, CreatedAt: now, ExpiresAt: now.Add(time.Duration(days) * 24 * time.Hour)}
	err := db.tx(ctx, "create token", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "INSERT INTO api_tokens (user_id, name, token_hash, created_at, scope, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			u.ID, name, tokenHash, t.CreatedAt, scope, t.ExpiresAt).Scan(&t.ID); err != nil {
			return fmt.Errorf("store: create token: %w", err)
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "api_token", t.ID, "create",
			map[string]any{"name": name, "user_id": u.ID, "scope": scope, "expires_at": t.ExpiresAt.Format(time.RFC3339)})
	})
	return t, err
}

// Tokens lists a person's tokens, newest first.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, user_id, name, scope, created_at, expires_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC", userID)
	if err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var expires, used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Scope, &t.CreatedAt, &expires, &used, &revoked); err != nil {
			return nil, err
		}
		t.ExpiresAt = expires.Time
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

// ErrTokenExpired is returned for a token past its expiry.
var ErrTokenExpired = &model.Error{Code: model.EUnauthorized, Key: "error.token_expired", Message: "the token has expired; create a new one on your account page"}

// TokenAccess returns the person behind a live token and the token's
// scope, and notes its use. An expired token is ErrTokenExpired; an
// unknown or revoked one is not found.
func (db *DB) TokenAccess(ctx context.Context, tokenHash string) (*model.User, string, error) {
	var tokenID int64
	var scope string
	var expires sql.NullTime
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+`, t.id, t.scope, t.expires_at FROM api_tokens t
		JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.org_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = FALSE`, tokenHash), &tokenID, &scope, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", model.NotFound("token")
	}
	if err != nil {
		return nil, "", err
	}
	now := db.now()
	if !expires.Valid || !now.Before(expires.Time) {
		return nil, "", ErrTokenExpired
	}
	// Best effort: a failure to note the time must not refuse the request.
	_, _ = db.write.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now, tokenID)
	return u, scope, nil
}

// TokenUser returns the person behind a live token (any scope).
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (*model.User, error) {
	u, _, err := db.TokenAccess(ctx, tokenHash)
	return u, err
}
