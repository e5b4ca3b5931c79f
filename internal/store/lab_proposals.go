package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"buyright/internal/model"
)

// LabProposed marks a members' material its organisation has asked the
// Lab's editors to publish: still members-only until an editor does.
const LabProposed = "proposed"

// ProposeMaterial asks the Lab's editors to publish a material. Only a
// person of the organisation that shared it may ask, and only while it is
// members-only; the request is audited, and publishing stays an editor's.
func (db *DB) ProposeMaterial(ctx context.Context, a Actor, id int64) error {
	return db.tx(ctx, "propose material", func(tx *sql.Tx) error {
		u, _, err := labActor(ctx, tx, a)
		if err != nil {
			return err
		}
		if u == nil {
			return model.Forbidden()
		}
		var orgID int64
		var status string
		err = tx.QueryRowContext(ctx, "SELECT org_id, status FROM lab_materials WHERE id = $1", id).Scan(&orgID, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound("lab_material")
		}
		if err != nil {
			return fmt.Errorf("store: propose material: %w", err)
		}
		if orgID != u.OrgID {
			return model.Forbidden()
		}
		if status != LabMembersOnly {
			return model.Errorf(model.EConflict, "lab.members.err.not_members_only", "only a members-only material can be proposed for publication")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE lab_materials SET status = $1 WHERE id = $2", LabProposed, id); err != nil {
			return fmt.Errorf("store: propose material: %w", err)
		}
		return db.appendAudit(ctx, tx, a, orgID, "lab_material", id, "propose_publication", nil)
	})
}
