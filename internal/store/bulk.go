package store

import (
	"context"
	"database/sql"
	"fmt"

	"buyright/internal/model"
)

// BulkInsertPurchases registers many purchases at their given stages in one
// transaction, with one audit row each. Importers and benchmarks use it;
// people use CreatePurchase and Transition.
func (db *DB) BulkInsertPurchases(ctx context.Context, a Actor, ps []*model.Purchase) error {
	now := db.now()
	return db.tx(ctx, "bulk insert purchases", func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO purchases (org_id, title, need, purpose, sector, technologies,
			affected_people, vulnerable_groups, legal_basis, value_minor, currency, funding, funder, ocid, emergency,
			tender_date, award_date, contract_start, contract_end, review_date, sunset_date, lead_user_id, stage,
			version, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,1,$24,$24)
			RETURNING id`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, p := range ps {
			if err := p.Validate(); err != nil {
				return fmt.Errorf("purchase %q: %w", p.Title, err)
			}
			p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
			if err := stmt.QueryRowContext(ctx, p.OrgID, p.Title, p.Need, p.Purpose, p.Sector, joinTechs(p.Technologies),
				p.AffectedPeople, p.VulnerableGroups, p.LegalBasis, p.ValueMinor, p.Currency, p.Funding, p.Funder,
				nullString(p.OCID), p.Emergency, p.TenderDate, p.AwardDate, p.ContractStart, p.ContractEnd,
				p.ReviewDate, p.SunsetDate, nullID(p.LeadUserID), p.Stage, now).Scan(&p.ID); err != nil {
				return fmt.Errorf("store: bulk insert: %w", err)
			}
			if err := bumpCount(ctx, tx, p.OrgID, p.Stage, 1); err != nil {
				return err
			}
			if err := db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "create", diffPurchase(&model.Purchase{}, p)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ExecRaw runs a statement outside any transaction; tools use it to create
// and drop scratch schemas.
func (db *DB) ExecRaw(ctx context.Context, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}

// BulkPublish publishes many purchases in one transaction with the same
// summary, building their register entries. The register benchmark and
// importers use it; people publish one purchase at a time with Publish.
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
		}
		return nil
	})
}
