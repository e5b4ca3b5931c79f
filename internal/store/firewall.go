package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"buyright/internal/firewall"
	"buyright/internal/model"
)

// AddFirewallRule records a barrier around a relationship's data.
func (db *DB) AddFirewallRule(ctx context.Context, a Actor, p *model.Purchase, r *firewall.Rule) error {
	if fe := r.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	now := db.now()
	return db.tx(ctx, "firewall rule", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO firewall_rules (purchase_id, data, barred_uses, barred_parties, technical, contractual, audit, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			p.ID, r.Data, r.BarredUses, r.BarredParties, r.Technical, r.Contractual, r.Audit, nullID(a.UserID), now).Scan(&r.ID); err != nil {
			return fmt.Errorf("store: firewall rule: %w", err)
		}
		r.PurchaseID, r.CreatedAt = p.ID, now
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "firewall_rule", map[string]any{
			"rule": r.ID, "data": r.Data, "barred_uses": r.BarredUses, "barred_parties": r.BarredParties,
			"technical": r.Technical, "contractual": r.Contractual, "audit": r.Audit})
	})
}

// FirewallRules lists a relationship's rules, oldest first.
func (db *DB) FirewallRules(ctx context.Context, purchaseID int64) ([]firewall.Rule, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, r.data, r.barred_uses, r.barred_parties, r.technical, r.contractual, r.audit,
		COALESCE(NULLIF(u.name, ''), u.email, ''), r.created_at FROM firewall_rules r LEFT JOIN users u ON u.id = r.created_by
		WHERE r.purchase_id = $1 ORDER BY r.id`, purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: firewall rules: %w", err)
	}
	defer rows.Close()
	var out []firewall.Rule
	for rows.Next() {
		r := firewall.Rule{PurchaseID: purchaseID}
		if err := rows.Scan(&r.ID, &r.Data, &r.BarredUses, &r.BarredParties, &r.Technical, &r.Contractual, &r.Audit, &r.CreatedBy, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: firewall rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReportFirewallIncident records a time a barrier failed and, in the same
// transaction, opens a task on the purchase: the body must act on it, and
// the oversight bodies with the body in their remit see the task among
// their signals. The reporter may be the body or the company party to the
// relationship (reporterOrg).
func (db *DB) ReportFirewallIncident(ctx context.Context, a Actor, p *model.Purchase, reporterOrg int64, in *firewall.Incident) error {
	if fe := in.Validate(model.DateOf(db.now())); len(fe) > 0 {
		return fe.Err()
	}
	now := db.now()
	return db.tx(ctx, "firewall incident", func(tx *sql.Tx) error {
		if in.RuleID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM firewall_rules WHERE id = $1 AND purchase_id = $2", in.RuleID, p.ID).Scan(&n); err != nil {
				return fmt.Errorf("store: firewall incident: %w", err)
			}
			if n == 0 {
				return model.FieldErrors{"rule_id": "invalid.choice"}.Err()
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO firewall_incidents (purchase_id, rule_id, occurred_on, found_on, barrier, what, data_reached, people,
			action_taken, reported_org, reported_by, reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			p.ID, nullID(in.RuleID), in.OccurredOn, in.FoundOn, in.Barrier, in.What, in.DataReached, in.People, in.Action,
			nullID(reporterOrg), nullID(a.UserID), now).Scan(&in.ID); err != nil {
			return fmt.Errorf("store: firewall incident: %w", err)
		}
		title := "Firewall breached: " + taskTitle(in.What, 160)
		task, err := db.openTask(ctx, tx, a, p, "incident", title, "firewall:"+strconv.FormatInt(in.ID, 10), model.DateOf(now).AddDays(14))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE firewall_incidents SET task_id = $1 WHERE id = $2", task, in.ID); err != nil {
			return fmt.Errorf("store: firewall incident: %w", err)
		}
		in.PurchaseID, in.TaskID, in.TaskOpen, in.ReportedAt = p.ID, task, true, now
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "firewall_incident", map[string]any{
			"incident": in.ID, "rule": in.RuleID, "occurred_on": in.OccurredOn.String(), "found_on": in.FoundOn.String(),
			"barrier": string(in.Barrier), "what": in.What, "data_reached": in.DataReached, "people": in.People, "task": task})
	})
}

// FirewallIncidents lists a relationship's incidents, newest first, with
// whether the task each opened is still open.
func (db *DB) FirewallIncidents(ctx context.Context, purchaseID int64) ([]firewall.Incident, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT i.id, COALESCE(i.rule_id, 0), i.occurred_on, i.found_on, i.barrier, i.what, i.data_reached, i.people,
		i.action_taken, COALESCE(i.task_id, 0), (t.id IS NOT NULL AND t.done_at IS NULL), COALESCE(o.name, ''), COALESCE(NULLIF(u.name, ''), u.email, ''), i.reported_at
		FROM firewall_incidents i LEFT JOIN tasks t ON t.id = i.task_id LEFT JOIN organisations o ON o.id = i.reported_org
		LEFT JOIN users u ON u.id = i.reported_by WHERE i.purchase_id = $1 ORDER BY i.id DESC`, purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: firewall incidents: %w", err)
	}
	defer rows.Close()
	var out []firewall.Incident
	for rows.Next() {
		in := firewall.Incident{PurchaseID: purchaseID}
		if err := rows.Scan(&in.ID, &in.RuleID, &in.OccurredOn, &in.FoundOn, &in.Barrier, &in.What, &in.DataReached, &in.People,
			&in.Action, &in.TaskID, &in.TaskOpen, &in.ReportedOrg, &in.ReportedBy, &in.ReportedAt); err != nil {
			return nil, fmt.Errorf("store: firewall incidents: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// taskTitle is the first line of s, cut to at most n characters, for a
// task's title.
func taskTitle(s string, n int) string {
	for i, r := range s {
		if r == '\n' {
			s = s[:i]
			break
		}
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
