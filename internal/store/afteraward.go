package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"buyright/internal/model"
	"buyright/internal/monitoring"
	"buyright/internal/supplierdd"
)

// After the award: the body marks which invited supplier holds the
// contract; that supplier, from its own account, reads what it signed,
// feeds the indicators assigned to it, reports incidents and declares its
// sub-contractors and sub-processors. Each thing it reports reaches the
// body as a task where the body must act, in the same transaction.

// SetAwarded records which of the invited suppliers hold the signed
// contract (the others are marked as not holding it).
func (db *DB) SetAwarded(ctx context.Context, a Actor, p *model.Purchase, orgIDs []int64) error {
	inv, err := db.InvitedSuppliers(ctx, p.ID)
	if err != nil {
		return err
	}
	want := map[int64]bool{}
	for _, id := range orgIDs {
		want[id] = true
	}
	for id := range want {
		found := false
		for _, x := range inv {
			found = found || x.OrgID == id
		}
		if !found {
			return model.FieldErrors{"awarded": "afteraward.err.not_invited"}.Err()
		}
	}
	return db.tx(ctx, "award supplier", func(tx *sql.Tx) error {
		var names []string
		for _, x := range inv {
			if x.Awarded == want[x.OrgID] {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE purchase_suppliers SET awarded = $1 WHERE purchase_id = $2 AND org_id = $3", want[x.OrgID], p.ID, x.OrgID); err != nil {
				return fmt.Errorf("store: award supplier: %w", err)
			}
			if want[x.OrgID] {
				names = append(names, "holds: "+x.Name)
			} else {
				names = append(names, "no longer holds: "+x.Name)
			}
		}
		if len(names) == 0 {
			return nil
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "supplier_awarded", map[string]any{"changes": names})
	})
}

// HoldsContract reports whether the supplier organisation holds the
// purchase's contract.
func (db *DB) HoldsContract(ctx context.Context, purchaseID, orgID int64) (bool, error) {
	return db.holdsContract(ctx, db.read, purchaseID, orgID)
}

func (db *DB) holdsContract(ctx context.Context, q queryer, purchaseID, orgID int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM purchase_suppliers WHERE purchase_id = $1 AND org_id = $2 AND awarded = TRUE", purchaseID, orgID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: contract holder: %w", err)
	}
	return n > 0, nil
}

// mustHold refuses a supplier that does not hold the contract.
func (db *DB) mustHold(ctx context.Context, q queryer, purchaseID, orgID int64) error {
	ok, err := db.holdsContract(ctx, q, purchaseID, orgID)
	if err != nil {
		return err
	}
	if !ok {
		return model.Errorf(model.EForbidden, "afteraward.err.not_holder", "only the supplier holding the contract may do this")
	}
	return nil
}

// SetFeed makes the supplier holding the contract responsible for feeding
// an indicator of the plan, or changes how often.
func (db *DB) SetFeed(ctx context.Context, a Actor, p *model.Purchase, f *supplierdd.Feed) error {
	if fe := f.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	f.PurchaseID = p.ID
	return db.tx(ctx, "indicator feed", func(tx *sql.Tx) error {
		var title string
		err := tx.QueryRowContext(ctx, "SELECT title FROM indicators WHERE id = $1 AND purchase_id = $2", f.IndicatorID, p.ID).Scan(&title)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound("indicator")
		}
		if err != nil {
			return fmt.Errorf("store: indicator feed: %w", err)
		}
		ok, err := db.holdsContract(ctx, tx, p.ID, f.SupplierOrgID)
		if err != nil {
			return err
		}
		if !ok {
			return model.FieldErrors{"supplier": "afteraward.err.not_holder_field"}.Err()
		}
		res, err := tx.ExecContext(ctx, "UPDATE indicator_feeds SET supplier_org_id = $1, every_months = $2, first_period = $3, assigned_by = $4, assigned_at = $5 WHERE indicator_id = $6",
			f.SupplierOrgID, f.EveryMonths, f.FirstPeriod, nullID(a.UserID), db.now(), f.IndicatorID)
		if err != nil {
			return fmt.Errorf("store: indicator feed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_feeds (indicator_id, purchase_id, supplier_org_id, every_months, first_period, assigned_by, assigned_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.IndicatorID, p.ID, f.SupplierOrgID, f.EveryMonths, f.FirstPeriod, nullID(a.UserID), db.now()); err != nil {
				return fmt.Errorf("store: indicator feed: %w", err)
			}
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "indicator_feed", map[string]any{
			"indicator": f.IndicatorID, "title": title, "supplier": f.SupplierOrgID, "every_months": f.EveryMonths, "first_period": f.FirstPeriod})
	})
}

// RemoveFeed takes an indicator back from the supplier: the body feeds it.
func (db *DB) RemoveFeed(ctx context.Context, a Actor, p *model.Purchase, indicatorID int64) error {
	return db.tx(ctx, "indicator feed", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM indicator_feeds WHERE indicator_id = $1 AND purchase_id = $2", indicatorID, p.ID)
		if err != nil {
			return fmt.Errorf("store: indicator feed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.NotFound("indicator")
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "indicator_feed_removed", map[string]any{"indicator": indicatorID})
	})
}

// FeedStatus is an indicator a supplier feeds and where it stands.
type FeedStatus struct {
	supplierdd.Feed
	Indicator *monitoring.Indicator
	Supplier  string
	Latest    model.Date // the newest period with a value, zero when none
	Next      model.Date // the period owed next
	Due       model.Date // when its value is due
}

// Overdue reports whether the value owed next is late on day.
func (f FeedStatus) Overdue(day model.Date) bool { return f.Due.Before(day) }

// Feeds lists the indicators of a purchase that a supplier feeds, with the
// period owed next and when it is due.
func (db *DB) Feeds(ctx context.Context, purchaseID int64) ([]FeedStatus, error) {
	plan, err := db.Indicators(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT f.indicator_id, f.supplier_org_id, o.name, f.every_months, f.first_period,
		(SELECT CAST(MAX(m.period) AS TEXT) FROM measurements m WHERE m.indicator_id = f.indicator_id)
		FROM indicator_feeds f JOIN organisations o ON o.id = f.supplier_org_id WHERE f.purchase_id = $1 ORDER BY f.indicator_id`, purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: feeds: %w", err)
	}
	defer rows.Close()
	var out []FeedStatus
	for rows.Next() {
		x := FeedStatus{Feed: supplierdd.Feed{PurchaseID: purchaseID}}
		var latest sql.NullString
		if err := rows.Scan(&x.IndicatorID, &x.SupplierOrgID, &x.Supplier, &x.EveryMonths, &x.FirstPeriod, &latest); err != nil {
			return nil, fmt.Errorf("store: feeds: %w", err)
		}
		if latest.Valid {
			if err := x.Latest.Scan(latest.String); err != nil {
				return nil, fmt.Errorf("store: feeds: %w", err)
			}
		}
		for _, in := range plan {
			if in.ID == x.IndicatorID {
				x.Indicator = in
			}
		}
		x.Next = x.NextPeriod(x.Latest)
		x.Due = x.DueOn(x.Next)
		out = append(out, x)
	}
	return out, rows.Err()
}

// RecordSupplierValues saves values the supplier holding the contract
// gives for the indicators it feeds; breaches open tasks for the body as
// any value does (see RecordMeasurements).
func (db *DB) RecordSupplierValues(ctx context.Context, a Actor, p *model.Purchase, orgID int64, ms []monitoring.Measurement) ([]Breach, error) {
	if err := db.mustHold(ctx, db.read, p.ID, orgID); err != nil {
		return nil, err
	}
	feeds, err := db.Feeds(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		ok := false
		for _, f := range feeds {
			ok = ok || (f.IndicatorID == m.IndicatorID && f.SupplierOrgID == orgID)
		}
		if !ok {
			return nil, model.FieldErrors{"indicator": "afteraward.err.not_fed"}.Err()
		}
	}
	return db.RecordMeasurements(ctx, a, p, "supplier", ms)
}

// AddSupplierIncident logs an incident the supplier holding the contract
// reports. Whatever its severity, the body gets a task to look at it:
// sooner for a high or critical one, which is also an incident signal for
// oversight.
func (db *DB) AddSupplierIncident(ctx context.Context, a Actor, p *model.Purchase, orgID int64, x *monitoring.Incident) error {
	today := model.DateOf(db.now())
	if fe := x.Validate(today); len(fe) > 0 {
		return fe.Err()
	}
	return db.tx(ctx, "supplier incident", func(tx *sql.Tx) error {
		if err := db.mustHold(ctx, tx, p.ID, orgID); err != nil {
			return err
		}
		var org string
		if err := tx.QueryRowContext(ctx, "SELECT name FROM organisations WHERE id = $1", orgID).Scan(&org); err != nil {
			return fmt.Errorf("store: supplier incident: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO incidents (purchase_id, occurred_on, severity, what, affected, action, reported_to, created_by, created_at, reported_by_org)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, p.ID, x.OccurredOn, x.Severity, x.What, x.Affected, x.Action, x.ReportedTo,
			nullID(a.UserID), db.now(), orgID).Scan(&x.ID); err != nil {
			return fmt.Errorf("store: supplier incident: %w", err)
		}
		// A serious one is an incident task like the body's own (oversight
		// bodies see those among the signals); a lesser one is still the
		// body's to read, as a supplier report.
		kind, due := "supplier_report", today.AddDays(14)
		if x.Severity == "high" || x.Severity == "critical" {
			kind, due = "incident", today.AddDays(3)
		}
		title := org + " reported an incident (" + x.Severity + ") on " + x.OccurredOn.String() + ": decide whether to suspend, re-assess or notify"
		if _, err := db.openTask(ctx, tx, a, p, kind, title, "incident:"+strconv.FormatInt(x.ID, 10), due); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "incident", map[string]any{"incident": x.ID, "occurred_on": x.OccurredOn, "severity": x.Severity,
			"what": x.What, "affected": x.Affected, "action": x.Action, "reported_to": x.ReportedTo, "reported_by": org})
	})
}

// SupplierIncidents lists the incidents a supplier reported on a
// purchase, newest first.
func (db *DB) SupplierIncidents(ctx context.Context, purchaseID, orgID int64) ([]monitoring.Incident, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT i.id, i.occurred_on, i.severity, i.what, i.affected, i.action, i.reported_to, COALESCE(NULLIF(u.name, ''), u.email, ''), i.created_at
		FROM incidents i LEFT JOIN users u ON u.id = i.created_by WHERE i.purchase_id = $1 AND i.reported_by_org = $2 ORDER BY i.occurred_on DESC, i.id DESC`, purchaseID, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: supplier incidents: %w", err)
	}
	defer rows.Close()
	var out []monitoring.Incident
	for rows.Next() {
		x := monitoring.Incident{PurchaseID: purchaseID}
		if err := rows.Scan(&x.ID, &x.OccurredOn, &x.Severity, &x.What, &x.Affected, &x.Action, &x.ReportedTo, &x.CreatedBy, &x.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: supplier incidents: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Declaration is one change a supplier declared to its third parties.
type Declaration struct {
	ID              int64
	SubcontractorID int64
	Change          string // added, changed, ended
	Summary         string
	DeclaredBy      string
	DeclaredAt      time.Time
}

// DeclareSubcontractor records a third party the supplier holding the
// contract brings in (s.ID 0) or a change to one it declared before (its
// role, work, data, country, or its end). A third party that reaches
// personal data, or reaches more of it, opens a task for the body, which
// must authorise a sub-processor or object (GDPR Art. 28(2)).
func (db *DB) DeclareSubcontractor(ctx context.Context, a Actor, p *model.Purchase, orgID int64, s *supplierdd.Subcontractor) error {
	if fe := s.Validate(model.DateOf(db.now())); len(fe) > 0 {
		return fe.Err()
	}
	s.PurchaseID, s.SupplierOrgID = p.ID, orgID
	now := db.now()
	return db.tx(ctx, "declare subcontractor", func(tx *sql.Tx) error {
		if err := db.mustHold(ctx, tx, p.ID, orgID); err != nil {
			return err
		}
		var old *supplierdd.Subcontractor
		if s.ID != 0 {
			o := supplierdd.Subcontractor{}
			err := tx.QueryRowContext(ctx, `SELECT name, role, work, data_access, country, since, ended_on FROM subcontractors WHERE id = $1 AND purchase_id = $2 AND supplier_org_id = $3`,
				s.ID, p.ID, orgID).Scan(&o.Name, &o.Role, &o.Work, &o.DataAccess, &o.Country, &o.Since, &o.EndedOn)
			if errors.Is(err, sql.ErrNoRows) {
				return model.NotFound("subcontractor")
			}
			if err != nil {
				return fmt.Errorf("store: subcontractor: %w", err)
			}
			if !o.EndedOn.IsZero() {
				return model.Errorf(model.EConflict, "afteraward.err.ended", "this third party's work has ended; declare it again as a new one")
			}
			old = &o
		}
		change, summary := supplierdd.Describe(old, *s)
		if change == "" {
			return model.FieldErrors{"sub_name": "afteraward.err.no_change"}.Err()
		}
		var err error
		if old == nil {
			err = tx.QueryRowContext(ctx, `INSERT INTO subcontractors (purchase_id, supplier_org_id, name, role, work, data_access, country, since, ended_on, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, p.ID, orgID, s.Name, s.Role, s.Work, s.DataAccess, s.Country, s.Since, s.EndedOn, now).Scan(&s.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE subcontractors SET name = $1, role = $2, work = $3, data_access = $4, country = $5, since = $6, ended_on = $7, updated_at = $8 WHERE id = $9`,
				s.Name, s.Role, s.Work, s.DataAccess, s.Country, s.Since, s.EndedOn, now, s.ID)
		}
		if err != nil {
			return fmt.Errorf("store: subcontractor: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO subcontractor_declarations (subcontractor_id, purchase_id, change, summary, declared_by, declared_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			s.ID, p.ID, change, summary, nullID(a.UserID), now); err != nil {
			return fmt.Errorf("store: subcontractor: %w", err)
		}
		if supplierdd.NeedsConsent(old, *s) {
			title := "Authorise or object: " + summary
			if _, err := db.openTask(ctx, tx, a, p, "subprocessor", title, "subcontractor:"+strconv.FormatInt(s.ID, 10)+":"+now.UTC().Format(time.RFC3339Nano), model.DateOf(now).AddDays(14)); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "subcontractor_"+change, map[string]any{"subcontractor": s.ID, "supplier": orgID, "summary": summary})
	})
}

// Subcontractors lists the third parties declared on a purchase, those
// still working first.
func (db *DB) Subcontractors(ctx context.Context, purchaseID int64) ([]supplierdd.Subcontractor, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, supplier_org_id, name, role, work, data_access, country, since, ended_on, updated_at
		FROM subcontractors WHERE purchase_id = $1 ORDER BY (ended_on IS NOT NULL), name, id`, purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: subcontractors: %w", err)
	}
	defer rows.Close()
	var out []supplierdd.Subcontractor
	for rows.Next() {
		s := supplierdd.Subcontractor{PurchaseID: purchaseID}
		if err := rows.Scan(&s.ID, &s.SupplierOrgID, &s.Name, &s.Role, &s.Work, &s.DataAccess, &s.Country, &s.Since, &s.EndedOn, &s.UpdatedAt); err != nil {
			return nil, fmt.Errorf("store: subcontractors: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Declarations lists every declaration made on a purchase, newest first.
func (db *DB) Declarations(ctx context.Context, purchaseID int64) ([]Declaration, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT d.id, d.subcontractor_id, d.change, d.summary, COALESCE(NULLIF(u.name, ''), u.email, ''), d.declared_at
		FROM subcontractor_declarations d LEFT JOIN users u ON u.id = d.declared_by WHERE d.purchase_id = $1 ORDER BY d.id DESC`, purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: declarations: %w", err)
	}
	defer rows.Close()
	var out []Declaration
	for rows.Next() {
		var d Declaration
		if err := rows.Scan(&d.ID, &d.SubcontractorID, &d.Change, &d.Summary, &d.DeclaredBy, &d.DeclaredAt); err != nil {
			return nil, fmt.Errorf("store: declarations: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// HeldContract is a purchase whose contract a supplier holds.
type HeldContract struct {
	PurchaseID int64
	Title      string
	Body       string
	Stage      model.Stage
}

// HeldContracts lists the purchases whose contract the organisation holds.
func (db *DB) HeldContracts(ctx context.Context, orgID int64) ([]HeldContract, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT p.id, p.title, o.name, p.stage FROM purchase_suppliers s JOIN purchases p ON p.id = s.purchase_id
		JOIN organisations o ON o.id = p.org_id WHERE s.org_id = $1 AND s.awarded = TRUE ORDER BY p.id DESC LIMIT 100`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: held contracts: %w", err)
	}
	defer rows.Close()
	var out []HeldContract
	for rows.Next() {
		var x HeldContract
		if err := rows.Scan(&x.PurchaseID, &x.Title, &x.Body, &x.Stage); err != nil {
			return nil, fmt.Errorf("store: held contracts: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// supplierReminders are the deadlines of the suppliers holding a contract,
// to each of their people who answer for it (administrators and supplier
// staff): a value owed for an indicator they feed, due within a week or
// late, and a review of the contract within a week.
func (db *DB) supplierReminders(ctx context.Context, today model.Date) ([]Reminder, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT f.indicator_id, i.title, f.every_months, f.first_period,
		(SELECT CAST(MAX(m.period) AS TEXT) FROM measurements m WHERE m.indicator_id = f.indicator_id),
		p.id, p.title, u.email, u.lang
		FROM indicator_feeds f JOIN indicators i ON i.id = f.indicator_id JOIN purchases p ON p.id = f.purchase_id
		JOIN purchase_suppliers s ON s.purchase_id = f.purchase_id AND s.org_id = f.supplier_org_id AND s.awarded = TRUE
		JOIN users u ON u.org_id = f.supplier_org_id AND u.disabled = FALSE AND u.role IN ('admin', 'supplier')
		WHERE p.stage NOT IN ('closed', 'cancelled') ORDER BY f.indicator_id, u.email`)
	if err != nil {
		return nil, fmt.Errorf("store: supplier reminders: %w", err)
	}
	var out []Reminder
	for rows.Next() {
		var f supplierdd.Feed
		var r Reminder
		var latest sql.NullString
		if err := rows.Scan(&r.ObjectID, &r.What, &f.EveryMonths, &f.FirstPeriod, &latest, &r.PurchaseID, &r.Purchase, &r.To, &r.Lang); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: supplier reminders: %w", err)
		}
		var last model.Date
		if latest.Valid {
			if err := last.Scan(latest.String); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: supplier reminders: %w", err)
			}
		}
		next := f.NextPeriod(last)
		r.Due = f.DueOn(next)
		if today.AddDays(7).Before(r.Due) {
			continue
		}
		r.Kind = "supplier_values_due"
		if r.Due.Before(today) {
			r.Kind = "supplier_values_overdue"
		}
		r.Key = r.Kind + ":" + strconv.FormatInt(r.ObjectID, 10) + ":" + next.String() + ":" + r.To
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT r.id, r.kind, r.due_on, p.id, p.title, u.email, u.lang FROM contract_reviews r
		JOIN purchases p ON p.id = r.purchase_id
		JOIN purchase_suppliers s ON s.purchase_id = r.purchase_id AND s.awarded = TRUE
		JOIN users u ON u.org_id = s.org_id AND u.disabled = FALSE AND u.role IN ('admin', 'supplier')
		WHERE r.outcome = '' AND r.due_on >= $1 AND r.due_on <= $2 AND p.stage NOT IN ('closed', 'cancelled') ORDER BY r.id, u.email`, today, today.AddDays(7))
	if err != nil {
		return nil, fmt.Errorf("store: supplier reminders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := Reminder{Kind: "supplier_review_due"}
		if err := rows.Scan(&r.ObjectID, &r.What, &r.Due, &r.PurchaseID, &r.Purchase, &r.To, &r.Lang); err != nil {
			return nil, fmt.Errorf("store: supplier reminders: %w", err)
		}
		r.Key = "supplier-review:" + strconv.FormatInt(r.ObjectID, 10) + ":" + r.Due.String() + ":" + r.To
		out = append(out, r)
	}
	return out, rows.Err()
}

// afterAwardReminders are the reminders of this file and of disclosures.
func (db *DB) afterAwardReminders(ctx context.Context, today model.Date) ([]Reminder, error) {
	out, err := db.supplierReminders(ctx, today)
	if err != nil {
		return nil, err
	}
	lapsed, err := db.lapseReminders(ctx, today)
	return append(out, lapsed...), err
}
