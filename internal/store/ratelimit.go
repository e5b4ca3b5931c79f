package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"
)

// RateAllow takes one token from the bucket of a limit (name) for key and
// reports whether there was one. Each bucket holds burst tokens and
// regains one every every. The buckets live in the database, so that a
// visitor spreading attempts over several app servers meets one limit;
// keys (addresses) are kept only as hashes.
func (db *DB) RateAllow(ctx context.Context, name, key string, burst int, every time.Duration) (bool, error) {
	sum := sha256.Sum256([]byte(name + "\x00" + key))
	k := hex.EncodeToString(sum[:16])
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	allowed := false
	err := db.tx(ctx, "rate limit", func(tx *sql.Tx) error {
		now := db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO rate_buckets (name, key, tokens, last) VALUES ($1, $2, $3, $4)
			ON CONFLICT (name, key) DO NOTHING`, name, k, float64(burst), now); err != nil {
			return err
		}
		var tokens float64
		var last time.Time
		if err := tx.QueryRowContext(ctx, "SELECT tokens, last FROM rate_buckets WHERE name = $1 AND key = $2"+lock, name, k).Scan(&tokens, &last); err != nil {
			return err
		}
		if now.After(last) {
			tokens += now.Sub(last).Seconds() / every.Seconds()
		}
		tokens = min(tokens, float64(burst))
		if tokens >= 1 {
			tokens--
			allowed = true
		}
		_, err := tx.ExecContext(ctx, "UPDATE rate_buckets SET tokens = $1, last = $2 WHERE name = $3 AND key = $4", tokens, now, name, k)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: rate limit: %w", err)
	}
	return allowed, nil
}
