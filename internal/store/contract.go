package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/tender"
)

// Contract returns the purchase's signed contract, or nil before it is
// recorded.
func (db *DB) Contract(ctx context.Context, purchaseID int64) (*contract.Contract, error) {
	return fetch(ctx, db, func(b *Batch, out **contract.Contract) { b.Contract(purchaseID, out) })
}

// Contract queues the read of the signed contract into out, which stays
// nil before one is recorded.
func (b *Batch) Contract(purchaseID int64, out **contract.Contract) {
	b.read("contract", `SELECT c.reference, c.suppliers, c.value_minor, c.currency, c.signed_on, c.starts_on, c.ends_on, c.rev,
		COALESCE(NULLIF(u.name, ''), u.email, ''), c.updated_at FROM contracts c LEFT JOIN users u ON u.id = c.updated_by WHERE c.purchase_id = $1`, []any{purchaseID},
		func(rs rowScanner) error {
			c := &contract.Contract{PurchaseID: purchaseID}
			var sup string
			if err := rs.Scan(&c.Reference, &sup, &c.ValueMinor, &c.Currency, &c.SignedOn, &c.StartsOn, &c.EndsOn, &c.Rev, &c.UpdatedBy, &c.UpdatedAt); err != nil {
				return err
			}
			c.Suppliers = strings.Split(sup, "\n")
			*out = c
			return nil
		})
}

// SaveContract records or corrects the signed contract. rev is the
// revision the person edited (0 for a new record); a stale one is refused
// so two people do not overwrite each other unseen.
func (db *DB) SaveContract(ctx context.Context, a Actor, p *model.Purchase, c *contract.Contract, rev int64) error {
	if fe := c.Validate(); len(fe) > 0 {
		return fe.Err()
	}
	now := db.now()
	return db.tx(ctx, "save contract", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		var cur int64
		err := tx.QueryRowContext(ctx, "SELECT rev FROM contracts WHERE purchase_id = $1", p.ID).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: contract: %w", err)
		}
		if cur != rev {
			return errStale()
		}
		sup := strings.Join(c.Suppliers, "\n")
		if cur == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO contracts (purchase_id, reference, suppliers, value_minor, currency, signed_on, starts_on, ends_on, rev, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10)`, p.ID, c.Reference, sup, c.ValueMinor, c.Currency, c.SignedOn, c.StartsOn, c.EndsOn, nullID(a.UserID), now)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE contracts SET reference = $1, suppliers = $2, value_minor = $3, currency = $4, signed_on = $5, starts_on = $6, ends_on = $7,
				rev = rev + 1, updated_by = $8, updated_at = $9 WHERE purchase_id = $10`, c.Reference, sup, c.ValueMinor, c.Currency, c.SignedOn, c.StartsOn, c.EndsOn, nullID(a.UserID), now, p.ID)
		}
		if err != nil {
			return fmt.Errorf("store: contract: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "contract_recorded", map[string]any{
			"reference": c.Reference, "suppliers": c.Suppliers, "value_minor": c.ValueMinor, "currency": c.Currency,
			"signed_on": c.SignedOn, "starts_on": c.StartsOn, "ends_on": c.EndsOn, "rev": cur + 1})
	})
}

// Safeguards returns which tender-pack items the signed contract has, by
// item id.
func (db *DB) Safeguards(ctx context.Context, purchaseID int64) (map[string]contract.Safeguard, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT item_id, signed, note FROM contract_safeguards WHERE purchase_id = $1", purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: safeguards: %w", err)
	}
	defer rows.Close()
	out := map[string]contract.Safeguard{}
	for rows.Next() {
		var s contract.Safeguard
		if err := rows.Scan(&s.ItemID, &s.Signed, &s.Note); err != nil {
			return nil, fmt.Errorf("store: safeguards: %w", err)
		}
		out[s.ItemID] = s
	}
	return out, rows.Err()
}

// SaveSafeguards records, for the tender-pack items listed, whether the
// signed contract has them. Dropping one needs a note saying why; the audit
// row names each change.
func (db *DB) SaveSafeguards(ctx context.Context, a Actor, p *model.Purchase, marks []contract.Safeguard) error {
	fe := model.FieldErrors{}
	for i := range marks {
		marks[i].Note = model.CleanText(marks[i].Note)
		if !marks[i].Signed && marks[i].Note == "" {
			fe.Add("note_"+marks[i].ItemID, "contract.err.dropped_reason")
		}
		if model.TooLong(marks[i].Note, 2000) {
			fe.Add("note_"+marks[i].ItemID, "invalid.too_long")
		}
	}
	if len(fe) > 0 {
		return fe.Err()
	}
	return db.tx(ctx, "save safeguards", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		changed := map[string]Change{}
		for _, m := range marks {
			var old contract.Safeguard
			err := tx.QueryRowContext(ctx, "SELECT signed, note FROM contract_safeguards WHERE purchase_id = $1 AND item_id = $2", p.ID, m.ItemID).Scan(&old.Signed, &old.Note)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				_, err = tx.ExecContext(ctx, "INSERT INTO contract_safeguards (purchase_id, item_id, signed, note) VALUES ($1, $2, $3, $4)", p.ID, m.ItemID, m.Signed, m.Note)
				changed[m.ItemID] = Change{Old: nil, New: safeguardWord(m)}
			case err == nil:
				if old.Signed == m.Signed && old.Note == m.Note {
					continue
				}
				_, err = tx.ExecContext(ctx, "UPDATE contract_safeguards SET signed = $1, note = $2 WHERE purchase_id = $3 AND item_id = $4", m.Signed, m.Note, p.ID, m.ItemID)
				changed[m.ItemID] = Change{Old: safeguardWord(old), New: safeguardWord(m)}
			}
			if err != nil {
				return fmt.Errorf("store: safeguards: %w", err)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "safeguards_marked", changed)
	})
}

func safeguardWord(s contract.Safeguard) string {
	if s.Signed {
		return "signed"
	}
	return "not signed: " + s.Note
}

// Amendments lists a purchase's amendments, first to last.
func (db *DB) Amendments(ctx context.Context, purchaseID int64) ([]contract.Amendment, error) {
	return fetch(ctx, db, func(b *Batch, out *[]contract.Amendment) { b.Amendments(purchaseID, out) })
}

// Amendments queues the read of Amendments into out.
func (b *Batch) Amendments(purchaseID int64, out *[]contract.Amendment) {
	b.read("amendments", `SELECT a.id, a.number, a.made_on, a.summary, a.reason, a.widens_scope, a.widens_data, a.widens_duration,
		a.new_ends_on, COALESCE(a.new_value_minor, 0), COALESCE(NULLIF(u.name, ''), u.email, ''), a.created_at
		FROM contract_amendments a LEFT JOIN users u ON u.id = a.created_by WHERE a.purchase_id = $1 ORDER BY a.number`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (x contract.Amendment, err error) {
			x.PurchaseID = purchaseID
			return x, rs.Scan(&x.ID, &x.Number, &x.MadeOn, &x.Summary, &x.Reason, &x.WidensScope, &x.WidensData, &x.WidensDuration,
				&x.NewEndsOn, &x.NewValueMinor, &x.CreatedBy, &x.CreatedAt)
		}))
}

// AddAmendment records an amendment to the signed contract. One that
// widens scope, data use or duration re-opens the screening: a task to
// screen again is opened in the same transaction, and the gates refuse to
// move the purchase on until the screening is newer than the amendment. A
// new end date or value is carried into the contract record.
func (db *DB) AddAmendment(ctx context.Context, a Actor, p *model.Purchase, x *contract.Amendment) error {
	if fe := x.Validate(model.DateOf(db.now())); len(fe) > 0 {
		return fe.Err()
	}
	now := db.now()
	return db.tx(ctx, "add amendment", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		var recorded int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM contracts WHERE purchase_id = $1", p.ID).Scan(&recorded); err != nil {
			return fmt.Errorf("store: amendment: %w", err)
		}
		if recorded == 0 {
			return model.FieldErrors{"summary": "contract.err.no_contract"}.Err()
		}
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(number), 0) + 1 FROM contract_amendments WHERE purchase_id = $1", p.ID).Scan(&x.Number); err != nil {
			return fmt.Errorf("store: amendment: %w", err)
		}
		var newValue sql.NullInt64
		if x.NewValueMinor > 0 {
			newValue = sql.NullInt64{Int64: x.NewValueMinor, Valid: true}
		}
		x.CreatedAt = now
		if err := tx.QueryRowContext(ctx, `INSERT INTO contract_amendments (purchase_id, number, made_on, summary, reason, widens_scope, widens_data, widens_duration,
			new_ends_on, new_value_minor, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			p.ID, x.Number, x.MadeOn, x.Summary, x.Reason, x.WidensScope, x.WidensData, x.WidensDuration, x.NewEndsOn, newValue, nullID(a.UserID), now).Scan(&x.ID); err != nil {
			return fmt.Errorf("store: amendment: %w", err)
		}
		if !x.NewEndsOn.IsZero() {
			if _, err := tx.ExecContext(ctx, "UPDATE contracts SET ends_on = $1, rev = rev + 1 WHERE purchase_id = $2", x.NewEndsOn, p.ID); err != nil {
				return fmt.Errorf("store: amendment: %w", err)
			}
		}
		if newValue.Valid {
			if _, err := tx.ExecContext(ctx, "UPDATE contracts SET value_minor = $1, rev = rev + 1 WHERE purchase_id = $2", x.NewValueMinor, p.ID); err != nil {
				return fmt.Errorf("store: amendment: %w", err)
			}
		}
		if x.Widens() {
			title := "Screen again: amendment " + strconv.Itoa(x.Number) + " widens the contract"
			if _, err := db.openTask(ctx, tx, a, p, "rescreen", title, "amendment:"+strconv.FormatInt(x.ID, 10), model.DateOf(now).AddDays(14)); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "amendment", map[string]any{
			"number": x.Number, "made_on": x.MadeOn, "summary": x.Summary, "reason": x.Reason,
			"widens_scope": x.WidensScope, "widens_data": x.WidensData, "widens_duration": x.WidensDuration,
			"new_ends_on": x.NewEndsOn, "new_value_minor": x.NewValueMinor, "reopens_screening": x.Widens()})
	})
}

// closeRescreenTasks marks the purchase's open re-screening tasks done
// when a screening is saved, inside that change.
func (db *DB) closeRescreenTasks(ctx context.Context, tx *sql.Tx, a Actor, p *model.Purchase) error {
	res, err := tx.ExecContext(ctx, "UPDATE tasks SET done_at = $1 WHERE purchase_id = $2 AND kind = 'rescreen' AND done_at IS NULL", db.now(), p.ID)
	if err != nil {
		return fmt.Errorf("store: close re-screening tasks: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "task_closed", map[string]any{"kind": "rescreen", "count": n, "note": "screened again"})
	}
	return nil
}

// Reviews lists a purchase's reviews by due date.
func (db *DB) Reviews(ctx context.Context, purchaseID int64) ([]contract.Review, error) {
	return fetch(ctx, db, func(b *Batch, out *[]contract.Review) { b.Reviews(purchaseID, out) })
}

// Reviews queues the read of Reviews into out.
func (b *Batch) Reviews(purchaseID int64, out *[]contract.Review) {
	b.read("reviews", `SELECT r.id, r.kind, r.due_on, r.held_on, r.outcome, r.findings, r.evidence, r.new_ends_on,
		COALESCE(NULLIF(c.name, ''), c.email, ''), COALESCE(NULLIF(d.name, ''), d.email, ''), r.decided_at
		FROM contract_reviews r LEFT JOIN users c ON c.id = r.created_by LEFT JOIN users d ON d.id = r.decided_by
		WHERE r.purchase_id = $1 ORDER BY r.due_on, r.id`, []any{purchaseID},
		appendRow(out, func(rs rowScanner) (x contract.Review, err error) {
			x.PurchaseID = purchaseID
			var at sql.NullTime
			err = rs.Scan(&x.ID, &x.Kind, &x.DueOn, &x.HeldOn, &x.Outcome, &x.Findings, &x.Evidence, &x.NewEndsOn, &x.CreatedBy, &x.DecidedBy, &at)
			x.DecidedAt = at.Time
			return x, err
		}))
}

// ScheduleReview adds a review, sunset or renewal decision due on a date.
func (db *DB) ScheduleReview(ctx context.Context, a Actor, p *model.Purchase, kind string, due model.Date) (int64, error) {
	fe := model.FieldErrors{}
	if !validKind(kind) {
		fe.Add("kind", "invalid.choice")
	}
	if due.IsZero() {
		fe.Add("due_on", "invalid.required")
	}
	if len(fe) > 0 {
		return 0, fe.Err()
	}
	var id int64
	err := db.tx(ctx, "schedule review", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "INSERT INTO contract_reviews (purchase_id, kind, due_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			p.ID, kind, due, nullID(a.UserID), db.now()).Scan(&id); err != nil {
			return fmt.Errorf("store: schedule review: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "review_scheduled", map[string]any{"review": id, "kind": kind, "due_on": due})
	})
	return id, err
}

func validKind(k string) bool {
	for _, x := range contract.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// DecideReview records what a held review found and decided. A renewal is
// refused without a fresh screening and monitoring results (see
// contract.Review.ValidateDecision); a renewal that is granted carries the
// new end date into the contract record.
func (db *DB) DecideReview(ctx context.Context, a Actor, p *model.Purchase, x *contract.Review) error {
	now := db.now()
	return db.tx(ctx, "decide review", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		var held sql.NullTime
		err := tx.QueryRowContext(ctx, "SELECT kind, due_on, decided_at FROM contract_reviews WHERE id = $1 AND purchase_id = $2", x.ID, p.ID).Scan(&x.Kind, &x.DueOn, &held)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound("review")
		}
		if err != nil {
			return fmt.Errorf("store: review: %w", err)
		}
		if held.Valid {
			return model.Errorf(model.EConflict, "contract.err.review_held", "this review has already been decided")
		}
		f, err := db.renewalFacts(ctx, tx, p.ID, now)
		if err != nil {
			return err
		}
		if fe := x.ValidateDecision(model.DateOf(now), f); len(fe) > 0 {
			return fe.Err()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contract_reviews SET held_on = $1, outcome = $2, findings = $3, evidence = $4, new_ends_on = $5,
			decided_by = $6, decided_at = $7 WHERE id = $8`, x.HeldOn, x.Outcome, x.Findings, x.Evidence, x.NewEndsOn, nullID(a.UserID), now, x.ID); err != nil {
			return fmt.Errorf("store: review: %w", err)
		}
		if x.Outcome == contract.OutcomeRenew {
			if _, err := tx.ExecContext(ctx, "UPDATE contracts SET ends_on = $1, rev = rev + 1 WHERE purchase_id = $2", x.NewEndsOn, p.ID); err != nil {
				return fmt.Errorf("store: review: %w", err)
			}
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "review_decided", map[string]any{
			"review": x.ID, "kind": x.Kind, "held_on": x.HeldOn, "outcome": x.Outcome, "findings": x.Findings,
			"evidence": x.Evidence, "new_ends_on": x.NewEndsOn, "measurements": f.Measurements})
	})
}

// renewalFacts reads what a renewal rests on.
func (db *DB) renewalFacts(ctx context.Context, q queryer, purchaseID int64, now time.Time) (contract.Renewal, error) {
	var f contract.Renewal
	// Plain columns, not MAX(): SQLite returns an aggregate of timestamps
	// as text.
	err := q.QueryRowContext(ctx, "SELECT updated_at FROM screenings WHERE purchase_id = $1", purchaseID).Scan(&f.ScreenedAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("store: renewal: %w", err)
	}
	err = q.QueryRowContext(ctx, `SELECT created_at FROM contract_amendments WHERE purchase_id = $1
		AND (widens_scope OR widens_data OR widens_duration) ORDER BY created_at DESC LIMIT 1`, purchaseID).Scan(&f.LastWidening)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("store: renewal: %w", err)
	}
	n, err := db.measurementsSince(ctx, q, purchaseID, now.AddDate(-1, 0, 0))
	if err != nil {
		return f, err
	}
	f.Measurements = n
	return f, nil
}

// ExitPlan returns the purchase's exit plan, or nil.
func (db *DB) ExitPlan(ctx context.Context, purchaseID int64) (*contract.ExitPlan, error) {
	return db.exitPlan(ctx, db.read, purchaseID)
}

func (db *DB) exitPlan(ctx context.Context, q queryer, purchaseID int64) (*contract.ExitPlan, error) {
	e, err := scanExitPlan(q.QueryRowContext(ctx, exitPlanQuery, purchaseID), purchaseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: exit plan: %w", err)
	}
	return e, nil
}

// ExitPlan queues the read of the exit plan into out, which stays nil
// when there is none.
func (b *Batch) ExitPlan(purchaseID int64, out **contract.ExitPlan) {
	b.read("exit plan", exitPlanQuery, []any{purchaseID}, func(rs rowScanner) (err error) {
		*out, err = scanExitPlan(rs, purchaseID)
		return err
	})
}

const exitPlanQuery = `SELECT x.data_return, x.deletion, x.transition, x.returned_on, x.deleted_on, x.rev,
	COALESCE(NULLIF(u.name, ''), u.email, ''), x.updated_at,
	(SELECT COUNT(*) FROM purchase_files f WHERE f.purchase_id = x.purchase_id AND f.kind = 'exit')
	FROM exit_plans x LEFT JOIN users u ON u.id = x.updated_by WHERE x.purchase_id = $1`

func scanExitPlan(rs rowScanner, purchaseID int64) (*contract.ExitPlan, error) {
	e := &contract.ExitPlan{PurchaseID: purchaseID}
	if err := rs.Scan(&e.DataReturn, &e.Deletion, &e.Transition, &e.ReturnedOn, &e.DeletedOn, &e.Rev, &e.UpdatedBy, &e.UpdatedAt, &e.Evidence); err != nil {
		return nil, err
	}
	return e, nil
}

// SaveExitPlan records or corrects the exit plan; rev as for SaveContract.
func (db *DB) SaveExitPlan(ctx context.Context, a Actor, p *model.Purchase, e *contract.ExitPlan, rev int64) error {
	now := db.now()
	if fe := e.Validate(model.DateOf(now)); len(fe) > 0 {
		return fe.Err()
	}
	return db.tx(ctx, "save exit plan", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		var cur int64
		err := tx.QueryRowContext(ctx, "SELECT rev FROM exit_plans WHERE purchase_id = $1", p.ID).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: exit plan: %w", err)
		}
		if cur != rev {
			return errStale()
		}
		if cur == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO exit_plans (purchase_id, data_return, deletion, transition, returned_on, deleted_on, rev, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`, p.ID, e.DataReturn, e.Deletion, e.Transition, e.ReturnedOn, e.DeletedOn, nullID(a.UserID), now)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE exit_plans SET data_return = $1, deletion = $2, transition = $3, returned_on = $4, deleted_on = $5,
				rev = rev + 1, updated_by = $6, updated_at = $7 WHERE purchase_id = $8`, e.DataReturn, e.Deletion, e.Transition, e.ReturnedOn, e.DeletedOn, nullID(a.UserID), now, p.ID)
		}
		if err != nil {
			return fmt.Errorf("store: exit plan: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "exit_plan", map[string]any{
			"data_return": e.DataReturn, "deletion": e.Deletion, "transition": e.Transition,
			"returned_on": e.ReturnedOn, "deleted_on": e.DeletedOn, "rev": cur + 1})
	})
}

// ContractFacts reads what the contract gates check.
func (db *DB) ContractFacts(ctx context.Context, purchaseID int64) (*contract.Facts, error) {
	f := &contract.Facts{}
	var err error
	if f.Contract, err = db.Contract(ctx, purchaseID); err != nil {
		return nil, err
	}
	choices, err := db.TenderChoices(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	for id, c := range choices {
		if c.Decision == tender.Accepted || c.Decision == tender.Edited {
			f.Chosen = append(f.Chosen, id)
		}
	}
	sort.Strings(f.Chosen)
	if f.Safeguards, err = db.Safeguards(ctx, purchaseID); err != nil {
		return nil, err
	}
	if s, err := db.Screening(ctx, purchaseID); err != nil {
		return nil, err
	} else if s != nil {
		f.ScreenedAt = s.UpdatedAt
	}
	ams, err := db.Amendments(ctx, purchaseID)
	if err != nil {
		return nil, err
	}
	for i := range ams {
		if ams[i].Widens() {
			f.LastWidening = &ams[i]
		}
	}
	if f.Exit, err = db.ExitPlan(ctx, purchaseID); err != nil {
		return nil, err
	}
	err = db.read.QueryRowContext(ctx, "SELECT COUNT(*) > 0 FROM contract_reviews WHERE purchase_id = $1 AND outcome = $2", purchaseID, contract.OutcomeExit).Scan(&f.ExitDecided)
	if err != nil {
		return nil, fmt.Errorf("store: contract facts: %w", err)
	}
	return f, nil
}
