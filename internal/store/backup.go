package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres explains that PostgreSQL has its own tools for backups.
var ErrBackupPostgres = errors.New("buyright backup copies SQLite databases only; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=buyright.dump \"$DATABASE_URL\", and restore with pg_restore")

// Backup writes a consistent copy of a SQLite database to out while the
// application keeps running: VACUUM INTO reads one snapshot of the database
// and writes a compact new file.
func (db *DB) Backup(ctx context.Context, out string) error {
	if db.dialect != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", out)
	}
	if _, err := db.write.ExecContext(ctx, "VACUUM INTO $1", out); err != nil {
		return fmt.Errorf("backup to %s: %v", out, err)
	}
	return nil
}

// HasExtension reports whether a PostgreSQL extension is installed in the
// database (always false on SQLite). A dump of buyright's schema alone
// leaves extensions out, so backup names pg_trgm, which the title index of
// migration 0034 uses where it could be created.
func (db *DB) HasExtension(ctx context.Context, name string) (bool, error) {
	if db.dialect != Postgres {
		return false, nil
	}
	var ok bool
	if err := db.read.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = $1)", name).Scan(&ok); err != nil {
		return false, fmt.Errorf("store: extension %s: %w", name, err)
	}
	return ok, nil
}
