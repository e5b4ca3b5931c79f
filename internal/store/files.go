package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"buyright/internal/model"
)

// PurchaseFile is a document attached to a purchase. Its bytes are a blob
// named by SHA256: to attach, give either Data (small files buyright makes
// itself) or the SHA256 of a blob stored with PutBlob; Data is never
// filled when reading (CopyBlob streams the bytes).
type PurchaseFile struct {
	ID         int64
	PurchaseID int64
	Kind       string // engagement, evidence, contract
	Ref        string // what inside the purchase it belongs to, e.g. an engagement entry
	Name       string
	CType      string
	Size       int64
	SHA256     string
	Data       []byte
	Uploader   string
	UploadedAt time.Time
}

// AddPurchaseFile stores a checked upload and records it in the audit log
// with its hash, so a later change of the file would show.
func (db *DB) AddPurchaseFile(ctx context.Context, a Actor, p *model.Purchase, f *PurchaseFile) error {
	now := db.now()
	return db.tx(ctx, "attach file", func(tx *sql.Tx) error { return db.addPurchaseFile(ctx, tx, a, p, f, now) })
}

func (db *DB) addPurchaseFile(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase, f *PurchaseFile, now time.Time) error {
	b, err := db.blobFor(ctx, tx, f.Data, f.SHA256)
	if err != nil {
		return err
	}
	f.PurchaseID, f.Size, f.SHA256, f.UploadedAt = p.ID, b.Size, b.SHA256, now
	if err := tx.QueryRowContext(ctx, `INSERT INTO purchase_files (purchase_id, kind, ref, name, ctype, size, sha256, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		p.ID, f.Kind, f.Ref, f.Name, f.CType, f.Size, f.SHA256, nullID(a.UserID), f.UploadedAt).Scan(&f.ID); err != nil {
		return fmt.Errorf("store: attach file: %w", err)
	}
	return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "file_attached",
		map[string]any{"file_id": f.ID, "kind": f.Kind, "ref": f.Ref, "name": f.Name, "sha256": f.SHA256, "size": f.Size})
}

// PurchaseFiles lists a purchase's files of one kind, oldest first.
func (db *DB) PurchaseFiles(ctx context.Context, purchaseID int64, kind string) ([]PurchaseFile, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT f.id, f.kind, f.ref, f.name, f.ctype, f.size, f.sha256, COALESCE(NULLIF(u.name, ''), u.email, ''), f.uploaded_at
		FROM purchase_files f LEFT JOIN users u ON u.id = f.uploaded_by WHERE f.purchase_id = $1 AND f.kind = $2 ORDER BY f.id`, purchaseID, kind)
	if err != nil {
		return nil, fmt.Errorf("store: files: %w", err)
	}
	defer rows.Close()
	var out []PurchaseFile
	for rows.Next() {
		f := PurchaseFile{PurchaseID: purchaseID}
		if err := rows.Scan(&f.ID, &f.Kind, &f.Ref, &f.Name, &f.CType, &f.Size, &f.SHA256, &f.Uploader, &f.UploadedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// PurchaseFileData returns one file of a purchase, to stream its blob.
func (db *DB) PurchaseFileData(ctx context.Context, purchaseID, id int64) (*PurchaseFile, error) {
	f := &PurchaseFile{ID: id, PurchaseID: purchaseID}
	err := db.read.QueryRowContext(ctx, "SELECT kind, ref, name, ctype, size, sha256 FROM purchase_files WHERE id = $1 AND purchase_id = $2", id, purchaseID).
		Scan(&f.Kind, &f.Ref, &f.Name, &f.CType, &f.Size, &f.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("file")
	}
	return f, err
}
