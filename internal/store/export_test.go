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

// Tamper runs raw SQL after lifting the audit tables' append-only
// triggers, as someone who owns the database (or holds the SQLite file)
// can; the application's own connection is refused by the triggers.
func (db *DB) Tamper(qs ...string) error {
	lift := []string{"ALTER TABLE audit_log DISABLE TRIGGER USER", "ALTER TABLE audit_head DISABLE TRIGGER USER", "ALTER TABLE audit_checkpoints DISABLE TRIGGER USER"}
	if db.dialect == SQLite {
		lift = nil
		rows, err := db.write.Query("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_head', 'audit_checkpoints')")
		if err != nil {
			return err
		}
		for rows.Next() {
			var name string
			rows.Scan(&name)
			lift = append(lift, "DROP TRIGGER "+name)
		}
		rows.Close()
	}
	for _, q := range append(lift, qs...) {
		if _, err := db.write.Exec(q); err != nil {
			return err
		}
	}
	return nil
}
