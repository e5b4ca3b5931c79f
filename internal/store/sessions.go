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

// DeleteExpired removes old sessions, sign-in failures, known browsers
// and rate-limit buckets, and files that nothing names an hour after
// they were stored; the server runs it now and then.
func (db *DB) DeleteExpired(ctx context.Context) error {
	now := db.now()
	if _, err := db.write.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= $1", now); err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, "DELETE FROM signin_devices WHERE expires_at <= $1", now); err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, "DELETE FROM sso_states WHERE expires_at <= $1", now); err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, "DELETE FROM signin_failures WHERE at < $1", now.Add(-FailureMemory)); err != nil {
		return err
	}
	// A bucket untouched for a day is full again: forgetting it is the same.
	if _, err := db.write.ExecContext(ctx, "DELETE FROM rate_buckets WHERE last < $1", now.Add(-24*time.Hour)); err != nil {
		return err
	}
	_, err := db.SweepBlobs(ctx, now.Add(-time.Hour))
	return err
}

// FailureMemory is how long a failed sign-in is remembered.
const FailureMemory = 24 * time.Hour

// SignInKey says who is trying: the account's e-mail address, a hash of
// the visitor's address, and a hash of the browser's known-device token
// when the browser is known for this account ("" otherwise).
type SignInKey struct {
	Email  string
	Addr   string
	Device string
}

// Failures is a count of failed sign-ins and when the last one was.
type Failures struct {
	N    int
	Last time.Time
}

func (f *Failures) add(at time.Time) {
	f.N++
	if at.After(f.Last) {
		f.Last = at
	}
}

// SignInFailures are the failures that bear on one attempt, each counted
// once per group that the limits in the web layer slow down separately.
type SignInFailures struct {
	Pair    Failures // this account, from this address, from unknown browsers
	Account Failures // this account, from browsers it does not know
	Addr    Failures // any account, from this address
	Device  Failures // this account, from this known browser
}

// SignInHistory reads the failures of the last day that bear on k. The
// newest few thousand are enough: past that every delay is at its longest.
func (db *DB) SignInHistory(ctx context.Context, k SignInKey) (SignInFailures, error) {
	var out SignInFailures
	email := model.NormalizeEmail(k.Email)
	rows, err := db.read.QueryContext(ctx, `SELECT email, addr, device, at FROM signin_failures
		WHERE at > $1 AND (email = $2 OR addr = $3) ORDER BY at DESC LIMIT 5000`, db.now().Add(-FailureMemory), email, k.Addr)
	if err != nil {
		return out, fmt.Errorf("store: sign-in failures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e, a, d string
		var at time.Time
		if err := rows.Scan(&e, &a, &d, &at); err != nil {
			return out, err
		}
		if a == k.Addr {
			out.Addr.add(at)
		}
		switch {
		case e != email:
		case d == "":
			out.Account.add(at)
			if a == k.Addr {
				out.Pair.add(at)
			}
		case d == k.Device:
			out.Device.add(at)
		}
	}
	return out, rows.Err()
}

// RecordSignInFailure notes a failed attempt (a wrong password at sign-in
// or when changing it).
func (db *DB) RecordSignInFailure(ctx context.Context, k SignInKey) error {
	_, err := db.write.ExecContext(ctx, "INSERT INTO signin_failures (email, addr, device, at) VALUES ($1, $2, $3, $4)",
		model.NormalizeEmail(k.Email), k.Addr, k.Device, db.now())
	if err != nil {
		return fmt.Errorf("store: sign-in failure: %w", err)
	}
	return nil
}

// ClearSignInFailures forgets, after the right password, the failures of
// this account from this address or this browser. Strangers' failures at
// the account stay, and so do this address's failures at other accounts
// (signing in to one's own account must not reset a spraying count).
func (db *DB) ClearSignInFailures(ctx context.Context, k SignInKey) error {
	_, err := db.write.ExecContext(ctx, "DELETE FROM signin_failures WHERE email = $1 AND (addr = $2 OR (device <> '' AND device = $3))",
		model.NormalizeEmail(k.Email), k.Addr, k.Device)
	return err
}

// RememberDevice marks a browser (by the hash of its device token) as
// known for an account, for ttl.
func (db *DB) RememberDevice(ctx context.Context, tokenHash, email string, ttl time.Duration) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO signin_devices (token_hash, email, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (token_hash, email) DO UPDATE SET expires_at = excluded.expires_at`, tokenHash, model.NormalizeEmail(email), db.now().Add(ttl))
	if err != nil {
		return fmt.Errorf("store: known browser: %w", err)
	}
	return nil
}

// KnownDevice reports whether a browser signed in to the account before.
func (db *DB) KnownDevice(ctx context.Context, tokenHash, email string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM signin_devices WHERE token_hash = $1 AND email = $2 AND expires_at > $3",
		tokenHash, model.NormalizeEmail(email), db.now()).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: known browser: %w", err)
	}
	return n > 0, nil
}
