package store

import "context"

// QueryRowForTest reads one row with raw SQL, so tests elsewhere can check
// what is really stored (for instance that a name is not kept in clear).
func (db *DB) QueryRowForTest(q string, dest ...any) error {
	return db.read.QueryRowContext(context.Background(), q).Scan(dest...)
}

// AuditForTest lists the details of the audit rows about one kind of
// object, oldest first.
func (db *DB) AuditForTest(objectType string) ([]string, error) {
	rows, err := db.read.QueryContext(context.Background(), "SELECT detail FROM audit_log WHERE object_type = $1 ORDER BY id", objectType)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RegisterPagesComputedForTest is how many register pages this handle has
// computed rather than served from its cache.
func (db *DB) RegisterPagesComputedForTest() int64 { return db.pages.computed.Load() }
