package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"buyright/internal/model"
)

// uniqueViolation reports a UNIQUE constraint failure on either database.
func uniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// CreateOrg saves a new organisation.
func (db *DB) CreateOrg(ctx context.Context, a Actor, o *model.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	o.CreatedAt = db.now()
	return db.tx(ctx, "create organisation", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO organisations (slug, name, kind, jurisdiction, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, o.Slug, o.Name, o.Kind, o.Jurisdiction, o.CreatedAt).Scan(&o.ID)
		if uniqueViolation(err) {
			return &model.Error{Code: model.EConflict, Key: "error.invalid", Message: "an organisation with this short name exists", Fields: model.FieldErrors{"slug": "invalid.taken"}}
		}
		if err != nil {
			return fmt.Errorf("store: create organisation: %w", err)
		}
		return db.appendAudit(ctx, tx, a, o.ID, "organisation", o.ID, "create",
			map[string]any{"slug": o.Slug, "name": o.Name, "kind": o.Kind, "jurisdiction": o.Jurisdiction})
	})
}

// EnsureOrg returns the organisation with o's short name, creating it from
// o when there is none. Two imports started together for a new body both
// arrive here: the conflict is settled inside the INSERT, so neither fails
// (a failed INSERT would abort the transaction on PostgreSQL), and only
// the one that created it writes the audit row.
func (db *DB) EnsureOrg(ctx context.Context, a Actor, o *model.Organisation) (created bool, err error) {
	if err := o.Validate(); err != nil {
		return false, err
	}
	o.CreatedAt = db.now()
	err = db.tx(ctx, "ensure organisation", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO organisations (slug, name, kind, jurisdiction, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slug) DO NOTHING RETURNING id`, o.Slug, o.Name, o.Kind, o.Jurisdiction, o.CreatedAt).Scan(&o.ID)
		if errors.Is(err, sql.ErrNoRows) {
			got, err := scanOrg(tx.QueryRowContext(ctx, "SELECT "+orgColumns+" FROM organisations WHERE slug = $1", o.Slug))
			if err != nil {
				return fmt.Errorf("store: organisation %s: %w", o.Slug, err)
			}
			*o = *got
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: create organisation: %w", err)
		}
		created = true
		return db.appendAudit(ctx, tx, a, o.ID, "organisation", o.ID, "create",
			map[string]any{"slug": o.Slug, "name": o.Name, "kind": o.Kind, "jurisdiction": o.Jurisdiction})
	})
	return created, err
}

const orgColumns = "id, slug, name, kind, jurisdiction, created_at"

func scanOrg(row rowScanner) (*model.Organisation, error) {
	o := &model.Organisation{}
	err := row.Scan(&o.ID, &o.Slug, &o.Name, &o.Kind, &o.Jurisdiction, &o.CreatedAt)
	return o, err
}

// Org returns one organisation by id.
func (db *DB) Org(ctx context.Context, id int64) (*model.Organisation, error) {
	o, err := scanOrg(db.read.QueryRowContext(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("organisation")
	}
	return o, err
}

// Org queues the read of one organisation into out, which stays nil when
// there is no such organisation.
func (b *Batch) Org(id int64, out **model.Organisation) {
	b.read("organisation", "SELECT "+orgColumns+" FROM organisations WHERE id = $1", []any{id}, func(rs rowScanner) (err error) {
		*out, err = scanOrg(rs)
		return err
	})
}

// OrgBySlug returns one organisation by its short name.
func (db *DB) OrgBySlug(ctx context.Context, slug string) (*model.Organisation, error) {
	o, err := scanOrg(db.read.QueryRowContext(ctx, "SELECT "+orgColumns+" FROM organisations WHERE slug = $1", strings.ToLower(slug)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("organisation")
	}
	return o, err
}

// Orgs lists all organisations by name.
func (db *DB) Orgs(ctx context.Context) ([]*model.Organisation, error) {
	return db.orgsWhere(ctx, "1 = 1")
}

// OrgsOfKind lists the organisations of one kind, by name.
func (db *DB) OrgsOfKind(ctx context.Context, kind model.OrgKind) ([]*model.Organisation, error) {
	return fetch(ctx, db, func(b *Batch, out *[]*model.Organisation) { b.OrgsOfKind(kind, out) })
}

// OrgsOfKind queues the read of OrgsOfKind into out.
func (b *Batch) OrgsOfKind(kind model.OrgKind, out *[]*model.Organisation) {
	b.read("organisations", "SELECT "+orgColumns+" FROM organisations WHERE kind = $1 ORDER BY name, id", []any{kind}, appendRow(out, scanOrg))
}

func (db *DB) orgsWhere(ctx context.Context, where string, args ...any) ([]*model.Organisation, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+orgColumns+" FROM organisations WHERE "+where+" ORDER BY name, id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: organisations: %w", err)
	}
	defer rows.Close()
	var out []*model.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OrgNames returns the names of the organisations ids, by id.
func (db *DB) OrgNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for _, id := range ids {
		out[id] = ""
	}
	return out, db.namesByID(ctx, "SELECT id, name FROM organisations WHERE id IN", out)
}

// Remit lists the ids of the public bodies an oversight body watches.
func (db *DB) Remit(ctx context.Context, oversightID int64) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT org_id FROM oversight_remits WHERE oversight_org_id = $1 ORDER BY org_id", oversightID)
	if err != nil {
		return nil, fmt.Errorf("store: remit: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SetRemit replaces the list of public bodies an oversight body watches.
func (db *DB) SetRemit(ctx context.Context, a Actor, oversightID int64, orgIDs []int64) error {
	o, err := db.Org(ctx, oversightID)
	if err != nil {
		return err
	}
	if o.Kind != model.OrgOversight {
		return model.Errorf(model.EInvalid, "error.not_oversight", "only an oversight body has a remit")
	}
	old, err := db.Remit(ctx, oversightID)
	if err != nil {
		return err
	}
	// A body named twice (a repeated form field) is one body of the remit.
	orgIDs = slices.Compact(slices.Sorted(slices.Values(orgIDs)))
	return db.tx(ctx, "set remit", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM oversight_remits WHERE oversight_org_id = $1", oversightID); err != nil {
			return err
		}
		for _, id := range orgIDs {
			var kind string
			if err := tx.QueryRowContext(ctx, "SELECT kind FROM organisations WHERE id = $1", id).Scan(&kind); err != nil {
				return model.NotFound("organisation")
			}
			if model.OrgKind(kind) != model.OrgPublicBody {
				return model.Errorf(model.EInvalid, "error.remit_public_only", "a remit may only include public bodies")
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO oversight_remits (oversight_org_id, org_id) VALUES ($1, $2)", oversightID, id); err != nil {
				return fmt.Errorf("store: set remit: %w", err)
			}
		}
		return db.appendAudit(ctx, tx, a, oversightID, "organisation", oversightID, "set_remit",
			map[string]Change{"remit": {Old: old, New: orgIDs}})
	})
}
