package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"buyright/internal/store"
)

// defaultDB is where buyright keeps its data when nothing else is said.
const defaultDB = "sqlite:buyright.db"

// dbFlag adds --db to a command; BUYRIGHT_DB sets its default.
func dbFlag(fs *flag.FlagSet, e *env) *string {
	def := defaultDB
	if v := e.getenv("BUYRIGHT_DB"); v != "" {
		def = v
	}
	return fs.String("db", def, "database: sqlite:PATH or postgres://USER@HOST/DB (env BUYRIGHT_DB)")
}

// openDB opens and, when migrate is set, migrates the database; otherwise
// it requires the schema to be current.
func openDB(ctx context.Context, url string, migrate bool) (*store.DB, error) {
	if !migrate {
		if err := mustExist(url); err != nil {
			return nil, err
		}
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if migrate {
		_, err = db.Migrate(ctx)
	} else {
		err = db.CheckSchema(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// mustExist refuses a SQLite path with no file behind it, for commands that
// only read or copy a database: a typo must not create an empty one and
// report success.
func mustExist(url string) error {
	path, ok := strings.CutPrefix(url, "sqlite:")
	if !ok || path == ":memory:" {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database at %s (check --db, or create one with 'buyright migrate --db %s')", path, url)
	}
	return nil
}
