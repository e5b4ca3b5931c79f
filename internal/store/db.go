// Package store keeps every SQL statement of buyright, for SQLite (the
// embedded default) and PostgreSQL. Queries are written once where the two
// dialects agree ($1 placeholders work on both) and split where they do not.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"buyright/internal/sso"
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is buyright's storage. It is safe for concurrent use.
type DB struct {
	dialect Dialect
	// read serves queries; write serves transactions. On SQLite write is a
	// single connection, so writers queue in Go instead of failing with
	// "database is locked"; on PostgreSQL both are the same pool.
	read  *sql.DB
	write *sql.DB
	path  string // SQLite file path

	// Now is the clock; tests replace it.
	Now func() time.Time
	// facets caches register facet counts, keyed on the newest register
	// change, which every app server reads from the database.
	facets facetCache
	// pages keeps whole register result pages until the register
	// changes (register_pages.go).
	pages pageCache
	// secrets seals organisations' client secrets; set from the
	// installation key by SetSecretKey.
	secrets atomic.Pointer[sso.SecretBox]
	// failAfterWrite, when set by a test, makes a write transaction fail just
	// before commit, to prove that a crash leaves no half-done change.
	failAfterWrite func(op string) error
}

// Dialect reports the engine in use.
func (db *DB) Dialect() Dialect { return db.dialect }

// Open connects to the database named by a URL: "sqlite:PATH" (or
// "sqlite::memory:" in tests) or "postgres://...". It checks that the
// database answers but does not migrate it.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(dbURL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dbURL, "sqlite:"))
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		return openPostgres(ctx, dbURL)
	default:
		scheme := dbURL
		if i := strings.Index(dbURL, ":"); i >= 0 {
			scheme = dbURL[:i]
		}
		return nil, fmt.Errorf("unknown database scheme %q: use sqlite:PATH or postgres://USER@HOST/DB", scheme)
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: no file path given: use sqlite:PATH")
	}
	if path != ":memory:" {
		if dir := filepath.Dir(path); dir != "" {
			if _, err := os.Stat(dir); err != nil {
				return nil, fmt.Errorf("sqlite: folder %s does not exist", dir)
			}
		}
	}
	// busy_timeout first, so the other pragmas wait for a lock instead of
	// failing; _txlock=immediate takes the write lock at BEGIN, which avoids
	// deadlocks between two transactions that both read and then write.
	q := url.Values{}
	// The server's memory is bounded: an 8 MB page cache per connection
	// (nine connections: 72 MB at most) and the first 64 MB of the file
	// memory-mapped (shared by every connection, counted once in the
	// process's resident memory); the operating system's file cache keeps
	// the rest of a large register off the disk without counting against
	// the process. (32 MB per connection and 256 MB mapped let a server on
	// a register of 80,000 entries reach 620 MB under 16 clients.)
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)",
		"cache_size(-8000)", "mmap_size(67108864)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	db := &DB{dialect: SQLite, path: path, Now: time.Now}
	var err error
	if path == ":memory:" {
		// One shared connection: every new :memory: connection would be a
		// new, empty database.
		db.write, err = sql.Open("sqlite", dsn)
		if err == nil {
			db.write.SetMaxOpenConns(1)
			db.read = db.write
		}
	} else {
		db.write, err = sql.Open("sqlite", dsn)
		if err == nil {
			db.write.SetMaxOpenConns(1)
			db.read, err = sql.Open("sqlite", dsn)
		}
		if err == nil {
			db.read.SetMaxOpenConns(8)
			db.read.SetMaxIdleConns(8)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	db.write.SetConnMaxIdleTime(0)
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, sqliteOpenError(path, err)
	}
	// A read-only file or folder only shows when we try to write. (IF EXISTS:
	// two processes opening a new file at once may drop each other's probe.)
	if _, err := db.write.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS _buyright_probe (x INTEGER); DROP TABLE IF EXISTS _buyright_probe"); err != nil {
		db.Close()
		return nil, sqliteOpenError(path, err)
	}
	return db, nil
}

func sqliteOpenError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "readonly") || strings.Contains(msg, "read-only"):
		return fmt.Errorf("sqlite %s: the file or its folder is read-only; buyright needs to write it (and its -wal and -shm files)", path)
	case strings.Contains(msg, "locked") || strings.Contains(msg, "busy"):
		return fmt.Errorf("sqlite %s: the database is locked by another program; close it and try again", path)
	case strings.Contains(msg, "not a database") || strings.Contains(msg, "malformed"):
		return fmt.Errorf("sqlite %s: the file is not a buyright database (not SQLite, or damaged)", path)
	case strings.Contains(msg, "unable to open"):
		return fmt.Errorf("sqlite %s: cannot open the file (check the path and permissions)", path)
	}
	return fmt.Errorf("sqlite %s: %v", path, err)
}

func openPostgres(ctx context.Context, dbURL string) (*DB, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return nil, errors.New("postgres: the URL cannot be parsed")
	}
	where := u.Host + u.Path
	if q := u.Query(); !q.Has("work_mem") {
		// 16 MB per sort or bitmap instead of PostgreSQL's 4 MB, unless
		// the URL sets work_mem: with 4 MB, a register search at a
		// million entries with a word and two facets built lossy bitmaps
		// and read 9,000 table pages instead of 800 (0.8 s against 0.15 s).
		// Twenty connections bound it to 320 MB in the worst case.
		q.Set("work_mem", "16MB")
		u.RawQuery = q.Encode()
		dbURL = u.String()
	}
	pool, err := sql.Open("pgx", dbURL)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %v", where, err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.PingContext(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres %s is not reachable: %s", where, firstLine(err.Error()))
	}
	return &DB{dialect: Postgres, read: pool, write: pool, Now: time.Now}, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Close releases the connections.
func (db *DB) Close() error {
	var err error
	if db.read != nil && db.read != db.write {
		err = db.read.Close()
	}
	if db.write != nil {
		if e := db.write.Close(); e != nil {
			err = e
		}
	}
	return err
}

// Ping reports whether the database answers; /healthz uses it.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Optimize refreshes the query planner's statistics; the server runs it at
// start and every hour. Without them SQLite may walk an index where a plain
// scan is cheaper, and PostgreSQL may walk the register backwards looking
// for a rare word. (PostgreSQL's autovacuum also analyses, but only after
// enough rows change.)
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect == Postgres {
		// VACUUM keeps the visibility map current, so the purchase list
		// can page through its indexes without reading the table. It
		// cannot share a statement string with anything else.
		if _, err := db.write.ExecContext(ctx, "VACUUM (ANALYZE) purchases, purchase_counts"); err != nil {
			return err
		}
		_, err := db.write.ExecContext(ctx, "ANALYZE register_entries")
		return err
	}
	_, err := db.write.ExecContext(ctx, "PRAGMA optimize=0x10002")
	return err
}

// now returns the clock in UTC, truncated to microseconds so that a time
// read back from either database equals the one written.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// tx runs fn in a write transaction and commits it, or rolls back on error.
// Every change and its audit row go through here together.
func (db *DB) tx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %s: begin: %w", op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if db.failAfterWrite != nil {
		if err := db.failAfterWrite(op); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %s: commit: %w", op, err)
	}
	return nil
}
