package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"buyright/internal/model"
)

// An invited supplier's answer to the invitation.
const (
	InvitationAccepted = "accepted"
	InvitationDeclined = "declined"
)

// RespondToInvitation records that an invited supplier takes part in the
// purchase or declines, with a reason the body reads on the purchase. A
// supplier may change its answer; each answer is audited on the purchase.
func (db *DB) RespondToInvitation(ctx context.Context, a Actor, p *model.Purchase, orgID int64, response, reason string) error {
	reason = strings.TrimSpace(reason)
	fe := model.FieldErrors{}
	switch {
	case response != InvitationAccepted && response != InvitationDeclined:
		fe.Add("response", "invitation.err.response")
	case response == InvitationDeclined && reason == "":
		fe.Add("reason", "invitation.err.reason")
	}
	if len(reason) > 4000 {
		fe.Add("reason", "invitation.err.too_long")
	}
	if len(fe) > 0 {
		return fe.Err()
	}
	return db.tx(ctx, "respond to invitation", func(tx *sql.Tx) error {
		var old string
		err := tx.QueryRowContext(ctx, "SELECT response FROM purchase_suppliers WHERE purchase_id = $1 AND org_id = $2", p.ID, orgID).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return model.Forbidden()
		} else if err != nil {
			return fmt.Errorf("store: respond to invitation: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE purchase_suppliers SET response = $1, response_reason = $2, responded_by = $3, responded_at = $4
			WHERE purchase_id = $5 AND org_id = $6`, response, reason, nullID(a.UserID), db.now(), p.ID, orgID); err != nil {
			return fmt.Errorf("store: respond to invitation: %w", err)
		}
		detail := map[string]any{"supplier": orgID, "response": Change{Old: old, New: response}}
		if reason != "" {
			detail["reason"] = reason
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "invitation_"+response, detail)
	})
}

// SupplierDraft is a questionnaire saved but not submitted: only the
// supplier reads it.
type SupplierDraft struct {
	Answers map[string]string
	SavedBy string
	SavedAt time.Time
}

// maxDraftBytes bounds a stored draft; the questionnaire's own limits are
// checked on submission.
const maxDraftBytes = 512 << 10

// SaveSupplierDraft keeps what a supplier typed in its questionnaire,
// unchecked, to come back to. It replaces the previous draft. The body
// does not see it: the audit entry belongs to the supplier's organisation
// and names no answer.
func (db *DB) SaveSupplierDraft(ctx context.Context, a Actor, p *model.Purchase, orgID int64, answers map[string]string) error {
	js, _ := json.Marshal(answers)
	if len(js) > maxDraftBytes {
		return model.FieldErrors{"draft": "supplier.err.draft_too_long"}.Err()
	}
	return db.tx(ctx, "save supplier draft", func(tx *sql.Tx) error {
		var invited int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM purchase_suppliers WHERE purchase_id = $1 AND org_id = $2", p.ID, orgID).Scan(&invited); err != nil {
			return fmt.Errorf("store: supplier draft: %w", err)
		}
		if invited == 0 {
			return model.Forbidden()
		}
		res, err := tx.ExecContext(ctx, "UPDATE supplier_drafts SET answers = $1, saved_by = $2, saved_at = $3 WHERE purchase_id = $4 AND org_id = $5",
			string(js), nullID(a.UserID), db.now(), p.ID, orgID)
		if err != nil {
			return fmt.Errorf("store: supplier draft: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, "INSERT INTO supplier_drafts (purchase_id, org_id, answers, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5)",
				p.ID, orgID, string(js), nullID(a.UserID), db.now()); err != nil {
				return fmt.Errorf("store: supplier draft: %w", err)
			}
		}
		return db.appendAudit(ctx, tx, a, orgID, "supplier_draft", p.ID, "supplier_draft_saved", map[string]any{"purchase": p.ID, "filled": len(answers)})
	})
}

// SupplierDraftOf returns the supplier's draft for a purchase, or nil.
func (db *DB) SupplierDraftOf(ctx context.Context, purchaseID, orgID int64) (*SupplierDraft, error) {
	var js string
	d := &SupplierDraft{}
	err := db.read.QueryRowContext(ctx, `SELECT d.answers, COALESCE(NULLIF(u.name, ''), u.email, ''), d.saved_at FROM supplier_drafts d
		LEFT JOIN users u ON u.id = d.saved_by WHERE d.purchase_id = $1 AND d.org_id = $2`, purchaseID, orgID).Scan(&js, &d.SavedBy, &d.SavedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: supplier draft: %w", err)
	}
	if err := json.Unmarshal([]byte(js), &d.Answers); err != nil {
		return nil, fmt.Errorf("store: supplier draft: %w", err)
	}
	return d, nil
}

// dropSupplierDraft removes the draft once the answers are submitted.
func dropSupplierDraft(ctx context.Context, tx *sql.Tx, purchaseID, orgID int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM supplier_drafts WHERE purchase_id = $1 AND org_id = $2", purchaseID, orgID); err != nil {
		return fmt.Errorf("store: supplier draft: %w", err)
	}
	return nil
}
