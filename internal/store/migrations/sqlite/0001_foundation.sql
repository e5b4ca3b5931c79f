-- Foundation: organisations, people, sessions, purchases, stage history,
-- gate overrides, comments and the hash-chained audit log.
-- Times are UTC; dates are 'YYYY-MM-DD' text.

CREATE TABLE organisations (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('public_body','oversight_body','supplier','civil_society')),
    jurisdiction TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);

-- Which public bodies an oversight body watches.
CREATE TABLE oversight_remits (
    oversight_org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    org_id           INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (oversight_org_id, org_id)
);
CREATE INDEX oversight_remits_org ON oversight_remits(org_id);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES organisations(id),
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL DEFAULT '',
    role                TEXT NOT NULL,
    site_admin          BOOLEAN NOT NULL DEFAULT FALSE,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash       TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX users_org ON users(org_id);

-- Server-side sessions; only a SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed sign-ins per account, so the limit holds across app servers.
CREATE TABLE signin_failures (
    email TEXT NOT NULL,
    at    TIMESTAMP NOT NULL
);
CREATE INDEX signin_failures_email ON signin_failures(email, at);

CREATE TABLE purchases (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organisations(id),
    title             TEXT NOT NULL,
    need              TEXT NOT NULL DEFAULT '',
    purpose           TEXT NOT NULL DEFAULT '',
    sector            TEXT NOT NULL,
    technologies      TEXT NOT NULL DEFAULT ',', -- ',a,b,' so one LIKE finds a kind
    affected_people   TEXT NOT NULL DEFAULT '',
    vulnerable_groups TEXT NOT NULL DEFAULT '',
    legal_basis       TEXT NOT NULL DEFAULT '',
    value_minor       BIGINT NOT NULL DEFAULT 0,
    currency          TEXT NOT NULL DEFAULT '',
    funding           TEXT NOT NULL DEFAULT '',
    funder            TEXT NOT NULL DEFAULT '',
    ocid              TEXT,
    emergency         BOOLEAN NOT NULL DEFAULT FALSE,
    tender_date       DATE,
    award_date        DATE,
    contract_start    DATE,
    contract_end      DATE,
    review_date       DATE,
    sunset_date       DATE,
    lead_user_id      INTEGER REFERENCES users(id),
    stage             TEXT NOT NULL,
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX purchases_org_stage ON purchases(org_id, stage);
CREATE INDEX purchases_org_updated ON purchases(org_id, updated_at);
CREATE INDEX purchases_review ON purchases(org_id, review_date);
CREATE INDEX purchases_sunset ON purchases(org_id, sunset_date);
CREATE INDEX purchases_title ON purchases(org_id, LOWER(title));
CREATE INDEX purchases_lead ON purchases(lead_user_id, stage);
CREATE UNIQUE INDEX purchases_ocid ON purchases(org_id, ocid);

-- Purchases per body and stage, kept in step with purchases in the same
-- transactions, so dashboards and unfiltered lists need not count rows.
CREATE TABLE purchase_counts (
    org_id BIGINT NOT NULL,
    stage  TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (org_id, stage)
);

-- Suppliers invited to a purchase may see it.
CREATE TABLE purchase_suppliers (
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    invited_by  INTEGER REFERENCES users(id),
    invited_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (purchase_id, org_id)
);
CREATE INDEX purchase_suppliers_org ON purchase_suppliers(org_id);

CREATE TABLE stage_changes (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    reason      TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX stage_changes_purchase ON stage_changes(purchase_id, id);

-- A transition made although gate rules failed, with the approver's reason.
CREATE TABLE gate_overrides (
    id              INTEGER PRIMARY KEY,
    purchase_id     INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    stage_change_id INTEGER NOT NULL REFERENCES stage_changes(id) ON DELETE CASCADE,
    from_stage      TEXT NOT NULL,
    to_stage        TEXT NOT NULL,
    failed_rules    TEXT NOT NULL, -- JSON list of {rule, message}
    reason          TEXT NOT NULL,
    user_id         INTEGER REFERENCES users(id),
    at              TIMESTAMP NOT NULL
);
CREATE INDEX gate_overrides_purchase ON gate_overrides(purchase_id);

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users(id),
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    body        TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX comments_purchase ON comments(purchase_id, id);

-- Append-only, hash-chained. Ids are assigned by the application under a
-- lock as last id + 1, so a gap is itself evidence of a removed row.
CREATE TABLE audit_log (
    id          BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    BIGINT,
    actor       TEXT NOT NULL,
    org_id      BIGINT,
    object_type TEXT NOT NULL,
    object_id   BIGINT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id, id);

-- The newest row's id and hash, kept in step with the log, so removing the
-- last rows is detected too.
CREATE TABLE audit_head (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    last_id BIGINT NOT NULL,
    hash    TEXT NOT NULL
);
