// Package storetest opens migrated, empty databases for tests: a SQLite file
// in a temporary folder, and a PostgreSQL schema of its own when
// BUYRIGHT_TEST_POSTGRES_URL is set, so tests run in parallel without
// seeing each other's rows.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"buyright/internal/store"
)

// EnvPostgres names the variable holding the PostgreSQL URL for tests.
const EnvPostgres = "BUYRIGHT_TEST_POSTGRES_URL"

// Dialects lists the databases tests should run on here.
func Dialects() []store.Dialect {
	ds := []store.Dialect{store.SQLite}
	if os.Getenv(EnvPostgres) != "" {
		ds = append(ds, store.Postgres)
	}
	return ds
}

// Each runs fn once per available database, as parallel-safe subtests. It
// logs when PostgreSQL is skipped, so a green run says what it covered.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	if os.Getenv(EnvPostgres) == "" {
		t.Logf("PostgreSQL skipped: set %s to run on it too", EnvPostgres)
	}
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a migrated, empty database of the given dialect, removed when
// the test ends.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	db := OpenUnmigrated(t, d)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// OpenUnmigrated returns an empty database with no schema at all, for
// tests that build it the way an older buyright left it.
func OpenUnmigrated(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	ctx := context.Background()
	var dbURL string
	switch d {
	case store.SQLite:
		dbURL = "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	case store.Postgres:
		dbURL = postgresSchema(t)
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// URL returns the address of a fresh, empty, unmigrated database of the
// given dialect, removed when the test ends, for tests that open it
// themselves (the command line, several processes at once).
func URL(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.Postgres {
		return postgresSchema(t)
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// postgresSchema creates a fresh schema and returns a URL whose connections
// use it as their search path.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skipf("PostgreSQL not configured: set %s", EnvPostgres)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("creating test schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresURL returns the address of a fresh, empty PostgreSQL schema
// (dropped when the test ends), for tests that open the database the way
// the command line does. It skips without PostgreSQL.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return postgresSchema(t)
}
