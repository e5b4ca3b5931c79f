package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"buyright/internal/model"
)

// Finding is what an oversight body concluded about a purchase, published
// on its public entry.
type Finding struct {
	ID          int64
	PurchaseID  int64
	OrgName     string
	Title, Body string
	PublishedAt time.Time
}

// PublishFinding records an oversight body's finding and refreshes the
// purchase's register entry, where it appears.
func (db *DB) PublishFinding(ctx context.Context, a Actor, u *model.User, p *model.Purchase, title, body string) (*Finding, error) {
	f := &Finding{PurchaseID: p.ID, OrgName: u.Org.Name, Title: model.CleanLine(title), Body: model.CleanText(body), PublishedAt: db.now()}
	fe := model.FieldErrors{}
	if f.Title == "" {
		fe.Add("title", "invalid.required")
	} else if model.TooLong(f.Title, 300) {
		fe.Add("title", "invalid.too_long")
	}
	if f.Body == "" {
		fe.Add("body", "invalid.required")
	} else if model.TooLong(f.Body, 20000) {
		fe.Add("body", "invalid.too_long")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	err := db.tx(ctx, "finding", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "INSERT INTO findings (purchase_id, org_id, title, body, published_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			p.ID, u.OrgID, f.Title, f.Body, f.PublishedAt).Scan(&f.ID); err != nil {
			return fmt.Errorf("store: finding: %w", err)
		}
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "finding", map[string]any{"finding_id": f.ID, "by_org": u.Org.Name, "title": f.Title})
	})
	return f, err
}

// Findings lists a purchase's findings, newest first.
func (db *DB) Findings(ctx context.Context, purchaseID int64) ([]Finding, error) {
	return fetch(ctx, db, func(b *Batch, out *[]Finding) { b.Findings(purchaseID, out) })
}

// Findings queues the read of Findings into out.
func (b *Batch) Findings(purchaseID int64, out *[]Finding) {
	b.read("findings", `SELECT f.id, f.purchase_id, o.name, f.title, f.body, f.published_at FROM findings f
		JOIN organisations o ON o.id = f.org_id WHERE f.purchase_id = $1 ORDER BY f.id DESC`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (f Finding, err error) {
			return f, rs.Scan(&f.ID, &f.PurchaseID, &f.OrgName, &f.Title, &f.Body, &f.PublishedAt)
		}))
}

// ChangeRequest is an oversight body's request for a change by a deadline.
type ChangeRequest struct {
	ID            int64
	PurchaseID    int64
	PurchaseTitle string
	OrgName       string
	Body          string
	Due           model.Date
	Status        string // open, done, declined
	Response      string
	CreatedAt     time.Time
}

// RequestChange records an oversight body's request on a purchase.
func (db *DB) RequestChange(ctx context.Context, a Actor, u *model.User, p *model.Purchase, body string, due model.Date) error {
	body = model.CleanText(body)
	fe := model.FieldErrors{}
	if body == "" {
		fe.Add("request", "invalid.required")
	} else if model.TooLong(body, 10000) {
		fe.Add("request", "invalid.too_long")
	}
	if due.IsZero() || due.Before(model.DateOf(db.now())) {
		fe.Add("due", "invalid.future_date")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.tx(ctx, "change request", func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO change_requests (purchase_id, org_id, body, due, status, created_at) VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id",
			p.ID, u.OrgID, body, due, db.now()).Scan(&id); err != nil {
			return fmt.Errorf("store: change request: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "change_requested", map[string]any{"request_id": id, "by_org": u.Org.Name, "due": due.String()})
	})
}

// RespondChange closes a change request with the owner's answer.
func (db *DB) RespondChange(ctx context.Context, a Actor, p *model.Purchase, requestID int64, status, response string) error {
	response = model.CleanText(response)
	fe := model.FieldErrors{}
	if status != "done" && status != "declined" {
		fe.Add("status", "invalid.choice")
	}
	if response == "" {
		fe.Add("response", "invalid.required")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.tx(ctx, "change response", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE change_requests SET status = $1, response = $2, responded_at = $3 WHERE id = $4 AND purchase_id = $5 AND status = 'open'",
			status, response, db.now(), requestID, p.ID)
		if err != nil {
			return fmt.Errorf("store: change response: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.NotFound("change request")
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "change_answered", map[string]any{"request_id": requestID, "status": status})
	})
}

// ChangeRequests lists the requests on purchases u may see (one purchase
// when purchaseID is not 0), open first.
func (db *DB) ChangeRequests(ctx context.Context, u *model.User, purchaseID int64) ([]ChangeRequest, error) {
	return fetch(ctx, db, func(b *Batch, out *[]ChangeRequest) { b.ChangeRequests(u, purchaseID, out) })
}

// ChangeRequests queues the read of ChangeRequests into out.
func (b *Batch) ChangeRequests(u *model.User, purchaseID int64, out *[]ChangeRequest) {
	q := `SELECT r.id, r.purchase_id, p.title, o.name, r.body, r.due, r.status, r.response, r.created_at FROM change_requests r
		JOIN purchases p ON p.id = r.purchase_id JOIN organisations o ON o.id = r.org_id WHERE ` + visible(u, 1)
	args := []any{u.OrgID}
	if purchaseID != 0 {
		q += " AND r.purchase_id = $2"
		args = append(args, purchaseID)
	}
	b.read("change requests", q+" ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.due, r.id", args,
		appendRow(out, func(rs rowScanner) (r ChangeRequest, err error) {
			return r, rs.Scan(&r.ID, &r.PurchaseID, &r.PurchaseTitle, &r.OrgName, &r.Body, &r.Due, &r.Status, &r.Response, &r.CreatedAt)
		}))
}

// InUseUnscreened lists the systems in use (implementation, renewal or
// exit) in u's view that have no current screening: never screened (an
// imported purchase, say), a screening left as a draft, or a screening
// older than an amendment that widened the contract.
func (db *DB) InUseUnscreened(ctx context.Context, u *model.User) ([]*model.Purchase, error) {
	q := "SELECT " + purchaseColumns + purchaseFrom + " WHERE " + visible(u, 1) +
		` AND p.stage IN ('implementation', 'renewal_exit') AND NOT EXISTS (SELECT 1 FROM screenings s WHERE s.purchase_id = p.id AND s.status = 'complete'
			AND NOT EXISTS (SELECT 1 FROM contract_amendments a WHERE a.purchase_id = p.id AND a.created_at > s.updated_at
				AND (a.widens_scope OR a.widens_data OR a.widens_duration))) ORDER BY p.id`
	return db.purchaseRows(ctx, "store: in use without screening", q, u.OrgID)
}

// UnpublishedHighImpact lists purchases in u's view of level III or IV past
// the contract stage that their body has not published: the flag for
// oversight bodies.
func (db *DB) UnpublishedHighImpact(ctx context.Context, u *model.User) ([]*model.Purchase, error) {
	q := "SELECT " + purchaseColumns + purchaseFrom + " WHERE " + visible(u, 1) +
		" AND p.stage IN ('contract', 'implementation', 'renewal_exit') AND " + impactLevelSQL + " >= 3" +
		" AND NOT EXISTS (SELECT 1 FROM publications x WHERE x.purchase_id = p.id AND x.published = TRUE) ORDER BY p.id"
	return db.purchaseRows(ctx, "store: unpublished purchases", q, u.OrgID)
}

// purchaseRows runs a query of purchaseColumns and fills in the names.
func (db *DB) purchaseRows(ctx context.Context, what, q string, args ...any) ([]*model.Purchase, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []*model.Purchase
	for rows.Next() {
		p, err := scanPurchase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.fillNames(ctx, out)
}
