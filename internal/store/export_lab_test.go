package store

import (
	"context"
	"fmt"
)

// MigrateTo applies the first n migrations only, so that a test can fill a
// database the way an older buyright left it before migrating the rest.
func (db *DB) MigrateTo(ctx context.Context, n int) error {
	ms, err := migrations(db.dialect)
	if err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	for _, m := range ms[:n] {
		if _, err := db.write.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := db.write.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", m.version, m.name, "2026-01-01T00:00:00Z"); err != nil {
			return err
		}
	}
	return nil
}
