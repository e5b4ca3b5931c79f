package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"buyright/internal/assessment"
	"buyright/internal/consultation"
	"buyright/internal/model"
)

// Civil society in the product: the meetings an organisation is named in,
// the published purchases its people follow, and what they are told of by
// e-mail (invitations to consultations, new assessment versions, new
// consultations, reports and oversight findings).

// syncParticipants keeps engagement_participants in step with the
// newest assessment version of a purchase, inside the edit's transaction.
// Only civil-society organisations are recorded.
func (db *DB) syncParticipants(ctx context.Context, tx *sql.Tx, purchaseID int64, d *assessment.Doc) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM engagement_participants WHERE purchase_id = $1", purchaseID); err != nil {
		return fmt.Errorf("store: meeting participants: %w", err)
	}
	for _, e := range d.Engagements {
		for _, org := range e.Participants {
			var kind string
			err := tx.QueryRowContext(ctx, "SELECT kind FROM organisations WHERE id = $1", org).Scan(&kind)
			if err == sql.ErrNoRows || (err == nil && kind != string(model.OrgCivilSociety)) {
				continue
			}
			if err != nil {
				return fmt.Errorf("store: meeting participants: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO engagement_participants (purchase_id, engagement_id, org_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
				purchaseID, e.ID, org); err != nil {
				return fmt.Errorf("store: meeting participants: %w", err)
			}
		}
	}
	return nil
}

// Meeting is an engagement an organisation is named as taking part in.
type Meeting struct {
	PurchaseID    int64
	PurchaseTitle string
	OrgName       string // the body that held it
	Engagement    assessment.Engagement
}

// OrgMeetings lists the meetings of the newest assessment versions that
// name organisation orgID among their participants.
func (db *DB) OrgMeetings(ctx context.Context, orgID int64) ([]Meeting, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT DISTINCT purchase_id FROM engagement_participants WHERE org_id = $1 ORDER BY purchase_id DESC", orgID)
	if err != nil {
		return nil, fmt.Errorf("store: meetings: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Meeting
	for _, id := range ids {
		p, err := db.purchaseByID(ctx, id)
		if err != nil {
			return nil, err
		}
		v, err := db.Assessment(ctx, id)
		if err != nil || v == nil {
			return out, err
		}
		for _, e := range v.Doc.Engagements {
			if e.Participating(orgID) {
				out = append(out, Meeting{PurchaseID: id, PurchaseTitle: p.Title, OrgName: p.OrgName, Engagement: e})
			}
		}
	}
	return out, nil
}

// InRegister reports whether a purchase is in the public register.
func (db *DB) InRegister(ctx context.Context, purchaseID int64) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM register_entries WHERE purchase_id = $1", purchaseID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: published: %w", err)
	}
	return n > 0, nil
}

// Follow makes u follow a published purchase (again, harmlessly). A
// purchase that is not in the register is not found, as for anyone else.
func (db *DB) Follow(ctx context.Context, a Actor, u *model.User, purchaseID int64) error {
	ok, err := db.InRegister(ctx, purchaseID)
	if err != nil {
		return err
	}
	if !ok {
		return model.NotFound("register entry")
	}
	return db.tx(ctx, "follow", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO purchase_follows (user_id, purchase_id, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", u.ID, purchaseID, db.now())
		if err != nil {
			return fmt.Errorf("store: follow: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "user", u.ID, "follow", map[string]any{"purchase_id": purchaseID})
	})
}

// Unfollow stops u following a purchase.
func (db *DB) Unfollow(ctx context.Context, a Actor, u *model.User, purchaseID int64) error {
	return db.tx(ctx, "unfollow", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM purchase_follows WHERE user_id = $1 AND purchase_id = $2", u.ID, purchaseID)
		if err != nil {
			return fmt.Errorf("store: unfollow: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "user", u.ID, "unfollow", map[string]any{"purchase_id": purchaseID})
	})
}

// Followed is a purchase a person follows, as its register entry shows it.
type Followed struct {
	PurchaseID int64
	Title      string
	OrgName    string
	Stage      model.Stage
	Since      time.Time
}

// Following lists the published purchases userID follows, newest first.
// A purchase withdrawn from the register drops out of the list (the
// follow stays, and comes back if it is published again).
func (db *DB) Following(ctx context.Context, userID int64) ([]Followed, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT f.purchase_id, e.title, e.org_name, e.stage, f.since FROM purchase_follows f
		JOIN register_entries e ON e.purchase_id = f.purchase_id WHERE f.user_id = $1 ORDER BY f.since DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: following: %w", err)
	}
	defer rows.Close()
	var out []Followed
	for rows.Next() {
		var f Followed
		if err := rows.Scan(&f.PurchaseID, &f.Title, &f.OrgName, &f.Stage, &f.Since); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// OrgInvitations lists the published consultations organisation orgID is
// invited to, newest first.
func (db *DB) OrgInvitations(ctx context.Context, orgID int64) ([]*consultation.Consultation, error) {
	return db.consultations(ctx, "SELECT "+consultationColumns+consultationFrom+` WHERE c.status <> 'draft'
		AND c.id IN (SELECT consultation_id FROM consultation_invitations WHERE org_id = $1) ORDER BY c.id DESC`, orgID)
}

// ParticipationNews lists what people of civil-society organisations are
// told of by e-mail, each once (Key): an invitation to an open
// consultation; the report of a consultation they were invited to or on a
// purchase they follow; and, on the published purchases they follow, each
// assessment version signed off, consultation opened and finding published
// since they began to follow, within the last 30 days.
func (db *DB) ParticipationNews(ctx context.Context, day time.Time) ([]Reminder, error) {
	today := model.DateOf(day)
	// News older than a month is not sent: a reminder queued once is
	// never queued again (its key), and older events would only make
	// every run read more.
	recent := day.UTC().AddDate(0, 0, -30).Truncate(time.Microsecond)
	var out []Reminder
	titles := map[int64]*consultation.Consultation{}
	title := func(id int64, lang string) (string, error) {
		c, ok := titles[id]
		if !ok {
			var err error
			if c, err = db.Consultation(ctx, id); err != nil {
				return "", err
			}
			titles[id] = c
		}
		return c.Title(lang), nil
	}
	each := func(q string, args []any, scan func(rows *sql.Rows) (Reminder, bool, error)) error {
		rows, err := db.read.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: participation news: %w", err)
		}
		var batch []Reminder
		for rows.Next() {
			r, ok, err := scan(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: participation news: %w", err)
			}
			if ok {
				batch = append(batch, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Consultation titles are read after the rows are closed, so a
		// single-connection database is never asked two things at once.
		for i := range batch {
			if batch[i].Kind == "consult_invited" || batch[i].Kind == "consult_reported" || batch[i].Kind == "follow_consultation" {
				t, err := title(batch[i].ObjectID, batch[i].Lang)
				if err != nil {
					return err
				}
				batch[i].What = t
			}
		}
		out = append(out, batch...)
		return nil
	}
	user := func(id int64) string { return strconv.FormatInt(id, 10) }
	// Invitations to consultations still taking responses.
	err := each(`SELECT c.id, c.purchase_id, p.title, c.deadline, u.id, u.email, u.lang FROM consultation_invitations i
		JOIN consultations c ON c.id = i.consultation_id JOIN purchases p ON p.id = c.purchase_id
		JOIN users u ON u.org_id = i.org_id AND u.disabled = FALSE
		WHERE c.status = 'open' AND c.deadline >= $1`, []any{today}, func(rows *sql.Rows) (Reminder, bool, error) {
		r := Reminder{Kind: "consult_invited"}
		var uid int64
		err := rows.Scan(&r.ObjectID, &r.PurchaseID, &r.Purchase, &r.Due, &uid, &r.To, &r.Lang)
		r.Key = "consult-invite:" + user(r.ObjectID) + ":" + user(uid)
		return r, true, err
	})
	if err != nil {
		return nil, err
	}
	// Reports of consultations they were invited to.
	err = each(`SELECT c.id, c.purchase_id, p.title, u.id, u.email, u.lang FROM consultation_invitations i
		JOIN consultations c ON c.id = i.consultation_id JOIN purchases p ON p.id = c.purchase_id
		JOIN users u ON u.org_id = i.org_id AND u.disabled = FALSE
		WHERE c.status = 'reported' AND c.reported_at >= $1`, []any{recent}, func(rows *sql.Rows) (Reminder, bool, error) {
		r := Reminder{Kind: "consult_reported"}
		var uid int64
		err := rows.Scan(&r.ObjectID, &r.PurchaseID, &r.Purchase, &uid, &r.To, &r.Lang)
		r.Key = "consult-report:" + user(r.ObjectID) + ":" + user(uid)
		return r, true, err
	})
	if err != nil {
		return nil, err
	}
	follows := ` FROM purchase_follows f JOIN users u ON u.id = f.user_id AND u.disabled = FALSE
		JOIN purchases p ON p.id = f.purchase_id JOIN register_entries e ON e.purchase_id = p.id `
	// Assessment versions signed off since they began to follow.
	err = each(`SELECT a.id, a.version, p.id, p.title, u.id, u.email, u.lang`+follows+`
		JOIN assessment_versions a ON a.purchase_id = p.id AND a.status = 'signed' AND a.signed_at > f.since AND a.signed_at >= $1`, []any{recent}, func(rows *sql.Rows) (Reminder, bool, error) {
		r := Reminder{Kind: "follow_version"}
		var aid, uid int64
		var version int
		err := rows.Scan(&aid, &version, &r.PurchaseID, &r.Purchase, &uid, &r.To, &r.Lang)
		r.ObjectID, r.What, r.Key = int64(version), strconv.Itoa(version), "follow-version:"+user(aid)+":"+user(uid)
		return r, true, err
	})
	if err != nil {
		return nil, err
	}
	// Consultations opened, and reports published, since they began to
	// follow (a report shares its key with the invited organisation's, so
	// a person both invited and following hears of it once).
	err = each(`SELECT c.id, c.status, c.opened_on, c.deadline, c.reported_at, f.since, p.id, p.title, u.id, u.email, u.lang`+follows+`
		JOIN consultations c ON c.purchase_id = p.id AND c.status <> 'draft' AND c.updated_at >= $1`, []any{recent}, func(rows *sql.Rows) (Reminder, bool, error) {
		var r Reminder
		var st consultation.Status
		var opened model.Date
		var reported sql.NullTime
		var since time.Time
		var uid int64
		if err := rows.Scan(&r.ObjectID, &st, &opened, &r.Due, &reported, &since, &r.PurchaseID, &r.Purchase, &uid, &r.To, &r.Lang); err != nil {
			return r, false, err
		}
		if st == consultation.Reported && reported.Valid && reported.Time.After(since) {
			r.Kind, r.Key = "consult_reported", "consult-report:"+user(r.ObjectID)+":"+user(uid)
			return r, true, nil
		}
		// An invited organisation's person hears of the consultation once,
		// by the invitation (same key, queued first).
		r.Kind, r.Key = "follow_consultation", "consult-invite:"+user(r.ObjectID)+":"+user(uid)
		return r, st == consultation.Open && !opened.Before(model.DateOf(since)) && !r.Due.Before(today), nil
	})
	if err != nil {
		return nil, err
	}
	// Oversight findings published since they began to follow.
	err = each(`SELECT x.id, x.title, p.id, p.title, u.id, u.email, u.lang`+follows+`
		JOIN findings x ON x.purchase_id = p.id AND x.published_at > f.since AND x.published_at >= $1`, []any{recent}, func(rows *sql.Rows) (Reminder, bool, error) {
		r := Reminder{Kind: "follow_finding"}
		var uid int64
		err := rows.Scan(&r.ObjectID, &r.What, &r.PurchaseID, &r.Purchase, &uid, &r.To, &r.Lang)
		r.Key = "follow-finding:" + user(r.ObjectID) + ":" + user(uid)
		return r, true, err
	})
	return dedupeReminders(out), err
}

// dedupeReminders keeps the first reminder of each key.
func dedupeReminders(rs []Reminder) []Reminder {
	seen := map[string]bool{}
	out := rs[:0]
	for _, r := range rs {
		if !seen[r.Key] {
			seen[r.Key] = true
			out = append(out, r)
		}
	}
	return out
}
