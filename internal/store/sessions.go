package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"buyright/internal/model"
)

// CreateSession stores a session for a person. tokenHash is the SHA-256 of
// the cookie value; the value itself never reaches the database.
func (db *DB) CreateSession(ctx context.Context, userID int64, tokenHash string, ttl time.Duration) error {
	now := db.now()
	_, err := db.write.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
		tokenHash, userID, now, now.Add(ttl))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser returns the person behind a live session, or not found.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (*model.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+` FROM sessions s
		JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = FALSE`, tokenHash, db.now()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("session")
	}
	return u, err
}

// DeleteSession ends one session (sign-out).
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.write.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
	return err
}

// DeleteExpired removes old sessions and sign-in failures; the server runs
// it now and then.
func (db *DB) DeleteExpired(ctx context.Context) error {
	now := db.now()
	if _, err := db.write.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= $1", now); err != nil {
		return err
	}
	_, err := db.write.ExecContext(ctx, "DELETE FROM signin_failures WHERE at < $1", now.Add(-24*time.Hour))
	return err
}

// RecordSignInFailure notes a failed sign-in for an address.
func (db *DB) RecordSignInFailure(ctx context.Context, email string) error {
	_, err := db.write.ExecContext(ctx, "INSERT INTO signin_failures (email, at) VALUES ($1, $2)", model.NormalizeEmail(email), db.now())
	return err
}

// SignInFailures counts failures for an address since a time.
func (db *DB) SignInFailures(ctx context.Context, email string, since time.Time) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM signin_failures WHERE email = $1 AND at > $2", model.NormalizeEmail(email), since.UTC()).Scan(&n)
	return n, err
}

// ClearSignInFailures forgets failures after a good sign-in.
func (db *DB) ClearSignInFailures(ctx context.Context, email string) error {
	_, err := db.write.ExecContext(ctx, "DELETE FROM signin_failures WHERE email = $1", model.NormalizeEmail(email))
	return err
}
