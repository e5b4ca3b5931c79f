package store

import "database/sql"

// Test hooks: only compiled into this package's tests.

func (db *DB) SetFailAfterWrite(fn func(op string) error) { db.failAfterWrite = fn }

// Exec runs raw SQL on the write connection, to tamper with the database the
// way an attacker with file access would.
func (db *DB) Exec(q string, args ...any) error {
	_, err := db.write.Exec(q, args...)
	return err
}

func (db *DB) RawDB() *sql.DB { return db.write }
