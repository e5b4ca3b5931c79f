package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"buyright/internal/model"
)

// Move is a stage change to record.
type Move struct {
	To       model.Stage
	Reason   string
	Failed   []model.GateFailure // gate rules that failed; non-empty means an override
	Override bool
}

// Transition moves a purchase to another stage. p must be the purchase as
// the gate rules saw it: if its version changed since, the move is refused,
// so no gate is passed on stale facts. The stage, the history row, any
// override and the audit row are written in one transaction: a crash leaves
// either the old stage or the new one with its full record.
func (db *DB) Transition(ctx context.Context, a Actor, p *model.Purchase, m Move) error {
	if len(m.Failed) > 0 && !m.Override {
		return model.Errorf(model.EInvalid, "error.gate_failed", "the gate rules for this stage are not met")
	}
	from := p.Stage
	now := db.now()
	err := db.tx(ctx, "transition", func(tx *sql.Tx) error {
		// No override passes an emergency measure's sunset.
		if err := db.checkSunsetMove(ctx, tx, p.ID, m.To); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE purchases SET stage = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
			m.To, now, p.ID, p.Version)
		if err != nil {
			return fmt.Errorf("store: transition: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStale()
		}
		if err := bumpCount(ctx, tx, p.OrgID, from, -1); err != nil {
			return err
		}
		if err := bumpCount(ctx, tx, p.OrgID, m.To, 1); err != nil {
			return err
		}
		var changeID int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO stage_changes (purchase_id, from_stage, to_stage, user_id, reason, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			p.ID, from, m.To, nullID(a.UserID), m.Reason, now).Scan(&changeID); err != nil {
			return fmt.Errorf("store: stage history: %w", err)
		}
		detail := map[string]any{"stage": Change{from, m.To}, "reason": m.Reason}
		if m.Override {
			failed, _ := json.Marshal(m.Failed)
			if _, err := tx.ExecContext(ctx, `INSERT INTO gate_overrides (purchase_id, stage_change_id, from_stage, to_stage, failed_rules, reason, user_id, at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.ID, changeID, from, m.To, string(failed), m.Reason, nullID(a.UserID), now); err != nil {
				return fmt.Errorf("store: gate override: %w", err)
			}
			detail["override"] = true
			detail["failed_rules"] = m.Failed
		}
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "transition", detail)
	})
	if err != nil {
		return err
	}
	p.Stage, p.Version, p.UpdatedAt = m.To, p.Version+1, now
	return nil
}

// StageHistory lists a purchase's stage changes, oldest first, with the
// override of each where there was one.
func (db *DB) StageHistory(ctx context.Context, purchaseID int64) ([]model.StageChange, error) {
	return fetch(ctx, db, func(b *Batch, out *[]model.StageChange) { b.StageHistory(purchaseID, out) })
}

// StageHistory queues the read of StageHistory into out.
func (b *Batch) StageHistory(purchaseID int64, out *[]model.StageChange) {
	b.read("stage history", `SELECT c.id, c.purchase_id, c.from_stage, c.to_stage, COALESCE(NULLIF(u.name, ''), u.email, 'system'), c.reason, c.at,
		COALESCE(g.id, 0), COALESCE(g.failed_rules, '')
		FROM stage_changes c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN gate_overrides g ON g.stage_change_id = c.id
		WHERE c.purchase_id = $1 ORDER BY c.id`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (c model.StageChange, err error) {
			var overrideID int64
			var failed string
			if err := rs.Scan(&c.ID, &c.PurchaseID, &c.From, &c.To, &c.UserName, &c.Reason, &c.At, &overrideID, &failed); err != nil {
				return c, err
			}
			if overrideID != 0 {
				c.Override = &model.GateOverride{ID: overrideID, PurchaseID: c.PurchaseID, From: c.From, To: c.To, Reason: c.Reason, UserName: c.UserName, At: c.At}
				_ = json.Unmarshal([]byte(failed), &c.Override.Failed)
			}
			return c, nil
		}))
}

// Overrides lists gate overrides on the purchases u may see, newest first:
// the list oversight bodies watch. (CROSS JOIN keeps SQLite walking the few
// overrides, not every purchase.)
func (db *DB) Overrides(ctx context.Context, u *model.User, limit int) ([]model.GateOverride, error) {
	return fetch(ctx, db, func(b *Batch, out *[]model.GateOverride) { b.Overrides(u, limit, out) })
}

// Overrides queues the read of Overrides into out.
func (b *Batch) Overrides(u *model.User, limit int, out *[]model.GateOverride) {
	if !seesRecords(u) {
		return
	}
	b.read("overrides", `SELECT g.id, g.purchase_id, p.title, o.name, g.from_stage, g.to_stage, g.failed_rules, g.reason,
		COALESCE(NULLIF(u.name, ''), u.email, 'system'), g.at
		FROM gate_overrides g CROSS JOIN purchases p JOIN organisations o ON o.id = p.org_id
		LEFT JOIN users u ON u.id = g.user_id
		WHERE p.id = g.purchase_id AND `+visible(u, 1)+` ORDER BY g.id DESC LIMIT $2`, []any{u.OrgID, limit},
		appendRow(out, func(rs rowScanner) (g model.GateOverride, err error) {
			var failed string
			if err := rs.Scan(&g.ID, &g.PurchaseID, &g.PurchaseTitle, &g.OrgName, &g.From, &g.To, &failed, &g.Reason, &g.UserName, &g.At); err != nil {
				return g, err
			}
			_ = json.Unmarshal([]byte(failed), &g.Failed)
			return g, nil
		}))
}
