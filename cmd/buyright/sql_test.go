package main

import (
	"database/sql"
	"testing"
)

// sqlExec changes a SQLite file behind buyright's back, as an attacker or a
// newer version would.
func sqlExec(t *testing.T, path, q string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}
