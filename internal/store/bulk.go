package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"buyright/internal/model"
)

// BulkInsertPurchases registers many purchases at their given stages in one
// transaction, with one audit row each, exactly as CreatePurchase would
// have logged them. Importers and benchmarks use it; people use
// CreatePurchase and Transition.
//
// It writes hundreds of rows per statement: the purchases' ids are taken
// up front (from the sequence on PostgreSQL, after the largest id under
// SQLite's write lock), the audit rows are chained and hashed in memory
// under the audit lock, and the per-stage counts are bumped once per
// stage. A hundred thousand purchases take seconds instead of minutes, and
// the log verifies as if each had been created on its own.
func (db *DB) BulkInsertPurchases(ctx context.Context, a Actor, ps []*model.Purchase) error {
	if len(ps) == 0 {
		return nil
	}
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("purchase %q: %w", p.Title, err)
		}
	}
	now := db.now()
	return db.tx(ctx, "bulk insert purchases", func(tx *sql.Tx) error {
		ids, err := db.takePurchaseIDs(ctx, tx, len(ps))
		if err != nil {
			return err
		}
		type bodyStage struct {
			org   int64
			stage model.Stage
		}
		counts := map[bodyStage]int{}
		var order []bodyStage
		rows := make([][]any, len(ps))
		for i, p := range ps {
			p.ID, p.CreatedAt, p.UpdatedAt, p.Version = ids[i], now, now, 1
			rows[i] = []any{p.ID, p.OrgID, p.Title, p.Need, p.Purpose, p.Sector, joinTechs(p.Technologies),
				p.AffectedPeople, p.VulnerableGroups, p.LegalBasis, p.ValueMinor, p.Currency, p.Funding, p.Funder,
				nullString(p.OCID), p.Emergency, p.TenderDate, p.AwardDate, p.ContractStart, p.ContractEnd,
				p.ReviewDate, p.SunsetDate, nullID(p.LeadUserID), p.Stage, 1, now, now}
			k := bodyStage{p.OrgID, p.Stage}
			if counts[k] == 0 {
				order = append(order, k)
			}
			counts[k]++
		}
		if err := db.insertRows(ctx, tx, `INSERT INTO purchases (id, org_id, title, need, purpose, sector, technologies,
			affected_people, vulnerable_groups, legal_basis, value_minor, currency, funding, funder, ocid, emergency,
			tender_date, award_date, contract_start, contract_end, review_date, sunset_date, lead_user_id, stage,
			version, created_at, updated_at) VALUES `, rows); err != nil {
			return fmt.Errorf("store: bulk insert: %w", err)
		}
		// One upsert per body and stage, in the order first met.
		for _, k := range order {
			if err := bumpCount(ctx, tx, k.org, k.stage, counts[k]); err != nil {
				return err
			}
		}
		details := make([]any, len(ps))
		for i, p := range ps {
			details[i] = diffPurchase(&model.Purchase{}, p)
		}
		return db.appendAuditMany(ctx, tx, a, "purchase", "create", func(i int) (int64, int64, any) {
			return ps[i].OrgID, ps[i].ID, details[i]
		}, len(ps))
	})
}

// takePurchaseIDs reserves n purchase ids, in increasing order.
func (db *DB) takePurchaseIDs(ctx context.Context, tx *sql.Tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if db.dialect == Postgres {
		rows, err := tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence('purchases', 'id')) FROM generate_series(1, $1)", n)
		if err != nil {
			return nil, fmt.Errorf("store: purchase ids: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		slices.Sort(ids)
		return ids, nil
	}
	// SQLite: the write transaction already holds the database lock.
	var last int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM purchases").Scan(&last); err != nil {
		return nil, fmt.Errorf("store: purchase ids: %w", err)
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

// insertRows runs head (an INSERT … VALUES) with rows, as many rows per
// statement as both databases' limits on parameters allow. SQLite gets
// anonymous "?" parameters: it looks numbered ones up by name one by one,
// which over thousands of parameters costs more than the insert.
func (db *DB) insertRows(ctx context.Context, tx *sql.Tx, head string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	cols := len(rows[0])
	per := max(1, 30000/cols) // SQLite allows 32,766 parameters, PostgreSQL 65,535
	var b strings.Builder
	args := make([]any, 0, per*cols)
	for lo := 0; lo < len(rows); lo += per {
		hi := min(lo+per, len(rows))
		b.Reset()
		b.WriteString(head)
		args = args[:0]
		for i, r := range rows[lo:hi] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for c := range r {
				if c > 0 {
					b.WriteByte(',')
				}
				if db.dialect == Postgres {
					b.WriteByte('$')
					b.WriteString(strconv.Itoa(len(args) + c + 1))
				} else {
					b.WriteByte('?')
				}
			}
			b.WriteByte(')')
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// ExecRaw runs a statement outside any transaction; tools use it to create
// and drop scratch schemas.
func (db *DB) ExecRaw(ctx context.Context, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}

// BulkPublish publishes many never-published purchases in one transaction
// with the same summary, building their register entries, with one audit
// line each as Publish writes. Benchmarks and tests use it; people publish
// with Publish (one at a time, or through the bulk page).
func (db *DB) BulkPublish(ctx context.Context, a Actor, ps []*model.Purchase, summary string) error {
	now := db.now()
	return db.tx(ctx, "bulk publish", func(tx *sql.Tx) error {
		for _, p := range ps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO publications (purchase_id, published, summary, decided_by, decided_at, first_published_at)
				VALUES ($1, TRUE, $2, $3, $4, $4)`, p.ID, summary, nullID(a.UserID), now); err != nil {
				return fmt.Errorf("store: bulk publish: %w", err)
			}
			if err := db.noteChange(ctx, tx, p.ID, "published"); err != nil {
				return err
			}
			if err := db.refreshEntry(ctx, tx, p.ID); err != nil {
				return err
			}
			if err := db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "publish",
				map[string]any{"published": Change{false, true}, "summary": Change{"", summary}}); err != nil {
				return err
			}
		}
		return nil
	})
}
