package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"buyright/internal/audit"
	"buyright/internal/model"
)

// Actor is who makes a change: a signed-in person or the system.
type Actor struct {
	UserID int64
	Label  string // e-mail of the person, or "system", "cli"
}

// ActorOf returns the actor for a signed-in user.
func ActorOf(u *model.User) Actor {
	if u == nil {
		return Actor{Label: "system"}
	}
	return Actor{UserID: u.ID, Label: u.Email}
}

// System is the actor for changes made by buyright itself or its CLI.
var System = Actor{Label: "system"}

// Change is one field's old and new value in an audit entry.
type Change struct {
	Old any `json:"old"`
	New any `json:"new"`
}

// appendAudit writes one audit row inside tx (see appendAuditMany).
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, a Actor, orgID int64, objType string, objID int64, action string, detail any) error {
	return db.appendAuditMany(ctx, tx, a, objType, action, func(int) (int64, int64, any) { return orgID, objID, detail }, 1)
}

// appendAuditMany writes n audit rows inside tx, chained and hashed in
// memory, inserted many rows per statement, with the head moved once.
// row(i) gives the i-th row's organisation, object and detail. The lock
// makes row ids and hashes strictly sequential even with several app
// servers: SQLite's write transaction already holds the database lock;
// PostgreSQL takes a transaction-scoped advisory lock, keyed by schema too
// so that separate installations (or test schemas) in one database do not
// queue behind each other.
func (db *DB) appendAuditMany(ctx context.Context, tx *sql.Tx, a Actor, objType, action string, row func(i int) (orgID, objID int64, detail any), n int) error {
	if n == 0 {
		return nil
	}
	if db.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7240002, hashtext(current_schema()))"); err != nil {
			return fmt.Errorf("store: audit lock: %w", err)
		}
	}
	var lastID int64
	prev := audit.Genesis
	err := tx.QueryRowContext(ctx, "SELECT last_id, hash FROM audit_head WHERE one = 1").Scan(&lastID, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: audit head: %w", err)
	}
	at := db.now().Format(audit.TimeLayout)
	rows := make([][]any, n)
	for i := range n {
		orgID, objID, detail := row(i)
		d := []byte("{}")
		if detail != nil {
			if d, err = json.Marshal(detail); err != nil {
				return fmt.Errorf("store: audit detail: %w", err)
			}
		}
		e := audit.Entry{
			ID: lastID + 1 + int64(i), At: at,
			ActorID: a.UserID, Actor: a.Label, OrgID: orgID,
			ObjectType: objType, ObjectID: objID, Action: action, Detail: string(d),
		}
		e.Seal(prev)
		prev = e.Hash
		rows[i] = []any{e.ID, e.At, nullID(e.ActorID), e.Actor, nullID(e.OrgID), e.ObjectType, e.ObjectID, e.Action, e.Detail, e.PrevHash, e.Hash}
	}
	if err := db.insertRows(ctx, tx, `INSERT INTO audit_log
		(id, at, actor_id, actor, org_id, object_type, object_id, action, detail, prev_hash, hash) VALUES `, rows); err != nil {
		return fmt.Errorf("store: audit insert: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_head (one, last_id, hash) VALUES (1, $1, $2)
		ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash`, lastID+int64(n), prev); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

const auditColumns = "id, at, COALESCE(actor_id, 0), actor, COALESCE(org_id, 0), object_type, object_id, action, detail, prev_hash, hash"

func scanAudit(rows rowScanner) (audit.Entry, error) {
	var e audit.Entry
	err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.OrgID, &e.ObjectType, &e.ObjectID, &e.Action, &e.Detail, &e.PrevHash, &e.Hash)
	return e, err
}

// AuditFor lists the audit entries of one object, newest first.
func (db *DB) AuditFor(ctx context.Context, objType string, objID int64, limit int) ([]audit.Entry, error) {
	return fetch(ctx, db, func(b *Batch, out *[]audit.Entry) { b.AuditFor(objType, objID, limit, out) })
}

// AuditFor queues the read of AuditFor into out.
func (b *Batch) AuditFor(objType string, objID int64, limit int, out *[]audit.Entry) {
	b.read("audit", "SELECT "+auditColumns+" FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY id DESC LIMIT $3",
		[]any{objType, objID, limit}, appendRow(out, scanAudit))
}

// VerifyAudit checks the whole log; it returns the number of rows and the
// head hash, or an *audit.Break. See VerifyAuditReport.
func (db *DB) VerifyAudit(ctx context.Context, witnesses ...audit.Witness) (int64, string, error) {
	r, err := db.VerifyAuditReport(ctx, witnesses...)
	if r == nil {
		return 0, "", err
	}
	return r.Rows, r.HeadHash, err
}

// AuditReport is what a verification of the log found.
type AuditReport struct {
	Rows      int64
	HeadID    int64
	HeadHash  string
	Witnessed int // witnesses (given, and heads published) the log agreed with
}

// VerifyAuditReport walks the log in id order and checks the chain, the
// head, the witnesses given (rows' hashes kept outside) and the heads the
// server published. Everything is read in one snapshot, so rows written
// meanwhile are neither half-seen nor taken for tampering. Beyond the
// chain, it refuses an empty log in a database that holds organisations,
// people or purchases, and a log whose newest organisation, person or
// purchase has no row (the rows that created it were removed from the end,
// the head moved back to match).
func (db *DB) VerifyAuditReport(ctx context.Context, witnesses ...audit.Witness) (*AuditReport, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	defer tx.Rollback()
	rep := &AuditReport{HeadHash: audit.Genesis}
	err = tx.QueryRowContext(ctx, "SELECT last_id, hash FROM audit_head WHERE one = 1").Scan(&rep.HeadID, &rep.HeadHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: audit head: %w", err)
	}
	published, err := publishedHeads(ctx, tx)
	if err != nil {
		return nil, err
	}
	v := audit.NewVerifier(append(witnesses, published...)...)
	rows, err := tx.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		if err := v.Next(&e); err != nil {
			rep.Rows = v.Count
			return rep, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rep.Rows, rep.Witnessed = v.Count, v.Matched()
	if err := v.Finish(rep.HeadID, rep.HeadHash); err != nil {
		return rep, err
	}
	if err := newestObjectsLogged(ctx, tx, rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// publishedHeads are the heads the server published, as witnesses.
func publishedHeads(ctx context.Context, tx *sql.Tx) ([]audit.Witness, error) {
	rows, err := tx.QueryContext(ctx, "SELECT last_id, hash, at FROM audit_checkpoints ORDER BY last_id")
	if err != nil {
		return nil, fmt.Errorf("store: published audit heads: %w", err)
	}
	defer rows.Close()
	var out []audit.Witness
	for rows.Next() {
		var w audit.Witness
		var at time.Time
		if err := rows.Scan(&w.ID, &w.Hash, &at); err != nil {
			return nil, err
		}
		w.From = "the head published on " + at.UTC().Format("2006-01-02 15:04 UTC")
		out = append(out, w)
	}
	return out, rows.Err()
}

// newestObjectsLogged checks that the log still holds a row about the
// newest organisation, person and purchase: each was logged when created,
// in the same transaction.
func newestObjectsLogged(ctx context.Context, tx *sql.Tx, rep *AuditReport) error {
	var holding int64
	for _, o := range []struct{ table, objType, what string }{
		{"organisations", "organisation", "organisation"}, {"users", "user", "person"}, {"purchases", "purchase", "purchase"},
	} {
		var newest, count int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM "+o.table).Scan(&newest, &count); err != nil {
			return fmt.Errorf("store: audit cross-check: %w", err)
		}
		holding += count
		if newest == 0 || rep.Rows == 0 {
			continue
		}
		var logged bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM audit_log WHERE object_type = $1 AND object_id = $2)", o.objType, newest).Scan(&logged); err != nil {
			return fmt.Errorf("store: audit cross-check: %w", err)
		}
		if !logged {
			return &audit.Break{ID: rep.HeadID + 1, Reason: fmt.Sprintf("the newest %s (id %d) has no row in the log, which ends at row %d: rows were removed from the end and the head moved back", o.what, newest, rep.HeadID)}
		}
	}
	if rep.Rows == 0 && holding > 0 {
		return &audit.Break{ID: 1, Reason: fmt.Sprintf("the log is empty, but the database holds %d organisations, people and purchases whose creation was logged", holding)}
	}
	return nil
}

// CheckpointAudit records the current head as published, when the log has
// grown since the last one. The server does it every hour; with several
// app servers the first one wins and the others change nothing.
func (db *DB) CheckpointAudit(ctx context.Context) (bool, error) {
	res, err := db.write.ExecContext(ctx, `INSERT INTO audit_checkpoints (last_id, hash, at)
		SELECT last_id, hash, $1 FROM audit_head
		WHERE one = 1 AND last_id > COALESCE((SELECT MAX(last_id) FROM audit_checkpoints), 0)
		ON CONFLICT (last_id) DO NOTHING`, db.now())
	if err != nil {
		return false, fmt.Errorf("store: audit checkpoint: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// AuditCheckpoint is a head of the log as published.
type AuditCheckpoint struct {
	ID   int64
	Hash string
	At   time.Time
}

// LatestAuditCheckpoint is the newest published head, nil before the first.
func (db *DB) LatestAuditCheckpoint(ctx context.Context) (*AuditCheckpoint, error) {
	c := &AuditCheckpoint{}
	err := db.read.QueryRowContext(ctx, "SELECT last_id, hash, at FROM audit_checkpoints ORDER BY last_id DESC LIMIT 1").Scan(&c.ID, &c.Hash, &c.At)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: audit checkpoint: %w", err)
	}
	return c, nil
}

// personName is how a record names the person acting: their name, or
// their e-mail when they gave none, or the actor's label for the system.
func (db *DB) personName(ctx context.Context, q queryer, a Actor) (string, error) {
	if a.UserID == 0 {
		return a.Label, nil
	}
	var name string
	err := q.QueryRowContext(ctx, "SELECT COALESCE(NULLIF(name, ''), email) FROM users WHERE id = $1", a.UserID).Scan(&name)
	if err != nil {
		return "", fmt.Errorf("store: person: %w", err)
	}
	return name, nil
}
