package store

import (
	"context"
	"database/sql"
	"fmt"

	"buyright/internal/model"
)

// AddComment records a remark on a purchase by a person of the owning body
// or of an oversight body.
func (db *DB) AddComment(ctx context.Context, a Actor, u *model.User, p *model.Purchase, body string) (*model.Comment, error) {
	body = model.CleanText(body)
	if body == "" {
		return nil, model.FieldErrors{"body": "invalid.required"}.Err()
	}
	if model.TooLong(body, 10000) {
		return nil, model.FieldErrors{"body": "invalid.too_long"}.Err()
	}
	c := &model.Comment{PurchaseID: p.ID, UserName: displayName(u), OrgName: u.Org.Name, Body: body, At: db.now()}
	err := db.tx(ctx, "comment", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "INSERT INTO comments (purchase_id, user_id, org_id, body, at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			p.ID, u.ID, u.OrgID, body, c.At).Scan(&c.ID); err != nil {
			return fmt.Errorf("store: comment: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "comment", map[string]any{"comment_id": c.ID, "by_org": u.Org.Name})
	})
	return c, err
}

func displayName(u *model.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// Comments lists a purchase's comments, oldest first.
func (db *DB) Comments(ctx context.Context, purchaseID int64) ([]model.Comment, error) {
	return fetch(ctx, db, func(b *Batch, out *[]model.Comment) { b.Comments(purchaseID, out) })
}

// Comments queues the read of Comments into out.
func (b *Batch) Comments(purchaseID int64, out *[]model.Comment) {
	b.read("comments", `SELECT c.id, c.purchase_id, COALESCE(NULLIF(u.name, ''), u.email, ''), o.name, c.body, c.at
		FROM comments c JOIN organisations o ON o.id = c.org_id LEFT JOIN users u ON u.id = c.user_id
		WHERE c.purchase_id = $1 ORDER BY c.id`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (c model.Comment, err error) {
			return c, rs.Scan(&c.ID, &c.PurchaseID, &c.UserName, &c.OrgName, &c.Body, &c.At)
		}))
}
