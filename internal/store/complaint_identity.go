package store

import (
	"context"
	"database/sql"
)

// RecordIdentityReading writes to the audit log that a complainant's name
// and contact were read, and by whom, before they are shown: a reading
// that cannot be logged does not happen.
func (db *DB) RecordIdentityReading(ctx context.Context, a Actor, c *Complaint, readerOrg string) error {
	return db.tx(ctx, "complainant identity read", func(tx *sql.Tx) error {
		return db.appendAudit(ctx, tx, a, c.OrgID, "complaint", c.ID, "read_identity", map[string]any{"reader_organisation": readerOrg})
	})
}
