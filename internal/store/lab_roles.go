package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"buyright/internal/access"
	"buyright/internal/model"
)

// The Learning Lab's network roles: who holds them, who gave them and
// when. Every check that a role allows something is made again here,
// inside the transaction that makes the change, so no handler can forget
// it and no role removed a moment ago still counts.

// LabRoleRecord is one appointment, current or ended.
type LabRoleRecord struct {
	ID          int64
	UserID      int64
	Person      string // name, or e-mail when the person has no name
	Org         string
	Role        access.LabRole
	Hub         string
	AppointedBy string
	AppointedAt time.Time
	RemovedBy   string
	RemovedAt   *time.Time
}

// Refusal reasons of appointments, as translation keys.
const (
	labNoAccount     = "lab.roles.no_account"
	labNoSupplier    = "lab.roles.no_supplier"
	labNoSelf        = "lab.roles.no_self"
	labAlreadyHolds  = "lab.roles.already"
	labHubNeeded     = "lab.roles.hub_needed"
	labNotAppointer  = "lab.roles.not_appointer"
	labLeadsBySite   = "lab.roles.leads_by_site"
	labRoleNotActive = "lab.roles.not_active"
	labNeedsRole     = "lab.refused.role"
)

type labQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// LabGrants returns the roles a person holds now.
func (db *DB) LabGrants(ctx context.Context, userID int64) ([]access.LabGrant, error) {
	return labGrants(ctx, db.read, userID)
}

func labGrants(ctx context.Context, q labQuerier, userID int64) ([]access.LabGrant, error) {
	if userID == 0 {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT role, hub FROM lab_roles WHERE user_id = $1 AND removed_at IS NULL ORDER BY role, hub", userID)
	if err != nil {
		return nil, fmt.Errorf("store: lab roles of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []access.LabGrant
	for rows.Next() {
		var g access.LabGrant
		if err := rows.Scan(&g.Role, &g.Hub); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// labActor loads, inside tx, the person behind an actor with their
// organisation and current roles. The system actor is nobody: it holds no
// role, so it can neither review nor publish.
func labActor(ctx context.Context, tx *sql.Tx, a Actor) (*model.User, []access.LabGrant, error) {
	if a.UserID == 0 {
		return nil, nil, nil
	}
	u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1", a.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: lab actor %d: %w", a.UserID, err)
	}
	g, err := labGrants(ctx, tx, a.UserID)
	return u, g, err
}

// labRefused is the error for a Lab action refused for a reason the
// person should read.
func labRefused(key, msg string) error {
	return &model.Error{Code: model.EForbidden, Key: key, Message: msg}
}

// labRequire refuses unless the actor may do act (for a practice of hub).
func labRequire(ctx context.Context, tx *sql.Tx, a Actor, act access.LabAction, hub string) (*model.User, error) {
	u, g, err := labActor(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	if !access.LabCan(u, g, act, hub) {
		return nil, LabForbidden()
	}
	return u, nil
}

// LabForbidden is the refusal of a Lab action to someone without the
// network role it needs; it says who gives that role.
func LabForbidden() error {
	return labRefused(labNeedsRole, "this needs a Lab role given by the network")
}

// AppointLabRole gives the person with e-mail address email a network
// role (hub for hub leads). Only a site administrator or a network lead
// appoints, only a site administrator appoints network leads, nobody
// appoints themselves, and nobody at a supplier holds a Lab role.
func (db *DB) AppointLabRole(ctx context.Context, a Actor, email string, role access.LabRole, hub string) (*LabRoleRecord, error) {
	fe := model.FieldErrors{}
	if !role.Valid() {
		fe.Add("lab_role", "invalid.choice")
	}
	if role == access.LabHubLead {
		if !slices.Contains(Hubs, hub) {
			fe.Add("lab_hub", labHubNeeded)
		}
	} else {
		hub = ""
	}
	email = model.NormalizeEmail(email)
	if email == "" {
		fe.Add("email", "invalid.required")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	rec := &LabRoleRecord{Role: role, Hub: hub}
	err := db.tx(ctx, "appoint lab role", func(tx *sql.Tx) error {
		if err := labMayAppoint(ctx, tx, a, role); err != nil {
			return err
		}
		u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = $1", email))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Disabled) {
			return model.FieldErrors{"email": labNoAccount}.Err()
		}
		if err != nil {
			return fmt.Errorf("store: appoint lab role: %w", err)
		}
		switch {
		case u.ID == a.UserID:
			return model.FieldErrors{"email": labNoSelf}.Err()
		case u.Org.Kind == model.OrgSupplier:
			return model.FieldErrors{"email": labNoSupplier}.Err()
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM lab_roles WHERE user_id = $1 AND role = $2 AND hub = $3 AND removed_at IS NULL",
			u.ID, role, hub).Scan(&n); err != nil {
			return fmt.Errorf("store: appoint lab role: %w", err)
		}
		if n > 0 {
			return model.FieldErrors{"email": labAlreadyHolds}.Err()
		}
		rec.UserID, rec.Person, rec.Org, rec.AppointedAt = u.ID, personName(u), u.Org.Name, db.now()
		err = tx.QueryRowContext(ctx, "INSERT INTO lab_roles (user_id, role, hub, appointed_by, appointed_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			u.ID, role, hub, a.UserID, rec.AppointedAt).Scan(&rec.ID)
		if uniqueViolation(err) { // appointed by someone else a moment ago
			return model.FieldErrors{"email": labAlreadyHolds}.Err()
		}
		if err != nil {
			return fmt.Errorf("store: appoint lab role: %w", err)
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "lab_role", rec.ID, "appoint", map[string]any{"user": u.ID, "email": u.Email, "role": role, "hub": hub})
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// labMayAppoint refuses an appointer who may not give role.
func labMayAppoint(ctx context.Context, tx *sql.Tx, a Actor, role access.LabRole) error {
	u, g, err := labActor(ctx, tx, a)
	if err != nil {
		return err
	}
	act := access.LabAppoint
	if role == access.LabLead {
		act = access.LabAppointLead
	}
	if access.LabCan(u, g, act, "") {
		return nil
	}
	if role == access.LabLead && access.LabCan(u, g, access.LabAppoint, "") {
		return labRefused(labLeadsBySite, "only a site administrator appoints or removes network leads")
	}
	return labRefused(labNotAppointer, "only a site administrator or a network lead appoints Lab roles")
}

// RemoveLabRole ends an appointment; the row stays as history.
func (db *DB) RemoveLabRole(ctx context.Context, a Actor, id int64) error {
	return db.tx(ctx, "remove lab role", func(tx *sql.Tx) error {
		var userID, orgID int64
		var role access.LabRole
		var hub string
		var removed sql.NullTime
		err := tx.QueryRowContext(ctx, "SELECT r.user_id, u.org_id, r.role, r.hub, r.removed_at FROM lab_roles r JOIN users u ON u.id = r.user_id WHERE r.id = $1", id).
			Scan(&userID, &orgID, &role, &hub, &removed)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound("lab role")
		}
		if err != nil {
			return fmt.Errorf("store: remove lab role %d: %w", id, err)
		}
		if err := labMayAppoint(ctx, tx, a, role); err != nil {
			return err
		}
		if removed.Valid {
			return labRefused(labRoleNotActive, "this role was already removed")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE lab_roles SET removed_by = $1, removed_at = $2 WHERE id = $3", nullID(a.UserID), db.now(), id); err != nil {
			return fmt.Errorf("store: remove lab role %d: %w", id, err)
		}
		return db.appendAudit(ctx, tx, a, orgID, "lab_role", id, "remove", map[string]any{"user": userID, "role": role, "hub": hub})
	})
}

// LabRoleRecords lists appointments: current ones first (by role, then
// person), then ended ones, newest first.
func (db *DB) LabRoleRecords(ctx context.Context) ([]*LabRoleRecord, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, r.user_id, COALESCE(NULLIF(u.name, ''), u.email), o.name, r.role, r.hub,
		COALESCE(NULLIF(ab.name, ''), ab.email, ''), r.appointed_at, COALESCE(NULLIF(rb.name, ''), rb.email, ''), r.removed_at
		FROM lab_roles r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = u.org_id
		LEFT JOIN users ab ON ab.id = r.appointed_by LEFT JOIN users rb ON rb.id = r.removed_by
		ORDER BY CASE WHEN r.removed_at IS NULL THEN 0 ELSE 1 END, r.removed_at DESC, r.role, u.name, r.hub, r.id`)
	if err != nil {
		return nil, fmt.Errorf("store: lab roles: %w", err)
	}
	defer rows.Close()
	var out []*LabRoleRecord
	for rows.Next() {
		x := &LabRoleRecord{}
		var removed sql.NullTime
		if err := rows.Scan(&x.ID, &x.UserID, &x.Person, &x.Org, &x.Role, &x.Hub, &x.AppointedBy, &x.AppointedAt, &x.RemovedBy, &removed); err != nil {
			return nil, fmt.Errorf("store: lab roles: %w", err)
		}
		if removed.Valid {
			t := removed.Time
			x.RemovedAt = &t
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func personName(u *model.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}
