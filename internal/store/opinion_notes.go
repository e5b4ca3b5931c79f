package store

import (
	"context"
	"database/sql"
	"fmt"

	"buyright/internal/model"
	"buyright/internal/opinion"
)

// AddOversightNote records a note, an own assessment or a comment on one
// part of the assessment, by u's oversight body on p. A part is named by
// its id in the newest assessment version and must be there. The audit
// row says what kind of note was written, not its words: a note the body
// keeps to itself must not reach the buying body through the audit trail.
func (db *DB) AddOversightNote(ctx context.Context, a Actor, u *model.User, p *model.Purchase, n *opinion.Note) error {
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgOversight {
		return model.Forbidden()
	}
	if fe := n.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	if n.Part != opinion.Whole {
		ok, err := db.assessmentHasPart(ctx, p.ID, n.Part, n.PartID)
		if err != nil {
			return err
		}
		if !ok {
			return model.FieldErrors{"part": "opinion.part_missing"}.Err()
		}
	}
	now := db.now()
	return db.tx(ctx, "oversight note", func(tx *sql.Tx) error {
		var inRemit int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM oversight_remits WHERE oversight_org_id = $1 AND org_id = $2", u.OrgID, p.OrgID).Scan(&inRemit); err != nil {
			return fmt.Errorf("store: oversight note: %w", err)
		}
		if inRemit == 0 {
			return model.Forbidden()
		}
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		n.PurchaseID, n.OrgID, n.OrgName, n.By, n.ByName, n.At = p.ID, u.OrgID, u.Org.Name, a.UserID, name, now
		if err := tx.QueryRowContext(ctx, `INSERT INTO oversight_notes (purchase_id, org_id, kind, part, part_id, shared, title, body, by_user, by_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			p.ID, u.OrgID, string(n.Kind), string(n.Part), n.PartID, n.Shared, n.Title, n.Body, nullID(a.UserID), name, now).Scan(&n.ID); err != nil {
			return fmt.Errorf("store: oversight note: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "oversight_note", map[string]any{
			"note_id": n.ID, "by_org": n.OrgName, "kind": n.Kind, "part": n.Part, "part_id": n.PartID, "shared": n.Shared})
	})
}

// assessmentHasPart reports whether the newest assessment version of a
// purchase has the impact, mitigation or meeting with this id.
func (db *DB) assessmentHasPart(ctx context.Context, purchaseID int64, part opinion.Part, id int) (bool, error) {
	v, err := db.Assessment(ctx, purchaseID)
	if err != nil || v == nil {
		return false, err
	}
	switch part {
	case opinion.Impact:
		for _, x := range v.Doc.Impacts {
			if x.ID == id {
				return true, nil
			}
		}
	case opinion.Mitigation:
		for _, x := range v.Doc.Mitigations {
			if x.ID == id {
				return true, nil
			}
		}
	case opinion.Meeting:
		for _, x := range v.Doc.Engagements {
			if x.ID == id {
				return true, nil
			}
		}
	}
	return false, nil
}

// OversightNotes lists the notes on a purchase that u may read, oldest
// first: the shared ones, and those u's own body kept to itself.
func (db *DB) OversightNotes(ctx context.Context, u *model.User, purchaseID int64) ([]opinion.Note, error) {
	if !seesRecords(u) {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT n.id, n.purchase_id, n.org_id, o.name, n.kind, n.part, n.part_id, n.shared, n.title, n.body,
		COALESCE(n.by_user, 0), n.by_name, n.created_at FROM oversight_notes n JOIN organisations o ON o.id = n.org_id
		WHERE n.purchase_id = $1 AND (n.shared OR n.org_id = $2) ORDER BY n.id`, purchaseID, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: oversight notes: %w", err)
	}
	defer rows.Close()
	var out []opinion.Note
	for rows.Next() {
		var n opinion.Note
		if err := rows.Scan(&n.ID, &n.PurchaseID, &n.OrgID, &n.OrgName, &n.Kind, &n.Part, &n.PartID, &n.Shared, &n.Title, &n.Body,
			&n.By, &n.ByName, &n.At); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
