package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

// Continuation is an emergency measure continued past its sunset: the new
// legal basis and the new screening it rests on, and the new sunset date.
// It is public, on the register entry.
type Continuation struct {
	ID             int64
	PurchaseID     int64
	OldSunset      model.Date
	NewSunset      model.Date
	OldLegalBasis  string
	LegalBasis     string
	Reason         string
	ScreenedAt     time.Time
	ScreeningLevel int
	DecidedBy      string
	DecidedAt      time.Time
}

// ContinueWindow is how long before its sunset an emergency measure may be
// continued, and how recent (before the sunset) the new screening must be.
const ContinueWindow = 30

// ContinueEmergency continues an emergency measure whose sunset is near or
// past, never by an override: it needs a legal basis other than the one
// the measure had, a complete screening without a stop saved within
// ContinueWindow days of the sunset (and after any earlier continuation),
// a new sunset date after today, and the reason. The purchase's legal
// basis and sunset date change in the same transaction, the register
// entry is refreshed, and the audit keeps both.
func (db *DB) ContinueEmergency(ctx context.Context, a Actor, p *model.Purchase, c *Continuation) error {
	c.LegalBasis, c.Reason = model.CleanText(c.LegalBasis), model.CleanText(c.Reason)
	now := db.now()
	today := model.DateOf(now)
	return db.tx(ctx, "continue emergency measure", func(tx *sql.Tx) error {
		if err := db.lockPurchase(ctx, tx, p.ID); err != nil {
			return err
		}
		var emergency bool
		var sunset model.Date
		var basis string
		var stage model.Stage
		var version int64
		err := tx.QueryRowContext(ctx, "SELECT emergency, sunset_date, legal_basis, stage, version FROM purchases WHERE id = $1", p.ID).
			Scan(&emergency, &sunset, &basis, &stage, &version)
		if err != nil {
			return fmt.Errorf("store: continue emergency measure: %w", err)
		}
		fe := model.FieldErrors{}
		switch {
		case !emergency || sunset.IsZero() || !stage.Open():
			return model.Errorf(model.EInvalid, "sunset.err.not_emergency", "only an open emergency measure with a sunset date can be continued")
		case today.AddDays(ContinueWindow).Before(sunset):
			return model.Errorf(model.EInvalid, "sunset.err.too_early", "an emergency measure can be continued only within 30 days of its sunset date")
		}
		switch {
		case c.LegalBasis == "":
			fe.Add("legal_basis", "invalid.required")
		case model.TooLong(c.LegalBasis, 2000):
			fe.Add("legal_basis", "invalid.too_long")
		case strings.EqualFold(strings.Join(strings.Fields(c.LegalBasis), " "), strings.Join(strings.Fields(basis), " ")):
			fe.Add("legal_basis", "sunset.err.same_basis")
		}
		switch {
		case c.NewSunset.IsZero():
			fe.Add("new_sunset", "invalid.required")
		case !today.Before(c.NewSunset):
			fe.Add("new_sunset", "sunset.err.new_sunset_past")
		}
		switch {
		case c.Reason == "":
			fe.Add("reason", "invalid.required")
		case model.TooLong(c.Reason, 8000):
			fe.Add("reason", "invalid.too_long")
		}
		// The screening it rests on: complete, no stop, done for this
		// decision (near the sunset and after any earlier continuation).
		s, err := db.screening(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		var last sql.NullTime
		err = tx.QueryRowContext(ctx, "SELECT decided_at FROM emergency_continuations WHERE purchase_id = $1 ORDER BY id DESC LIMIT 1", p.ID).Scan(&last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: continue emergency measure: %w", err)
		}
		switch {
		case s == nil || s.Result.Status != "complete":
			fe.Add("screening", "sunset.err.no_screening")
		case s.Result.Stop:
			fe.Add("screening", "sunset.err.screening_stop")
		case s.UpdatedAt.Before(sunset.AddDays(-ContinueWindow).Time()) || (last.Valid && !s.UpdatedAt.After(last.Time)):
			fe.Add("screening", "sunset.err.old_screening")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		c.PurchaseID, c.OldSunset, c.OldLegalBasis, c.ScreenedAt, c.ScreeningLevel, c.DecidedAt = p.ID, sunset, basis, s.UpdatedAt, s.Result.Level, now
		if err := tx.QueryRowContext(ctx, `INSERT INTO emergency_continuations (purchase_id, old_sunset, new_sunset, old_legal_basis, legal_basis, reason, screened_at, screening_level, decided_by, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, p.ID, sunset, c.NewSunset, basis, c.LegalBasis, c.Reason, s.UpdatedAt, s.Result.Level, nullID(a.UserID), now).Scan(&c.ID); err != nil {
			return fmt.Errorf("store: continue emergency measure: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE purchases SET legal_basis = $1, sunset_date = $2, version = version + 1, updated_at = $3 WHERE id = $4",
			c.LegalBasis, c.NewSunset, now, p.ID); err != nil {
			return fmt.Errorf("store: continue emergency measure: %w", err)
		}
		if err := db.refreshIfPublished(ctx, tx, p.ID); err != nil {
			return err
		}
		p.LegalBasis, p.SunsetDate, p.Version, p.UpdatedAt = c.LegalBasis, c.NewSunset, version+1, now
		return db.appendAudit(ctx, tx, a, p.OrgID, "purchase", p.ID, "emergency_continued", map[string]any{
			"continuation": c.ID, "sunset_date": Change{sunset.String(), c.NewSunset.String()}, "legal_basis": Change{basis, c.LegalBasis},
			"reason": c.Reason, "screened_at": s.UpdatedAt, "screening_level": s.Result.Level})
	})
}

// Continuations lists a purchase's continuations, oldest first.
func (db *DB) Continuations(ctx context.Context, purchaseID int64) ([]Continuation, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.old_sunset, c.new_sunset, c.old_legal_basis, c.legal_basis, c.reason, c.screened_at, c.screening_level,
		COALESCE(NULLIF(u.name, ''), u.email, ''), c.decided_at FROM emergency_continuations c LEFT JOIN users u ON u.id = c.decided_by
		WHERE c.purchase_id = $1 ORDER BY c.id`, purchaseID)
	if err != nil {
		return nil, fmt.Errorf("store: continuations: %w", err)
	}
	defer rows.Close()
	var out []Continuation
	for rows.Next() {
		c := Continuation{PurchaseID: purchaseID}
		if err := rows.Scan(&c.ID, &c.OldSunset, &c.NewSunset, &c.OldLegalBasis, &c.LegalBasis, &c.Reason, &c.ScreenedAt, &c.ScreeningLevel, &c.DecidedBy, &c.DecidedAt); err != nil {
			return nil, fmt.Errorf("store: continuations: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PastSunsetAmong returns which of the purchases are emergency measures
// past their sunset date on today (for a page of register results).
func (db *DB) PastSunsetAmong(ctx context.Context, ids []int64, today model.Date) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM purchases WHERE id IN (`+strings.Join(list, ",")+`)
		AND emergency = TRUE AND sunset_date IS NOT NULL AND sunset_date < $1`, today)
	if err != nil {
		return nil, fmt.Errorf("store: past sunset: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// errPastSunset refuses a move of an emergency measure past its sunset.
func errPastSunset() error {
	return model.Errorf(model.EInvalid, "sunset.err.past", "this emergency measure is past its sunset date: it can only be wound down (renewal or exit, closing, cancelling) unless it is continued on a new legal basis and a new screening")
}

// checkSunsetMove reads the purchase as it is in the database and refuses
// a move its sunset does not allow, whatever the caller was shown.
func (db *DB) checkSunsetMove(ctx context.Context, tx *sql.Tx, purchaseID int64, to model.Stage) error {
	q := &model.Purchase{}
	err := tx.QueryRowContext(ctx, "SELECT emergency, sunset_date FROM purchases WHERE id = $1", purchaseID).Scan(&q.Emergency, &q.SunsetDate)
	if errors.Is(err, sql.ErrNoRows) {
		return model.NotFound("purchase")
	}
	if err != nil {
		return fmt.Errorf("store: transition: %w", err)
	}
	if !lifecycle.SunsetAllows(q, to, model.DateOf(db.now())) {
		return errPastSunset()
	}
	return nil
}

// checkSunsetEdit refuses an edit that would let an emergency measure run
// past its sunset without a continuation: moving the sunset later,
// clearing it, or saying it is not an emergency measure after all.
func checkSunsetEdit(old, cur *model.Purchase) error {
	if !old.Emergency || old.SunsetDate.IsZero() {
		return nil
	}
	fe := model.FieldErrors{}
	if !cur.Emergency {
		fe.Add("emergency", "sunset.err.by_continuation")
	}
	if cur.SunsetDate.IsZero() || old.SunsetDate.Before(cur.SunsetDate) {
		fe.Add("sunset_date", "sunset.err.by_continuation")
	}
	return fe.Err()
}
