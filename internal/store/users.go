package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"buyright/internal/model"
)

const userColumns = `u.id, u.org_id, u.email, u.name, u.role, u.site_admin, u.disabled, u.created_at,
	o.id, o.slug, o.name, o.kind, o.jurisdiction, o.created_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*model.User, error) {
	u := &model.User{Org: &model.Organisation{}}
	dest := []any{&u.ID, &u.OrgID, &u.Email, &u.Name, &u.Role, &u.SiteAdmin, &u.Disabled, &u.CreatedAt,
		&u.Org.ID, &u.Org.Slug, &u.Org.Name, &u.Org.Kind, &u.Org.Jurisdiction, &u.Org.CreatedAt}
	err := row.Scan(append(dest, extra...)...)
	return u, err
}

// CreateUser saves a new person with an already-hashed password.
func (db *DB) CreateUser(ctx context.Context, a Actor, u *model.User, passwordHash string) error {
	org, err := db.Org(ctx, u.OrgID)
	if err != nil {
		return err
	}
	if err := u.Validate(org.Kind); err != nil {
		return err
	}
	u.CreatedAt = db.now()
	u.Org = org
	return db.tx(ctx, "create user", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (org_id, email, name, role, site_admin, disabled, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.OrgID, u.Email, u.Name, u.Role, u.SiteAdmin, false, passwordHash, u.CreatedAt).Scan(&u.ID)
		if uniqueViolation(err) {
			return &model.Error{Code: model.EConflict, Key: "error.invalid", Message: "this e-mail address is already registered", Fields: model.FieldErrors{"email": "invalid.taken"}}
		}
		if err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "user", u.ID, "create",
			map[string]any{"email": u.Email, "name": u.Name, "role": u.Role, "site_admin": u.SiteAdmin})
	})
}

// User returns a person by id, with their organisation.
func (db *DB) User(ctx context.Context, id int64) (*model.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("user")
	}
	return u, err
}

// UserForSignIn returns a person and their password hash by e-mail.
func (db *DB) UserForSignIn(ctx context.Context, email string) (*model.User, string, error) {
	var hash string
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+", u.password_hash FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = $1", model.NormalizeEmail(email)), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", model.NotFound("user")
	}
	return u, hash, err
}

// Users lists the people of one organisation (all people if orgID is 0).
func (db *DB) Users(ctx context.Context, orgID int64) ([]*model.User, error) {
	q := "SELECT " + userColumns + " FROM users u JOIN organisations o ON o.id = u.org_id WHERE ($1 = 0 OR u.org_id = $1) ORDER BY o.name, u.email"
	rows, err := db.read.QueryContext(ctx, q, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []*model.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser changes a person's name, role and whether they are disabled.
// Disabling someone ends their sessions and API tokens at once.
func (db *DB) UpdateUser(ctx context.Context, a Actor, u *model.User) error {
	old, err := db.User(ctx, u.ID)
	if err != nil {
		return err
	}
	u.Email = old.Email
	if err := u.Validate(old.Org.Kind); err != nil {
		return err
	}
	changes := map[string]Change{}
	if old.Name != u.Name {
		changes["name"] = Change{old.Name, u.Name}
	}
	if old.Role != u.Role {
		changes["role"] = Change{old.Role, u.Role}
	}
	if old.Disabled != u.Disabled {
		changes["disabled"] = Change{old.Disabled, u.Disabled}
	}
	if len(changes) == 0 {
		return nil
	}
	return db.tx(ctx, "update user", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET name = $1, role = $2, disabled = $3 WHERE id = $4", u.Name, u.Role, u.Disabled, u.ID); err != nil {
			return fmt.Errorf("store: update user: %w", err)
		}
		if u.Disabled {
			if err := revokeAll(ctx, tx, u.ID, db.now()); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a, old.OrgID, "user", u.ID, "update", changes)
	})
}

// SetPassword stores a new password hash and ends every other session of
// the person, so a stolen session does not outlive a password change.
func (db *DB) SetPassword(ctx context.Context, a Actor, userID int64, hash string, keepSession string) error {
	u, err := db.User(ctx, userID)
	if err != nil {
		return err
	}
	return db.tx(ctx, "set password", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", hash, userID); err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", userID, keepSession); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a, u.OrgID, "user", userID, "password_change", nil)
	})
}

func revokeAll(ctx context.Context, tx *sql.Tx, userID int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", now, userID)
	return err
}

// CountUsers is the number of people; `serve --demo` only seeds an empty database.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// SetUserLang remembers the language a person chose, for the e-mail sent
// to them. It is a preference, not a change to any record, so it is not
// written to the audit log.
func (db *DB) SetUserLang(ctx context.Context, userID int64, lang string) error {
	if _, err := db.write.ExecContext(ctx, "UPDATE users SET lang = $1 WHERE id = $2", lang, userID); err != nil {
		return fmt.Errorf("store: user language: %w", err)
	}
	return nil
}
