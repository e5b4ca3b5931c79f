-- Single sign-on with OpenID Connect: at most one provider per
-- organisation. The client secret is stored so the server can redeem codes;
-- no page, log or audit entry ever shows it.
CREATE TABLE sso_providers (
    org_id          BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    label           TEXT NOT NULL,
    issuer          TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    client_secret   TEXT NOT NULL,
    email_domains   TEXT NOT NULL DEFAULT '',
    claim_name      TEXT NOT NULL DEFAULT '',
    claim_value     TEXT NOT NULL DEFAULT '',
    role            TEXT NOT NULL,
    passwords_off   BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- One row per sign-in started: a hash of the state sent to the provider,
-- with the nonce and PKCE verifier it must come back with. The callback
-- deletes the row it uses, so a state works once.
CREATE TABLE sso_states (
    state_hash      TEXT PRIMARY KEY,
    org_id          BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    nonce           TEXT NOT NULL,
    verifier        TEXT NOT NULL,
    next            TEXT NOT NULL DEFAULT '/dashboard',
    expires_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX sso_states_expiry ON sso_states(expires_at);

-- Which account a provider's subject is: the issuer and "sub" claim stay
-- the same when a person's e-mail address changes.
CREATE TABLE sso_identities (
    issuer          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_identities_user ON sso_identities(user_id);
