package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"buyright/internal/model"
	"buyright/internal/relationship"
)

// RelationshipTerms returns the kind-specific terms of a purchase, or nil
// when none were written.
func (db *DB) RelationshipTerms(ctx context.Context, purchaseID int64) (*relationship.Terms, error) {
	t := &relationship.Terms{PurchaseID: purchaseID}
	err := db.read.QueryRowContext(ctx, `SELECT r.conditions, r.authority_powers, r.shared_data, r.decision_rights, r.permitted_uses,
		r.strings_attached, r.exit_terms, r.rev, COALESCE(NULLIF(u.name, ''), u.email, ''), r.updated_at
		FROM relationship_terms r LEFT JOIN users u ON u.id = r.updated_by WHERE r.purchase_id = $1`, purchaseID).
		Scan(&t.Conditions, &t.AuthorityPowers, &t.SharedData, &t.DecisionRights, &t.PermittedUses, &t.Strings, &t.Exit, &t.Rev, &t.UpdatedBy, &t.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: relationship terms: %w", err)
	}
	return t, nil
}

// SaveRelationshipTerms writes the terms of a purchase. rev is the revision
// the person started from (0 for none yet): a save based on an older one is
// refused rather than overwriting someone else's words. The register entry
// is refreshed, since a published relationship shows its terms.
func (db *DB) SaveRelationshipTerms(ctx context.Context, a Actor, p *model.Purchase, t *relationship.Terms, rev int64) error {
	if fe := t.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	now := db.now()
	return db.tx(ctx, "relationship terms", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		var cur int64
		old := relationship.Terms{}
		err := tx.QueryRowContext(ctx, `SELECT rev, conditions, authority_powers, shared_data, decision_rights, permitted_uses, strings_attached, exit_terms
			FROM relationship_terms WHERE purchase_id = $1`, p.ID).
			Scan(&cur, &old.Conditions, &old.AuthorityPowers, &old.SharedData, &old.DecisionRights, &old.PermittedUses, &old.Strings, &old.Exit)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: relationship terms: %w", err)
		}
		if cur != rev {
			return model.Errorf(model.EConflict, "error.stale", "someone else changed these terms meanwhile; reload the page and apply your change again")
		}
		changes := map[string]Change{}
		for _, f := range relationship.Fields {
			if o, n := old.Get(f), t.Get(f); o != n {
				changes[f] = Change{o, n}
			}
		}
		if len(changes) == 0 {
			t.Rev = cur
			return nil
		}
		if cur == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO relationship_terms (purchase_id, conditions, authority_powers, shared_data, decision_rights,
				permitted_uses, strings_attached, exit_terms, rev, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10)`,
				p.ID, t.Conditions, t.AuthorityPowers, t.SharedData, t.DecisionRights, t.PermittedUses, t.Strings, t.Exit, nullID(a.UserID), now)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE relationship_terms SET conditions = $1, authority_powers = $2, shared_data = $3, decision_rights = $4,
				permitted_uses = $5, strings_attached = $6, exit_terms = $7, rev = rev + 1, updated_by = $8, updated_at = $9 WHERE purchase_id = $10`,
				t.Conditions, t.AuthorityPowers, t.SharedData, t.DecisionRights, t.PermittedUses, t.Strings, t.Exit, nullID(a.UserID), now, p.ID)
		}
		if err != nil {
			return fmt.Errorf("store: relationship terms: %w", err)
		}
		t.PurchaseID, t.Rev, t.UpdatedAt = p.ID, cur+1, now
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "relationship_terms", changes)
	})
}

// ScreenedKind reads the kind of relationship the purchase's saved
// screening was scored for, for the gate that keeps the two in step.
func (db *DB) ScreenedKind(ctx context.Context, purchaseID int64) (string, bool, error) {
	s, err := db.Screening(ctx, purchaseID)
	if err != nil || s == nil {
		return "", false, err
	}
	k, _ := s.Answers[relationship.Question].(string)
	return k, s.Result.Complete(), nil
}
