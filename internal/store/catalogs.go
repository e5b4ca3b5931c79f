package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"buyright/internal/catalog"
)

// CatalogUpload is a set of catalogue files an administrator uploaded and
// the hash of the set they built over the built-in one. Every upload is
// kept, so screenings pinned to an older hash can still be shown with the
// questions they were answered against.
type CatalogUpload struct {
	ID         int64
	Hash       string
	Name       string
	Sources    []catalog.Source
	Active     bool
	UploadedBy string
	UploadedAt time.Time
}

const catalogUploadColumns = `c.id, c.hash, c.name, c.sources, c.active, COALESCE(NULLIF(u.name, ''), u.email, 'system'), c.uploaded_at`

func scanCatalogUpload(row interface{ Scan(...any) error }) (*CatalogUpload, error) {
	c := &CatalogUpload{}
	var src string
	if err := row.Scan(&c.ID, &c.Hash, &c.Name, &src, &c.Active, &c.UploadedBy, &c.UploadedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(src), &c.Sources); err != nil {
		return nil, fmt.Errorf("store: catalogue upload %d: %w", c.ID, err)
	}
	return c, nil
}

// SaveCatalogUpload keeps an uploaded, lint-clean catalogue layer and makes
// it the active one. Uploading a set identical to a kept one re-activates it.
func (db *DB) SaveCatalogUpload(ctx context.Context, a Actor, name, hash string, sources []catalog.Source) error {
	b, err := json.Marshal(sources)
	if err != nil {
		return fmt.Errorf("store: catalogue upload: %w", err)
	}
	return db.tx(ctx, "catalogue upload", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE catalog_uploads SET active = FALSE WHERE active = TRUE"); err != nil {
			return fmt.Errorf("store: catalogue upload: %w", err)
		}
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM catalog_uploads WHERE hash = $1", hash).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err = tx.QueryRowContext(ctx, `INSERT INTO catalog_uploads (hash, name, sources, active, uploaded_by, uploaded_at)
				VALUES ($1, $2, $3, TRUE, $4, $5) RETURNING id`, hash, name, string(b), nullID(a.UserID), db.now()).Scan(&id)
		case err == nil:
			_, err = tx.ExecContext(ctx, "UPDATE catalog_uploads SET active = TRUE WHERE id = $1", id)
		}
		if err != nil {
			return fmt.Errorf("store: catalogue upload: %w", err)
		}
		return db.appendAudit(ctx, tx, a, 0, "catalog", id, "catalog_upload", map[string]any{"hash": hash, "name": name, "files": len(sources)})
	})
}

// DeactivateCatalogUploads goes back to the built-in catalogues (or the
// server's --catalog-dir), keeping every upload.
func (db *DB) DeactivateCatalogUploads(ctx context.Context, a Actor) error {
	return db.tx(ctx, "catalogue reset", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE catalog_uploads SET active = FALSE WHERE active = TRUE"); err != nil {
			return fmt.Errorf("store: catalogue reset: %w", err)
		}
		return db.appendAudit(ctx, tx, a, 0, "catalog", 0, "catalog_reset", nil)
	})
}

// CatalogUploads lists every kept upload, newest first.
func (db *DB) CatalogUploads(ctx context.Context) ([]*CatalogUpload, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+catalogUploadColumns+" FROM catalog_uploads c LEFT JOIN users u ON u.id = c.uploaded_by ORDER BY c.id DESC")
	if err != nil {
		return nil, fmt.Errorf("store: catalogue uploads: %w", err)
	}
	defer rows.Close()
	var out []*CatalogUpload
	for rows.Next() {
		c, err := scanCatalogUpload(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ActiveCatalogUpload returns the active upload, or nil.
func (db *DB) ActiveCatalogUpload(ctx context.Context) (*CatalogUpload, error) {
	return db.catalogUpload(ctx, "c.active = TRUE", nil)
}

// CatalogUploadByHash returns the upload that built the set with hash, or nil.
func (db *DB) CatalogUploadByHash(ctx context.Context, hash string) (*CatalogUpload, error) {
	return db.catalogUpload(ctx, "c.hash = $1", []any{hash})
}

func (db *DB) catalogUpload(ctx context.Context, where string, args []any) (*CatalogUpload, error) {
	c, err := scanCatalogUpload(db.read.QueryRowContext(ctx, "SELECT "+catalogUploadColumns+" FROM catalog_uploads c LEFT JOIN users u ON u.id = c.uploaded_by WHERE "+where+" ORDER BY c.id DESC LIMIT 1", args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: catalogue upload: %w", err)
	}
	return c, nil
}
