package store

import (
	"context"
	"database/sql"
	"fmt"

	"buyright/internal/model"
	"buyright/internal/opinion"
)

const ruleColumns = `r.id, r.org_id, o.name, r.min_level, r.technology, r.sector, r.before_stage, r.days, r.by_name, r.created_at,
	r.retired_at, r.retired_by`

func scanRule(row rowScanner) (opinion.Rule, error) {
	var r opinion.Rule
	var retired sql.NullTime
	err := row.Scan(&r.ID, &r.OrgID, &r.OrgName, &r.MinLevel, &r.Technology, &r.Sector, &r.Before, &r.Days, &r.ByName, &r.At, &retired, &r.RetiredBy)
	r.RetiredAt = retired.Time
	return r, err
}

// OpinionRules lists an oversight body's rules, those in force first, then
// the retired ones, oldest first within each.
func (db *DB) OpinionRules(ctx context.Context, orgID int64) ([]opinion.Rule, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+ruleColumns+` FROM opinion_rules r JOIN organisations o ON o.id = r.org_id
		WHERE r.org_id = $1 ORDER BY CASE WHEN r.retired_at IS NULL THEN 0 ELSE 1 END, r.id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: opinion rules: %w", err)
	}
	defer rows.Close()
	var out []opinion.Rule
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, fmt.Errorf("store: opinion rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddOpinionRule records a rule of u's oversight body: which purchases in
// its remit need its opinion, before which stage, and in how many days.
func (db *DB) AddOpinionRule(ctx context.Context, a Actor, u *model.User, r *opinion.Rule) error {
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgOversight {
		return model.Forbidden()
	}
	if fe := r.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	now := db.now()
	return db.tx(ctx, "opinion rule", func(tx *sql.Tx) error {
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		r.OrgID, r.OrgName, r.ByName, r.At = u.OrgID, u.Org.Name, name, now
		if err := tx.QueryRowContext(ctx, `INSERT INTO opinion_rules (org_id, min_level, technology, sector, before_stage, gate_stage, days, by_user, by_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			r.OrgID, r.MinLevel, string(r.Technology), string(r.Sector), string(r.Before), string(r.Gate()), r.Days, nullID(a.UserID), name, now).Scan(&r.ID); err != nil {
			return fmt.Errorf("store: opinion rule: %w", err)
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "organisation", u.OrgID, "opinion_rule_added", map[string]any{
			"rule_id": r.ID, "min_level": r.MinLevel, "technology": r.Technology, "sector": r.Sector, "before": r.Before, "days": r.Days})
	})
}

// RetireOpinionRule withdraws one of u's body's rules from now on. Opinions
// already asked for and given stay as they are; a gate no longer waits for
// an opinion only that rule asked for.
func (db *DB) RetireOpinionRule(ctx context.Context, a Actor, u *model.User, ruleID int64) error {
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgOversight {
		return model.Forbidden()
	}
	return db.tx(ctx, "retire opinion rule", func(tx *sql.Tx) error {
		name, err := db.personName(ctx, tx, a)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE opinion_rules SET retired_at = $1, retired_by = $2 WHERE id = $3 AND org_id = $4 AND retired_at IS NULL",
			db.now(), name, ruleID, u.OrgID)
		if err != nil {
			return fmt.Errorf("store: retire opinion rule: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.NotFound("opinion rule")
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "organisation", u.OrgID, "opinion_rule_retired", map[string]any{"rule_id": ruleID})
	})
}

// rulesOver queues the read of the rules in force of every oversight body
// whose remit covers public body orgID.
func (b *Batch) rulesOver(orgID int64, out *[]opinion.Rule) {
	b.read("opinion rules", `SELECT `+ruleColumns+` FROM opinion_rules r JOIN organisations o ON o.id = r.org_id
		WHERE r.retired_at IS NULL AND r.org_id IN (SELECT oversight_org_id FROM oversight_remits WHERE org_id = $1) ORDER BY r.id`, []any{orgID},
		appendRow(out, scanRule))
}
