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

// Extensions lists the PostgreSQL extensions buyright's schema uses that
// are installed in the database: pg_trgm, for the title index of
// migration 0034 where it could be created. A dump of the schema alone
// leaves extensions out, and its index would then not restore.
func (db *DB) Extensions(ctx context.Context) ([]string, error) {
	if db.dialect != Postgres {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, "SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm') ORDER BY extname")
	if err != nil {
		return nil, fmt.Errorf("store: extensions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}
