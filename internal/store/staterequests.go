package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"buyright/internal/access"
	"buyright/internal/model"
	"buyright/internal/staterequest"
)

// State requests as each side records them. The side and the recording
// organisation come from the person, never from the form: a company
// records requests made of it, an authority the requests it made.

const requestColumns = `r.id, r.side, r.company_org_id, co.name, r.authority_org_id, ao.name, COALESCE(r.purchase_id, 0), r.reference,
	r.made_on, r.legal_basis, r.legal_process, r.kind, r.accounts, r.people, r.duration_days, r.area, r.urgency, r.legality, r.necessity,
	r.proportionality, r.response, r.escalation, r.outcome, r.users_notified, r.notified_on, r.rev,
	COALESCE(NULLIF(u.name, ''), u.email, ''), r.created_at, r.updated_at`

const requestFrom = ` FROM state_requests r JOIN organisations co ON co.id = r.company_org_id JOIN organisations ao ON ao.id = r.authority_org_id
	LEFT JOIN users u ON u.id = r.created_by`

func scanRequest(row interface{ Scan(...any) error }, extra ...any) (*staterequest.Request, error) {
	r := &staterequest.Request{}
	dest := []any{&r.ID, &r.Side, &r.CompanyID, &r.CompanyName, &r.AuthorityID, &r.AuthorityName, &r.PurchaseID, &r.Reference,
		&r.MadeOn, &r.LegalBasis, &r.Process, &r.Type, &r.Accounts, &r.People, &r.DurationDays, &r.Area, &r.Urgency, &r.Legality, &r.Necessity,
		&r.Proportionality, &r.Response, &r.Escalation, &r.Outcome, &r.Notified, &r.NotifiedOn, &r.Rev, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	return r, nil
}

// requestFields are the values the audit log keeps of a record.
func requestFields(r *staterequest.Request) map[string]any {
	return map[string]any{"side": string(r.Side), "company": r.CompanyID, "authority": r.AuthorityID, "purchase": r.PurchaseID,
		"authority_reference": r.Reference, "request_date": r.MadeOn.String(), "legal_basis": r.LegalBasis, "legal_process": string(r.Process),
		"request_type": string(r.Type), "accounts": r.Accounts, "people": r.People, "duration_days": r.DurationDays, "area": r.Area,
		"urgency": string(r.Urgency), "legality": r.Legality, "necessity": r.Necessity, "proportionality": r.Proportionality,
		"response": string(r.Response), "escalation": r.Escalation, "outcome": r.Outcome, "users_notified": string(r.Notified),
		"notified_on": r.NotifiedOn.String()}
}

// checkRequest fills the recording side of r from u, validates it, and
// checks the counterpart is the right kind of organisation and any linked
// relationship is one u's organisation takes part in.
func (db *DB) checkRequest(ctx context.Context, u *model.User, r *staterequest.Request) error {
	side, ok := access.RecordSide(u)
	if !ok {
		return model.Forbidden()
	}
	r.Side = side
	counterpart, want := r.AuthorityID, model.OrgPublicBody
	if side == access.CompanySide {
		r.CompanyID = u.OrgID
	} else {
		r.AuthorityID = u.OrgID
		counterpart, want = r.CompanyID, model.OrgSupplier
	}
	fe := r.Validate(model.DateOf(db.now()))
	field := "authority_id"
	if side == access.AuthoritySide {
		field = "company_id"
	}
	if o, err := db.Org(ctx, counterpart); err != nil || o.Kind != want {
		fe.Add(field, "invalid.choice")
	}
	if r.PurchaseID != 0 {
		q := "SELECT COUNT(*) FROM purchase_suppliers WHERE purchase_id = $1 AND org_id = $2"
		if side == access.AuthoritySide {
			q = "SELECT COUNT(*) FROM purchases WHERE id = $1 AND org_id = $2"
		}
		var n int
		if err := db.read.QueryRowContext(ctx, q, r.PurchaseID, u.OrgID).Scan(&n); err != nil {
			return fmt.Errorf("store: state request: %w", err)
		}
		if n == 0 {
			fe.Add("purchase_id", "invalid.choice")
		}
	}
	return fe.Err()
}

func errDuplicateRequest() error {
	return model.FieldErrors{"authority_reference": "sreq.err.duplicate"}.Err()
}

// CreateStateRequest records a request on u's side.
func (db *DB) CreateStateRequest(ctx context.Context, a Actor, u *model.User, r *staterequest.Request) error {
	if err := db.checkRequest(ctx, u, r); err != nil {
		return err
	}
	now := db.now()
	return db.tx(ctx, "state request", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO state_requests (side, company_org_id, authority_org_id, purchase_id, reference, ref_key, made_on,
			legal_basis, legal_process, kind, accounts, people, duration_days, area, urgency, legality, necessity, proportionality, response,
			escalation, outcome, users_notified, notified_on, rev, created_by, created_at, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 1, $24, $25, $24, $25)
			RETURNING id`,
			r.Side, r.CompanyID, r.AuthorityID, nullID(r.PurchaseID), r.Reference, staterequest.RefKey(r.Reference), r.MadeOn,
			r.LegalBasis, r.Process, r.Type, r.Accounts, r.People, r.DurationDays, r.Area, r.Urgency, r.Legality, r.Necessity, r.Proportionality,
			r.Response, r.Escalation, r.Outcome, r.Notified, r.NotifiedOn, nullID(a.UserID), now).Scan(&r.ID)
		if uniqueViolation(err) {
			return errDuplicateRequest()
		}
		if err != nil {
			return fmt.Errorf("store: state request: %w", err)
		}
		r.Rev, r.CreatedAt, r.UpdatedAt = 1, now, now
		return db.appendAudit(ctx, tx, a, u.OrgID, "state_request", r.ID, "create", requestFields(r))
	})
}

// UpdateStateRequest saves a changed record. rev is the revision the person
// started from; only the side that made the record may change it.
func (db *DB) UpdateStateRequest(ctx context.Context, a Actor, u *model.User, r *staterequest.Request, rev int64) error {
	old, err := db.StateRequest(ctx, u, r.ID)
	if err != nil {
		return err
	}
	if !access.CanEditRequest(u, old.Side, old.CompanyID, old.AuthorityID) {
		return model.Forbidden()
	}
	if old.Rev != rev {
		return model.Errorf(model.EConflict, "error.stale", "someone else changed this request record meanwhile; reload it and apply your change again")
	}
	if err := db.checkRequest(ctx, u, r); err != nil {
		return err
	}
	before, after := requestFields(old), requestFields(r)
	changes := map[string]Change{}
	for k, v := range after {
		if fmt.Sprint(before[k]) != fmt.Sprint(v) {
			changes[k] = Change{before[k], v}
		}
	}
	if len(changes) == 0 {
		r.Rev = old.Rev
		return nil
	}
	now := db.now()
	return db.tx(ctx, "state request", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE state_requests SET company_org_id = $1, authority_org_id = $2, purchase_id = $3, reference = $4, ref_key = $5,
			made_on = $6, legal_basis = $7, legal_process = $8, kind = $9, accounts = $10, people = $11, duration_days = $12, area = $13, urgency = $14,
			legality = $15, necessity = $16, proportionality = $17, response = $18, escalation = $19, outcome = $20, users_notified = $21,
			notified_on = $22, rev = rev + 1, updated_by = $23, updated_at = $24 WHERE id = $25 AND rev = $26`,
			r.CompanyID, r.AuthorityID, nullID(r.PurchaseID), r.Reference, staterequest.RefKey(r.Reference), r.MadeOn, r.LegalBasis, r.Process,
			r.Type, r.Accounts, r.People, r.DurationDays, r.Area, r.Urgency, r.Legality, r.Necessity, r.Proportionality, r.Response,
			r.Escalation, r.Outcome, r.Notified, r.NotifiedOn, nullID(a.UserID), now, r.ID, rev)
		if uniqueViolation(err) {
			return errDuplicateRequest()
		}
		if err != nil {
			return fmt.Errorf("store: state request: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.Errorf(model.EConflict, "error.stale", "someone else changed this request record meanwhile; reload it and apply your change again")
		}
		r.Rev, r.UpdatedAt = rev+1, now
		return db.appendAudit(ctx, tx, a, u.OrgID, "state_request", r.ID, "update", changes)
	})
}

// requestVisible is the condition on r (state_requests) for what u may
// read; $n is u's organisation.
func requestVisible(u *model.User, n int) string {
	none := fmt.Sprintf("(r.company_org_id = $%d AND 1 = 0)", n)
	if !access.ReadsRequests(u) {
		return none
	}
	switch u.Org.Kind {
	case model.OrgSupplier:
		return fmt.Sprintf("(r.side = 'company' AND r.company_org_id = $%d)", n)
	case model.OrgPublicBody:
		return fmt.Sprintf("(r.side = 'authority' AND r.authority_org_id = $%d)", n)
	case model.OrgOversight:
		return fmt.Sprintf("r.authority_org_id IN (SELECT org_id FROM oversight_remits WHERE oversight_org_id = $%d)", n)
	}
	return none
}

// linkedTitle reads the title of the relationship a record was made under,
// only where u may see that purchase: a record never reveals a purchase
// its reader could not open.
func linkedTitle(u *model.User, n int) string {
	return `COALESCE((SELECT p.title FROM purchases p WHERE p.id = r.purchase_id AND ` + visible(u, n) + `), '')`
}

// StateRequest returns one record u may read, or not found.
func (db *DB) StateRequest(ctx context.Context, u *model.User, id int64) (*staterequest.Request, error) {
	if !access.ReadsRequests(u) {
		return nil, model.NotFound("request")
	}
	var title string
	r, err := scanRequest(db.read.QueryRowContext(ctx, "SELECT "+requestColumns+", "+linkedTitle(u, 2)+requestFrom+
		" WHERE r.id = $1 AND "+requestVisible(u, 2), id, u.OrgID), &title)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("request")
	}
	if err != nil {
		return nil, fmt.Errorf("store: state request: %w", err)
	}
	r.PurchaseTitle = title
	return r, nil
}

// StateRequests lists the records u may read, newest first: a company's
// own, an authority's own, and for an oversight body both sides of every
// authority in its remit.
func (db *DB) StateRequests(ctx context.Context, u *model.User) ([]staterequest.Request, error) {
	if !access.ReadsRequests(u) {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, "SELECT "+requestColumns+", "+linkedTitle(u, 1)+requestFrom+" WHERE "+requestVisible(u, 1)+
		" ORDER BY r.made_on DESC, r.id DESC LIMIT 1000", u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("store: state requests: %w", err)
	}
	defer rows.Close()
	var out []staterequest.Request
	for rows.Next() {
		var title string
		r, err := scanRequest(rows, &title)
		if err != nil {
			return nil, fmt.Errorf("store: state requests: %w", err)
		}
		r.PurchaseTitle = title
		out = append(out, *r)
	}
	return out, rows.Err()
}

// RequestMismatches pairs both sides' records for an oversight body and
// returns those that do not agree; for anyone else, nothing.
func (db *DB) RequestMismatches(ctx context.Context, u *model.User) ([]staterequest.Mismatch, error) {
	if u == nil || u.Org == nil || u.Org.Kind != model.OrgOversight || u.Disabled {
		return nil, nil
	}
	recs, err := db.StateRequests(ctx, u)
	if err != nil {
		return nil, err
	}
	return staterequest.Match(recs), nil
}

// sideRecords reads every record one organisation made on its side in a
// half-year, for its transparency report.
func sideRecords(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, side access.Side, orgID int64, p staterequest.Period) ([]staterequest.Request, error) {
	col := "r.company_org_id"
	if side == access.AuthoritySide {
		col = "r.authority_org_id"
	}
	rows, err := q.QueryContext(ctx, "SELECT "+requestColumns+requestFrom+" WHERE r.side = $1 AND "+col+" = $2 AND r.made_on >= $3 AND r.made_on <= $4",
		side, orgID, p.Start(), p.End())
	if err != nil {
		return nil, fmt.Errorf("store: report records: %w", err)
	}
	defer rows.Close()
	var out []staterequest.Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("store: report records: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}
