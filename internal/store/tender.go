package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"buyright/internal/model"
	"buyright/internal/tender"
)

// TenderChoices returns what was decided about each item of a purchase's
// tender pack, by item id; items never decided are absent.
func (db *DB) TenderChoices(ctx context.Context, purchaseID int64) (map[string]tender.Choice, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT t.item_id, t.catalog_hash, t.decision, t.edited_text, t.weight, t.reason,
		COALESCE(NULLIF(t.decided_name, ''), u.email, ''), t.decided_at, t.rev
		FROM tender_items t LEFT JOIN users u ON u.id = t.decided_by WHERE t.purchase_id = $1 ORDER BY t.item_id`, purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: tender choices: %w", err)
	}
	defer rows.Close()
	out := map[string]tender.Choice{}
	for rows.Next() {
		var c tender.Choice
		if err := rows.Scan(&c.ItemID, &c.CatalogHash, &c.Decision, &c.EditedText, &c.Weight, &c.Reason, &c.DecidedBy, &c.DecidedAt, &c.Rev); err != nil {
			return nil, fmt.Errorf("store: tender choices: %w", err)
		}
		out[c.ItemID] = c
	}
	return out, rows.Err()
}

// DecideTender records the officer's decision about one tender-pack item
// and writes it to the purchase's audit log in the same transaction. The
// caller validates the choice against the catalogue item (tender.Validate);
// the store refuses only what would make the record meaningless.
func (db *DB) DecideTender(ctx context.Context, a Actor, p *model.Purchase, c tender.Choice) error {
	if err := checkChoice(&c); err != nil {
		return err
	}
	return db.tx(ctx, "decide tender item", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		_, err := db.decideTenderTx(ctx, tx, a, p, c, -1)
		return err
	})
}

// ErrTenderConflict is returned by DecideTenderSection when an item was
// decided by someone else after the form was shown; nothing is stored.
var ErrTenderConflict = model.Errorf(model.EConflict, "tender.err.conflict", "someone else saved this section meanwhile")

// DecideTenderSection records the decisions of one section of the tender
// pack in one transaction: each item whose decision, text, weight or
// reason differs from what is stored (or that was never decided) gets a
// decision by the actor and its own audit entry. revs holds the revision
// each item had when the form was shown (0: never decided); if any stored
// revision differs, someone else saved meanwhile and nothing is stored. It
// returns the ids of the items it recorded.
func (db *DB) DecideTenderSection(ctx context.Context, a Actor, p *model.Purchase, cs []tender.Choice, revs map[string]int64) ([]string, error) {
	for i := range cs {
		if err := checkChoice(&cs[i]); err != nil {
			return nil, err
		}
	}
	var saved []string
	err := db.tx(ctx, "decide tender section", func(tx *sql.Tx) error {
		saved = nil
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		for _, c := range cs {
			rev, ok := revs[c.ItemID]
			if !ok {
				rev = -1
			}
			changed, err := db.decideTenderTx(ctx, tx, a, p, c, rev)
			if err != nil {
				return err
			}
			if changed {
				saved = append(saved, c.ItemID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

func checkChoice(c *tender.Choice) error {
	if c.ItemID == "" || (c.Decision != tender.Proposed && c.Decision != tender.Accepted && c.Decision != tender.Edited && c.Decision != tender.Rejected) {
		return model.FieldErrors{"decision": "tender.err.decision"}.Err()
	}
	if (c.Decision == tender.Rejected || c.Decision == tender.Edited) && c.Reason == "" {
		return model.FieldErrors{"reason": "tender.err.reason"}.Err()
	}
	if c.Decision != tender.Edited {
		c.EditedText = ""
	}
	return nil
}

// decideTenderTx stores one decision inside tx. wantRev >= 0 is the
// revision the caller saw; a different stored one is a conflict. A
// decision equal to the stored one is not recorded again (changed false).
func (db *DB) decideTenderTx(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, c tender.Choice, wantRev int64) (bool, error) {
	now := db.now()
	var old tender.Choice
	err := tx.QueryRowContext(ctx, `SELECT decision, edited_text, weight, reason, rev FROM tender_items WHERE purchase_id = $1 AND item_id = $2`, p.ID, c.ItemID).
		Scan(&old.Decision, &old.EditedText, &old.Weight, &old.Reason, &old.Rev)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if wantRev > 0 {
			return false, ErrTenderConflict
		}
		old.Decision = tender.Proposed
		_, err = tx.ExecContext(ctx, `INSERT INTO tender_items (purchase_id, item_id, catalog_hash, decision, edited_text, weight, reason, decided_by, decided_name, decided_at, rev)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)`,
			p.ID, c.ItemID, c.CatalogHash, c.Decision, c.EditedText, c.Weight, c.Reason, nullID(a.UserID), a.Label, now)
	case err == nil:
		if wantRev >= 0 && wantRev != old.Rev {
			return false, ErrTenderConflict
		}
		if wantRev >= 0 && old.Decision == c.Decision && old.EditedText == c.EditedText && old.Weight == c.Weight && old.Reason == c.Reason {
			return false, nil // unchanged in a section save: the earlier decision stands as recorded
		}
		_, err = tx.ExecContext(ctx, `UPDATE tender_items SET catalog_hash = $1, decision = $2, edited_text = $3, weight = $4, reason = $5,
			decided_by = $6, decided_name = $7, decided_at = $8, rev = rev + 1 WHERE purchase_id = $9 AND item_id = $10`,
			c.CatalogHash, c.Decision, c.EditedText, c.Weight, c.Reason, nullID(a.UserID), a.Label, now, p.ID, c.ItemID)
	}
	if err != nil {
		return false, fmt.Errorf("store: decide tender item: %w", err)
	}
	detail := map[string]any{"item": c.ItemID, "catalog_hash": c.CatalogHash,
		"decision": Change{Old: old.Decision, New: c.Decision}}
	if c.Weight != 0 || old.Weight != 0 {
		detail["weight"] = Change{Old: old.Weight, New: c.Weight}
	}
	if c.Reason != "" {
		detail["reason"] = c.Reason
	}
	if c.Decision == tender.Edited {
		detail["edited_text"] = c.EditedText
	}
	return true, db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "tender_decision", detail)
}

// TenderFacts reads what the tender-pack gate checks: the screening result
// and the decisions taken so far.
func (db *DB) TenderFacts(ctx context.Context, purchaseID int64) (*tender.Facts, error) {
	f := &tender.Facts{}
	s, err := db.Screening(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	if s != nil {
		f.Screened, f.Result = true, s.Result
	}
	if f.Choices, err = db.TenderChoices(ctx, purchaseID); err != nil {
		return nil, err
	}
	return f, nil
}
