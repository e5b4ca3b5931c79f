package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

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

// appendAudit writes one audit row inside tx. The lock makes row ids and
// hashes strictly sequential even with several app servers: SQLite's write
// transaction already holds the database lock; PostgreSQL takes a
// transaction-scoped advisory lock.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, a Actor, orgID int64, objType string, objID int64, action string, detail any) error {
	if db.dialect == Postgres {
		// Keyed by schema too, so separate installations (or test schemas)
		// in one database do not queue behind each other.
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
	d := []byte("{}")
	if detail != nil {
		if d, err = json.Marshal(detail); err != nil {
			return fmt.Errorf("store: audit detail: %w", err)
		}
	}
	e := audit.Entry{
		ID: lastID + 1, At: db.now().Format(audit.TimeLayout),
		ActorID: a.UserID, Actor: a.Label, OrgID: orgID,
		ObjectType: objType, ObjectID: objID, Action: action, Detail: string(d),
	}
	e.Seal(prev)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
		(id, at, actor_id, actor, org_id, object_type, object_id, action, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.ID, e.At, nullID(e.ActorID), e.Actor, nullID(e.OrgID), e.ObjectType, e.ObjectID, e.Action, e.Detail, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("store: audit insert: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_head (one, last_id, hash) VALUES (1, $1, $2)
		ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash`, e.ID, e.Hash); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

const auditColumns = "id, at, COALESCE(actor_id, 0), actor, COALESCE(org_id, 0), object_type, object_id, action, detail, prev_hash, hash"

func scanAudit(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.OrgID, &e.ObjectType, &e.ObjectID, &e.Action, &e.Detail, &e.PrevHash, &e.Hash)
	return e, err
}

// AuditFor lists the audit entries of one object, newest first.
func (db *DB) AuditFor(ctx context.Context, objType string, objID int64, limit int) ([]audit.Entry, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY id DESC LIMIT $3", objType, objID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole log in id order and checks the chain and the
// head. It returns the number of rows and the head hash, or an *audit.Break.
func (db *DB) VerifyAudit(ctx context.Context) (int64, string, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY id")
	if err != nil {
		return 0, "", fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	v := audit.NewVerifier()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return 0, "", err
		}
		if err := v.Next(&e); err != nil {
			return v.Count, "", err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, "", err
	}
	var headID int64
	headHash := audit.Genesis
	err = db.read.QueryRowContext(ctx, "SELECT last_id, hash FROM audit_head WHERE one = 1").Scan(&headID, &headHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, "", err
	}
	if err := v.Finish(headID, headHash); err != nil {
		return v.Count, "", err
	}
	_, h := v.Head()
	return v.Count, h, nil
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
