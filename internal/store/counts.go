package store

import (
	"context"
	"database/sql"
	"fmt"

	"buyright/internal/model"
)

// bumpCount adds delta to a body's number of purchases in a stage. Every
// write that creates a purchase or changes its stage calls it in the same
// transaction, so the counts never drift from the rows.
func bumpCount(ctx context.Context, tx *sql.Tx, orgID int64, stage model.Stage, delta int) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO purchase_counts (org_id, stage, n) VALUES ($1, $2, $3)
		ON CONFLICT (org_id, stage) DO UPDATE SET n = purchase_counts.n + excluded.n`, orgID, stage, delta)
	if err != nil {
		return fmt.Errorf("store: purchase counts: %w", err)
	}
	return nil
}

// visibleCounts is visible() for the purchase_counts table aliased c: which
// bodies' counts u may add up. Suppliers see single purchases, not bodies,
// so their counts come from the purchases themselves.
func visibleCounts(u *model.User, n int) (string, bool) {
	if u == nil || u.Org == nil || u.Disabled {
		return "", false
	}
	switch u.Org.Kind {
	case model.OrgPublicBody:
		return fmt.Sprintf("c.org_id = $%d", n), true
	case model.OrgOversight:
		return fmt.Sprintf("c.org_id IN (SELECT org_id FROM oversight_remits WHERE oversight_org_id = $%d)", n), true
	}
	return "", false
}

// stageCounts queues the read of the kept counts per stage for what u may
// see into counts, or reports false when they do not apply to u.
func (b *Batch) stageCounts(u *model.User, counts map[model.Stage]int) bool {
	cond, ok := visibleCounts(u, 1)
	if ok {
		b.read("purchase counts", "SELECT c.stage, SUM(c.n) FROM purchase_counts c WHERE "+cond+" GROUP BY c.stage", []any{u.OrgID}, countRow(counts))
	}
	return ok
}

// countRow takes rows of (stage, number) into counts.
func countRow(counts map[model.Stage]int) func(rowScanner) error {
	return func(rs rowScanner) error {
		var s model.Stage
		var n int
		if err := rs.Scan(&s, &n); err != nil {
			return err
		}
		counts[s] = n
		return nil
	}
}
