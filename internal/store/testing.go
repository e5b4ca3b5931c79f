package store

import "context"

// QueryRowForTest reads one row with raw SQL, so tests elsewhere can check
// what is really stored (for instance that a name is not kept in clear).
func (db *DB) QueryRowForTest(q string, dest ...any) error {
	return db.read.QueryRowContext(context.Background(), q).Scan(dest...)
}
