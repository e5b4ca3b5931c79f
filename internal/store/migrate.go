package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the numbered SQL files of a dialect in order. Files are
// named NNNN_what.sql; numbers must run 1, 2, 3... without gaps.
func migrations(d Dialect) ([]migration, error) {
	dir := "migrations/" + string(d)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("migration file %s/%s is not named NNNN_name.sql", dir, name)
		}
		b, err := migrationFS.ReadFile(dir + "/" + name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations for %s: expected version %d, found %s", d, i+1, m.name)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest migration applied (0 for an empty database).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.write.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	if err != nil {
		if isMissingTable(err) {
			return 0, nil
		}
		return 0, fmt.Errorf("store: reading schema version: %w", err)
	}
	return int(v.Int64), nil
}

func isMissingTable(err error) bool {
	s := err.Error()
	return strings.Contains(s, "no such table") || strings.Contains(s, "does not exist")
}

// ErrSchemaTooNew means the database was written by a newer buyright.
var ErrSchemaTooNew = errors.New("schema too new")

// Migrate applies the pending migrations, each in its own transaction, and
// refuses a database written by a newer version of buyright. On PostgreSQL an
// advisory lock lets several app servers start at once safely.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	ms, err := migrations(db.dialect)
	if err != nil {
		return 0, err
	}
	// Up to date: nothing to create. This is also how an application role
	// without the right to create tables (README, "Running on PostgreSQL")
	// starts: even CREATE TABLE IF NOT EXISTS needs that right.
	if cur, err := db.SchemaVersion(ctx); err == nil && cur == len(ms) {
		return 0, nil
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("store: creating schema_migrations: %w", err)
	}
	for {
		cur, err := db.SchemaVersion(ctx)
		if err != nil {
			return applied, err
		}
		if cur > len(ms) {
			return applied, fmt.Errorf("%w: the database is at schema version %d but this buyright knows only up to %d; run a newer buyright", ErrSchemaTooNew, cur, len(ms))
		}
		if cur == len(ms) {
			return applied, nil
		}
		m := ms[cur]
		err = db.tx(ctx, "migrate", func(tx *sql.Tx) error {
			if db.dialect == Postgres {
				if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7240001, hashtext(current_schema()))"); err != nil {
					return err
				}
				var done bool
				if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", m.version).Scan(&done); err != nil || done {
					return err // another server applied it meanwhile
				}
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("store: migration %s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				m.version, m.name, db.now().Format("2006-01-02T15:04:05Z"))
			return err
		})
		if err != nil {
			return applied, err
		}
		applied++
	}
}

// CheckSchema reports whether the database is exactly at the version this
// binary expects.
func (db *DB) CheckSchema(ctx context.Context) error {
	ms, err := migrations(db.dialect)
	if err != nil {
		return err
	}
	cur, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case cur > len(ms):
		return fmt.Errorf("%w: the database is at schema version %d but this buyright knows only up to %d; run a newer buyright", ErrSchemaTooNew, cur, len(ms))
	case cur < len(ms):
		return fmt.Errorf("the database is at schema version %d and needs %d; run 'buyright migrate'", cur, len(ms))
	}
	return nil
}
