package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"buyright/internal/model"
	"buyright/internal/sso"
)

const ssoColumns = `p.org_id, o.slug, o.name, p.label, p.issuer, p.client_id, p.client_secret, p.email_domains,
	p.claim_name, p.claim_value, p.role, p.passwords_off, p.updated_at`

// scanSSO reads a provider and opens its client secret.
func (db *DB) scanSSO(row interface{ Scan(...any) error }) (*sso.Provider, error) {
	p := &sso.Provider{}
	var domains, stored string
	err := row.Scan(&p.OrgID, &p.OrgSlug, &p.OrgName, &p.Label, &p.Issuer, &p.ClientID, &stored, &domains,
		&p.ClaimName, &p.ClaimValue, &p.Role, &p.PasswordsOff, &p.UpdatedAt)
	p.Domains = strings.Fields(domains)
	switch box := db.secrets.Load(); {
	case box != nil:
		secret, oerr := box.Open(stored, p.OrgID)
		p.ClientSecret, p.SecretUnreadable = secret, oerr != nil
	case sso.IsSealed(stored):
		p.SecretUnreadable = true
	default:
		p.ClientSecret = stored
	}
	return p, err
}

// SSOProvider returns an organisation's identity provider, or not found.
func (db *DB) SSOProvider(ctx context.Context, orgID int64) (*sso.Provider, error) {
	p, err := db.scanSSO(db.read.QueryRowContext(ctx, "SELECT "+ssoColumns+" FROM sso_providers p JOIN organisations o ON o.id = p.org_id WHERE p.org_id = $1", orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, model.NotFound("sso_provider")
	}
	return p, err
}

// SetSecretKey gives the store the installation key (the complaint key)
// from which the key sealing client secrets is derived. Without it, no
// secret can be saved and none can be read.
func (db *DB) SetSecretKey(installationKey []byte) error {
	box, err := sso.NewSecretBox(installationKey)
	if err != nil {
		return err
	}
	db.secrets.Store(box)
	return nil
}

// SealStoredSecrets seals the client secrets stored in clear before
// secrets were sealed, one audit entry each, and returns how many it
// sealed. The server runs it at start, after SetSecretKey.
func (db *DB) SealStoredSecrets(ctx context.Context) (int, error) {
	box := db.secrets.Load()
	if box == nil {
		return 0, errors.New("store: seal secrets: no installation key")
	}
	rows, err := db.read.QueryContext(ctx, "SELECT org_id, client_secret FROM sso_providers")
	if err != nil {
		return 0, fmt.Errorf("store: seal secrets: %w", err)
	}
	plain := map[int64]string{}
	for rows.Next() {
		var id int64
		var stored string
		if err := rows.Scan(&id, &stored); err != nil {
			rows.Close()
			return 0, err
		}
		if !sso.IsSealed(stored) {
			plain[id] = stored
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for id, secret := range plain {
		err := db.tx(ctx, "seal sso secret", func(tx *sql.Tx) error {
			// Another server may have sealed it meanwhile: only a value
			// still in clear is replaced.
			res, err := tx.ExecContext(ctx, "UPDATE sso_providers SET client_secret = $1 WHERE org_id = $2 AND client_secret = $3", box.Seal(secret, id), id, secret)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			return db.appendAudit(ctx, tx, System, id, "sso_provider", id, "seal_secret", map[string]any{"client_secret": "sealed"})
		})
		if err != nil {
			return 0, fmt.Errorf("store: seal secrets: %w", err)
		}
	}
	return len(plain), nil
}

// SSOProviders lists every organisation's provider, by label, for the
// sign-in page (which shows labels only).
func (db *DB) SSOProviders(ctx context.Context) ([]*sso.Provider, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+ssoColumns+" FROM sso_providers p JOIN organisations o ON o.id = p.org_id ORDER BY p.label, o.name")
	if err != nil {
		return nil, fmt.Errorf("store: sso providers: %w", err)
	}
	defer rows.Close()
	var out []*sso.Provider
	for rows.Next() {
		p, err := db.scanSSO(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SaveSSOProvider records or changes an organisation's provider. An empty
// client secret keeps the stored one. The audit entry lists what changed
// and says when the secret changed, never what it is. An e-mail domain
// belongs to one organisation's provider only, so no administrator can
// take over another organisation's people.
func (db *DB) SaveSSOProvider(ctx context.Context, a Actor, p *sso.Provider) error {
	org, err := db.Org(ctx, p.OrgID)
	if err != nil {
		return err
	}
	old, err := db.SSOProvider(ctx, p.OrgID)
	if err != nil && model.ErrorCode(err) != model.ENotFound {
		return err
	}
	if fe := p.Validate(org.Kind, old != nil); len(fe) > 0 {
		return fe.Err()
	}
	box := db.secrets.Load()
	if box == nil {
		return errors.New("store: client secrets are sealed with the installation's complaint key, and none was given")
	}
	secretChanged := p.ClientSecret != "" && (old == nil || old.SecretUnreadable || old.ClientSecret != p.ClientSecret)
	if p.ClientSecret == "" {
		if old.SecretUnreadable {
			return model.FieldErrors{"client_secret": "invalid.sso_secret_unreadable"}.Err()
		}
		p.ClientSecret = old.ClientSecret
	}
	sealed := box.Seal(p.ClientSecret, p.OrgID)
	p.UpdatedAt = db.now()
	domains := strings.Join(p.Domains, " ")
	changes := map[string]any{}
	add := func(k string, was, is any) {
		if old == nil {
			changes[k] = is
		} else if was != is {
			changes[k] = Change{was, is}
		}
	}
	var was sso.Provider
	if old != nil {
		was = *old
	}
	add("label", was.Label, p.Label)
	add("issuer", was.Issuer, p.Issuer)
	add("client_id", was.ClientID, p.ClientID)
	add("email_domains", strings.Join(was.Domains, " "), domains)
	add("claim_name", was.ClaimName, p.ClaimName)
	add("claim_value", was.ClaimValue, p.ClaimValue)
	add("role", string(was.Role), string(p.Role))
	add("passwords_off", was.PasswordsOff, p.PasswordsOff)
	if secretChanged {
		changes["client_secret"] = "changed" // never the value
	}
	if old != nil && len(changes) == 0 {
		return nil
	}
	action := "update"
	if old == nil {
		action = "create"
	}
	return db.tx(ctx, "sso provider", func(tx *sql.Tx) error {
		// The domain check and the write in one transaction, serialised
		// (SQLite has one writer; PostgreSQL takes a lock), so two
		// organisations saving one domain at once cannot both get it.
		if db.dialect == Postgres {
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7240028)"); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, "SELECT email_domains FROM sso_providers WHERE org_id <> $1", p.OrgID)
		if err != nil {
			return fmt.Errorf("store: sso domains: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var ds string
			if err := rows.Scan(&ds); err != nil {
				return err
			}
			other := sso.Provider{Domains: strings.Fields(ds)}
			for _, d := range p.Domains {
				if other.ServesDomain("x@" + d) {
					return model.FieldErrors{"email_domains": "invalid.sso_domain_taken"}.Err()
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		_, err = tx.ExecContext(ctx, `INSERT INTO sso_providers (org_id, label, issuer, client_id, client_secret, email_domains,
				claim_name, claim_value, role, passwords_off, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (org_id) DO UPDATE SET label = excluded.label, issuer = excluded.issuer, client_id = excluded.client_id,
				client_secret = excluded.client_secret, email_domains = excluded.email_domains, claim_name = excluded.claim_name,
				claim_value = excluded.claim_value, role = excluded.role, passwords_off = excluded.passwords_off, updated_at = excluded.updated_at`,
			p.OrgID, p.Label, p.Issuer, p.ClientID, sealed, domains, p.ClaimName, p.ClaimValue, string(p.Role), p.PasswordsOff, p.UpdatedAt)
		if err != nil {
			return fmt.Errorf("store: save sso provider: %w", err)
		}
		return db.appendAudit(ctx, tx, a, p.OrgID, "sso_provider", p.OrgID, action, changes)
	})
}

// RemoveSSOProvider forgets an organisation's provider; its members sign
// in with passwords again (accounts created by sign-on have none, so they
// wait for a provider). Links between accounts and the provider's subjects
// stay, for a provider added back.
func (db *DB) RemoveSSOProvider(ctx context.Context, a Actor, orgID int64) error {
	return db.tx(ctx, "remove sso provider", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sso_providers WHERE org_id = $1", orgID)
		if err != nil {
			return fmt.Errorf("store: remove sso provider: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.NotFound("sso_provider")
		}
		return db.appendAudit(ctx, tx, a, orgID, "sso_provider", orgID, "remove", nil)
	})
}

// SSOState is a sign-in begun and not yet finished.
type SSOState struct {
	OrgID    int64
	Nonce    string
	Verifier string
	Next     string
}

// SaveSSOState keeps a sign-in begun for ttl, under the hash of its state.
func (db *DB) SaveSSOState(ctx context.Context, stateHash string, s SSOState, ttl time.Duration) error {
	_, err := db.write.ExecContext(ctx, "INSERT INTO sso_states (state_hash, org_id, nonce, verifier, next, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
		stateHash, s.OrgID, s.Nonce, s.Verifier, s.Next, db.now().Add(ttl))
	if err != nil {
		return fmt.Errorf("store: sso state: %w", err)
	}
	return nil
}

// TakeSSOState removes and returns the sign-in begun under stateHash. A
// state works once: a second callback with it, from any server, finds
// nothing. An expired state is removed and reported not found too.
func (db *DB) TakeSSOState(ctx context.Context, stateHash string) (*SSOState, error) {
	var s SSOState
	var exp time.Time
	err := db.write.QueryRowContext(ctx, "DELETE FROM sso_states WHERE state_hash = $1 RETURNING org_id, nonce, verifier, next, expires_at", stateHash).
		Scan(&s.OrgID, &s.Nonce, &s.Verifier, &s.Next, &exp)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !exp.After(db.now())) {
		return nil, model.NotFound("sso_state")
	}
	if err != nil {
		return nil, fmt.Errorf("store: sso state: %w", err)
	}
	return &s, nil
}

// SSOSignIn finds or creates the account of a person the provider vouched
// for. Known subjects sign in to their account; an account of the same
// organisation with the same e-mail address is linked to the subject; an
// address held by another organisation is refused; otherwise a new account
// is created in the provider's role, recorded in the audit log.
func (db *DB) SSOSignIn(ctx context.Context, p *sso.Provider, id *sso.Identity) (u *model.User, created bool, err error) {
	org, err := db.Org(ctx, p.OrgID)
	if err != nil {
		return nil, false, err
	}
	actor := Actor{Label: "sso"}
	err = db.tx(ctx, "sso sign-in", func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, "SELECT user_id FROM sso_identities WHERE issuer = $1 AND subject = $2", id.Issuer, id.Subject).Scan(&userID)
		switch {
		case err == nil:
			u, err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1", userID))
			if err != nil {
				return fmt.Errorf("store: sso account: %w", err)
			}
		case errors.Is(err, sql.ErrNoRows):
			u, err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = $1", id.Email))
			switch {
			case err == nil:
				if u.OrgID != p.OrgID {
					return &sso.Refusal{Reason: "email", Detail: "the e-mail address belongs to an account of another organisation"}
				}
				if u.Disabled {
					return &sso.Refusal{Reason: "disabled", Detail: "the account is disabled"}
				}
				if _, err := tx.ExecContext(ctx, "INSERT INTO sso_identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)",
					id.Issuer, id.Subject, u.ID, db.now()); err != nil {
					return fmt.Errorf("store: sso link: %w", err)
				}
				return db.appendAudit(ctx, tx, actor, u.OrgID, "user", u.ID, "sso_link", map[string]any{"issuer": id.Issuer})
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("store: sso account: %w", err)
			}
			u = &model.User{OrgID: p.OrgID, Email: id.Email, Name: truncate(id.Name, 200), Role: p.Role, CreatedAt: db.now(), Org: org}
			if err := u.Validate(org.Kind); err != nil {
				return &sso.Refusal{Reason: "account", Detail: err.Error()}
			}
			// No password: the person signs in through the provider.
			if err := tx.QueryRowContext(ctx, `INSERT INTO users (org_id, email, name, role, site_admin, disabled, password_hash, created_at)
				VALUES ($1, $2, $3, $4, FALSE, FALSE, '', $5) RETURNING id`, u.OrgID, u.Email, u.Name, u.Role, u.CreatedAt).Scan(&u.ID); err != nil {
				return fmt.Errorf("store: sso create user: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO sso_identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)",
				id.Issuer, id.Subject, u.ID, db.now()); err != nil {
				return fmt.Errorf("store: sso link: %w", err)
			}
			created = true
			return db.appendAudit(ctx, tx, actor, u.OrgID, "user", u.ID, "create",
				map[string]any{"email": u.Email, "name": u.Name, "role": u.Role, "site_admin": false, "via": "sso", "issuer": id.Issuer})
		default:
			return fmt.Errorf("store: sso identity: %w", err)
		}
		if u.OrgID != p.OrgID {
			return &sso.Refusal{Reason: "org", Detail: "the subject's account belongs to another organisation"}
		}
		if u.Disabled {
			return &sso.Refusal{Reason: "disabled", Detail: "the account is disabled"}
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return u, created, nil
}

// truncate keeps at most n bytes of a name from outside, cut between
// characters.
func truncate(s string, n int) string {
	s = model.CleanLine(s)
	if len(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if i > n {
			break
		}
		cut = i
	}
	return strings.TrimSpace(s[:cut])
}
