package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"buyright/internal/access"
	"buyright/internal/model"
)

const purchaseColumns = `p.id, p.org_id, p.title, p.need, p.purpose, p.sector, p.technologies,
	p.affected_people, p.vulnerable_groups, p.legal_basis, p.value_minor, p.currency, p.funding,
	p.funder, COALESCE(p.ocid, ''), p.emergency, p.tender_date, p.award_date, p.contract_start,
	p.contract_end, p.review_date, p.sunset_date, COALESCE(p.lead_user_id, 0), p.stage, p.version,
	p.created_at, p.updated_at, p.source, p.kind`

// purchaseFrom has no joins on purpose: a single-table query lets the
// planner walk the index that matches ORDER BY and stop after LIMIT rows.
// Names of organisations and leads are filled in afterwards by fillNames,
// or joined (namesColumns, namesJoin) once the rows are chosen.
const purchaseFrom = ` FROM purchases p`

// namesColumns and namesJoin add the organisation's and the lead's names
// to a query of purchases p whose rows are already few; scanNamed reads
// them. On PostgreSQL each query saved is a round trip to another process.
const (
	namesColumns = `, o.name, COALESCE(NULLIF(u.name, ''), u.email, '')`
	namesJoin    = ` JOIN organisations o ON o.id = p.org_id LEFT JOIN users u ON u.id = p.lead_user_id`
)

func scanNamed(row rowScanner) (*model.Purchase, error) {
	var org, lead string
	p, err := scanPurchase(extraScan{row, []any{&org, &lead}})
	if err != nil {
		return nil, err
	}
	p.OrgName, p.LeadName = org, lead
	return p, nil
}

func scanPurchase(row interface{ Scan(...any) error }) (*model.Purchase, error) {
	p := &model.Purchase{}
	var techs string
	err := row.Scan(&p.ID, &p.OrgID, &p.Title, &p.Need, &p.Purpose, &p.Sector, &techs,
		&p.AffectedPeople, &p.VulnerableGroups, &p.LegalBasis, &p.ValueMinor, &p.Currency, &p.Funding,
		&p.Funder, &p.OCID, &p.Emergency, &p.TenderDate, &p.AwardDate, &p.ContractStart,
		&p.ContractEnd, &p.ReviewDate, &p.SunsetDate, &p.LeadUserID, &p.Stage, &p.Version,
		&p.CreatedAt, &p.UpdatedAt, &p.Source, &p.Kind)
	if err != nil {
		return nil, err
	}
	for _, t := range strings.Split(strings.Trim(techs, ","), ",") {
		if t != "" {
			p.Technologies = append(p.Technologies, model.Technology(t))
		}
	}
	return p, nil
}

func joinTechs(ts []model.Technology) string {
	var b strings.Builder
	b.WriteByte(',')
	for _, t := range ts {
		b.WriteString(string(t))
		b.WriteByte(',')
	}
	return b.String()
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreatePurchase registers a purchase for the creator's organisation.
func (db *DB) CreatePurchase(ctx context.Context, a Actor, p *model.Purchase) error {
	p.Stage = model.StagePlanning
	if err := p.Validate(); err != nil {
		return err
	}
	if err := db.checkLead(ctx, p); err != nil {
		return err
	}
	now := db.now()
	p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
	return db.tx(ctx, "create purchase", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO purchases (org_id, title, need, purpose, sector, technologies,
			affected_people, vulnerable_groups, legal_basis, value_minor, currency, funding, funder, ocid, emergency,
			tender_date, award_date, contract_start, contract_end, review_date, sunset_date, lead_user_id, stage,
			version, created_at, updated_at, kind)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27)
			RETURNING id`,
			p.OrgID, p.Title, p.Need, p.Purpose, p.Sector, joinTechs(p.Technologies),
			p.AffectedPeople, p.VulnerableGroups, p.LegalBasis, p.ValueMinor, p.Currency, p.Funding, p.Funder,
			nullString(p.OCID), p.Emergency, p.TenderDate, p.AwardDate, p.ContractStart, p.ContractEnd,
			p.ReviewDate, p.SunsetDate, nullID(p.LeadUserID), p.Stage, p.Version, now, now, p.Kind).Scan(&p.ID)
		if uniqueViolation(err) {
			return &model.Error{Code: model.EConflict, Key: "error.invalid", Message: "another purchase has this OCID", Fields: model.FieldErrors{"ocid": "invalid.taken"}}
		}
		if err != nil {
			return fmt.Errorf("store: create purchase: %w", err)
		}
		if err := bumpCount(ctx, tx, p.OrgID, p.Stage, 1); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "create", diffPurchase(&model.Purchase{}, p))
	})
}

// checkLead makes sure the lead officer belongs to the purchase's body.
func (db *DB) checkLead(ctx context.Context, p *model.Purchase) error {
	if p.LeadUserID == 0 {
		return nil
	}
	var org int64
	err := db.read.QueryRowContext(ctx, "SELECT org_id FROM users WHERE id = $1", p.LeadUserID).Scan(&org)
	if err != nil || org != p.OrgID {
		return model.FieldErrors{"lead_user_id": "invalid.choice"}.Err()
	}
	return nil
}

// UpdatePurchase saves edited fields. p.Version must be the version the
// person started from: if someone else saved in between, the edit is refused
// with a conflict instead of silently overwriting their work. The stage is
// never changed here; see Transition.
func (db *DB) UpdatePurchase(ctx context.Context, a Actor, p *model.Purchase) error {
	old, err := db.purchaseByID(ctx, p.ID)
	if err != nil {
		return err
	}
	p.OrgID, p.Stage, p.CreatedAt = old.OrgID, old.Stage, old.CreatedAt
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkSunsetEdit(old, p); err != nil {
		return err
	}
	if err := db.checkLead(ctx, p); err != nil {
		return err
	}
	changes := diffPurchase(old, p)
	if len(changes) == 0 {
		return nil
	}
	p.UpdatedAt = db.now()
	return db.tx(ctx, "update purchase", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE purchases SET title=$1, need=$2, purpose=$3, sector=$4, technologies=$5,
			affected_people=$6, vulnerable_groups=$7, legal_basis=$8, value_minor=$9, currency=$10, funding=$11,
			funder=$12, ocid=$13, emergency=$14, tender_date=$15, award_date=$16, contract_start=$17,
			contract_end=$18, review_date=$19, sunset_date=$20, lead_user_id=$21, version=version+1, updated_at=$22, kind=$25
			WHERE id=$23 AND version=$24`,
			p.Title, p.Need, p.Purpose, p.Sector, joinTechs(p.Technologies),
			p.AffectedPeople, p.VulnerableGroups, p.LegalBasis, p.ValueMinor, p.Currency, p.Funding,
			p.Funder, nullString(p.OCID), p.Emergency, p.TenderDate, p.AwardDate, p.ContractStart,
			p.ContractEnd, p.ReviewDate, p.SunsetDate, nullID(p.LeadUserID), p.UpdatedAt, p.ID, p.Version, p.Kind)
		if uniqueViolation(err) {
			return &model.Error{Code: model.EConflict, Key: "error.invalid", Message: "another purchase has this OCID", Fields: model.FieldErrors{"ocid": "invalid.taken"}}
		}
		if err != nil {
			return fmt.Errorf("store: update purchase: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStale()
		}
		p.Version++
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "update", changes)
	})
}

func errStale() error {
	return model.Errorf(model.EConflict, "error.stale", "someone else changed this purchase meanwhile; reload it and apply your change again")
}

// diffPurchase lists the fields that differ between two versions, by the
// names used in forms and the API.
func diffPurchase(old, cur *model.Purchase) map[string]Change {
	o, c := purchaseFields(old), purchaseFields(cur)
	out := map[string]Change{}
	for k, v := range c {
		if !reflect.DeepEqual(o[k], v) {
			out[k] = Change{Old: o[k], New: v}
		}
	}
	return out
}

func purchaseFields(p *model.Purchase) map[string]any {
	techs := make([]string, len(p.Technologies))
	for i, t := range p.Technologies {
		techs[i] = string(t)
	}
	return map[string]any{
		"title": p.Title, "relationship_kind": string(p.Kind.Or()), "need": p.Need, "purpose": p.Purpose, "sector": string(p.Sector),
		"technologies": strings.Join(techs, ","), "affected_people": p.AffectedPeople,
		"vulnerable_groups": p.VulnerableGroups, "legal_basis": p.LegalBasis,
		"value_minor": p.ValueMinor, "currency": p.Currency, "funding": string(p.Funding), "funder": p.Funder,
		"ocid": p.OCID, "emergency": p.Emergency, "tender_date": p.TenderDate.String(),
		"award_date": p.AwardDate.String(), "contract_start": p.ContractStart.String(),
		"contract_end": p.ContractEnd.String(), "review_date": p.ReviewDate.String(),
		"sunset_date": p.SunsetDate.String(), "lead_user_id": p.LeadUserID,
	}
}

// purchaseByID reads one purchase with its organisation's and lead's
// names in the same query: every purchase page starts here.
func (db *DB) purchaseByID(ctx context.Context, id int64) (*model.Purchase, error) {
	p, err := scanNamed(db.read.QueryRowContext(ctx, "SELECT "+purchaseColumns+namesColumns+purchaseFrom+namesJoin+" WHERE p.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("purchase")
	}
	if err != nil {
		return nil, fmt.Errorf("store: purchase %d: %w", id, err)
	}
	return p, nil
}

// namesByID fills m, keyed by id, with the names q (a SELECT of id and
// name ending in "id IN") finds for its keys.
func (db *DB) namesByID(ctx context.Context, q string, m map[int64]string) error {
	if len(m) == 0 {
		return nil
	}
	args := make([]any, 0, len(m))
	marks := make([]string, 0, len(m))
	for id := range m {
		args = append(args, id)
		marks = append(marks, fmt.Sprintf("$%d", len(args)))
	}
	rows, err := db.read.QueryContext(ctx, q+" ("+strings.Join(marks, ",")+")", args...)
	if err != nil {
		return fmt.Errorf("store: names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		m[id] = name
	}
	return rows.Err()
}

// fillNames sets the organisation and lead names of a page of purchases
// with two small queries, however long the page.
func (db *DB) fillNames(ctx context.Context, ps []*model.Purchase) error {
	if len(ps) == 0 {
		return nil
	}
	orgs, leads := map[int64]string{}, map[int64]string{}
	for _, p := range ps {
		orgs[p.OrgID] = ""
		if p.LeadUserID != 0 {
			leads[p.LeadUserID] = ""
		}
	}
	if err := db.namesByID(ctx, "SELECT id, name FROM organisations WHERE id IN", orgs); err != nil {
		return err
	}
	if err := db.namesByID(ctx, "SELECT id, COALESCE(NULLIF(name, ''), email) FROM users WHERE id IN", leads); err != nil {
		return err
	}
	for _, p := range ps {
		p.OrgName, p.LeadName = orgs[p.OrgID], leads[p.LeadUserID]
	}
	return nil
}

// Purchase returns a purchase as seen by u, with u's relation to it. A
// purchase u may not see is reported as not found, exactly like one that
// does not exist, so its existence does not leak.
func (db *DB) Purchase(ctx context.Context, u *model.User, id int64) (*model.Purchase, access.Relation, error) {
	p, err := db.purchaseByID(ctx, id)
	if err != nil {
		return nil, access.None, err
	}
	rel, err := db.relation(ctx, u, p)
	if err != nil {
		return nil, access.None, err
	}
	if !access.Can(u, rel, access.View) {
		return nil, access.None, model.NotFound("purchase")
	}
	return p, rel, nil
}

func (db *DB) relation(ctx context.Context, u *model.User, p *model.Purchase) (access.Relation, error) {
	if u == nil || u.Org == nil {
		return access.None, nil
	}
	var q string
	var rel access.Relation
	switch u.Org.Kind {
	case model.OrgPublicBody:
		if p.OrgID == u.OrgID {
			return access.Owner, nil
		}
		return access.None, nil
	case model.OrgOversight:
		q, rel = "SELECT COUNT(*) FROM oversight_remits WHERE oversight_org_id = $1 AND org_id = $2", access.Oversight
	case model.OrgSupplier:
		q, rel = "SELECT COUNT(*) FROM purchase_suppliers WHERE org_id = $1 AND purchase_id = $2", access.Supplier
	default:
		return access.None, nil
	}
	arg := p.OrgID
	if rel == access.Supplier {
		arg = p.ID
	}
	var n int
	if err := db.read.QueryRowContext(ctx, q, u.OrgID, arg).Scan(&n); err != nil {
		return access.None, fmt.Errorf("store: relation: %w", err)
	}
	if n == 0 {
		return access.None, nil
	}
	return rel, nil
}

// visible is the SQL condition, on purchases aliased p, for the purchases u
// may see; its one argument is u's organisation id, as $n. The argument is
// used even when nothing is visible, because PostgreSQL refuses a
// parameter whose type it cannot infer.
// seesRecords reports whether u's organisation may see the record of the
// purchases it can see (overrides, assessments, tasks, reviews): an
// invited supplier sees a purchase's own fields only (access.Can).
func seesRecords(u *model.User) bool {
	return u != nil && u.Org != nil && u.Org.Kind != model.OrgSupplier
}

func visible(u *model.User, n int) string {
	none := fmt.Sprintf("(p.org_id = $%d AND 1 = 0)", n)
	if u == nil || u.Org == nil || u.Disabled {
		return none
	}
	switch u.Org.Kind {
	case model.OrgPublicBody:
		return fmt.Sprintf("p.org_id = $%d", n)
	case model.OrgOversight:
		return fmt.Sprintf("p.org_id IN (SELECT org_id FROM oversight_remits WHERE oversight_org_id = $%d)", n)
	case model.OrgSupplier:
		return fmt.Sprintf("p.id IN (SELECT purchase_id FROM purchase_suppliers WHERE org_id = $%d)", n)
	}
	return none
}

// InviteSupplier lets a supplier organisation see a purchase.
func (db *DB) InviteSupplier(ctx context.Context, a Actor, p *model.Purchase, supplierOrgID int64) error {
	org, err := db.Org(ctx, supplierOrgID)
	if err != nil {
		return err
	}
	if org.Kind != model.OrgSupplier {
		return model.Errorf(model.EInvalid, "error.not_supplier", "only a supplier organisation can be invited")
	}
	return db.tx(ctx, "invite supplier", func(tx *sql.Tx) error {
		// Inviting again changes nothing. The conflict is settled in the
		// statement: on PostgreSQL a failed INSERT aborts the whole
		// transaction, so it cannot be caught and carried on from.
		res, err := tx.ExecContext(ctx, `INSERT INTO purchase_suppliers (purchase_id, org_id, invited_by, invited_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (purchase_id, org_id) DO NOTHING`, p.ID, supplierOrgID, nullID(a.UserID), db.now())
		if err != nil {
			return fmt.Errorf("store: invite supplier: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: invite supplier: %w", err)
		} else if n == 0 {
			return nil
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "invite_supplier", map[string]any{"supplier_org_id": supplierOrgID, "supplier": org.Name})
	})
}
