package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ComplaintKeyState is what the database says about the key that encrypts
// complainants' names: the fingerprint of the key it was last used with,
// how many complaints it holds and how many of them carry a sealed name,
// and one of those (to try a key on when no fingerprint was kept yet).
type ComplaintKeyState struct {
	Fingerprint string // "" when none was recorded
	Complaints  int
	Named       int
	SampleID    int64
	Sample      []byte
}

// ComplaintKeyState reads the state of the complaint key.
func (db *DB) ComplaintKeyState(ctx context.Context) (*ComplaintKeyState, error) {
	st := &ComplaintKeyState{}
	err := db.read.QueryRowContext(ctx, "SELECT fingerprint FROM complaint_key WHERE id = 1").Scan(&st.Fingerprint)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: complaint key: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*), COUNT(identity) FROM complaints").Scan(&st.Complaints, &st.Named); err != nil {
		return nil, fmt.Errorf("store: complaint key: %w", err)
	}
	if st.Named > 0 {
		err := db.read.QueryRowContext(ctx, "SELECT id, identity FROM complaints WHERE identity IS NOT NULL ORDER BY id LIMIT 1").Scan(&st.SampleID, &st.Sample)
		if err != nil {
			return nil, fmt.Errorf("store: complaint key: %w", err)
		}
	}
	return st, nil
}

// SetComplaintKeyFingerprint records the fingerprint of the key the
// server runs with; a change of key is audited.
func (db *DB) SetComplaintKeyFingerprint(ctx context.Context, fingerprint string) error {
	return db.tx(ctx, "complaint key", func(tx *sql.Tx) error {
		var old string
		err := tx.QueryRowContext(ctx, "SELECT fingerprint FROM complaint_key WHERE id = 1").Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, "INSERT INTO complaint_key (id, fingerprint, set_at) VALUES (1, $1, $2)", fingerprint, db.now())
		case err == nil && old == fingerprint:
			return nil
		case err == nil:
			_, err = tx.ExecContext(ctx, "UPDATE complaint_key SET fingerprint = $1, set_at = $2 WHERE id = 1", fingerprint, db.now())
		}
		if err != nil {
			return fmt.Errorf("store: complaint key: %w", err)
		}
		return db.appendAudit(ctx, tx, System, 0, "installation", 0, "complaint_key", map[string]string{"fingerprint": fingerprint, "was": old})
	})
}
