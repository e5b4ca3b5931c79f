-- The signed contract of a purchase: who was awarded it, for how much and
-- how long, which safeguards from the tender pack were actually signed,
-- the amendments made since (an amendment that widens scope, data use or
-- duration re-opens the screening), the reviews and the renewal or exit
-- decisions, and the exit plan that must be evidenced before closing.
CREATE TABLE contracts (
    purchase_id INTEGER PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
    reference   TEXT NOT NULL DEFAULT '',
    suppliers   TEXT NOT NULL,
    value_minor BIGINT NOT NULL DEFAULT 0,
    currency    TEXT NOT NULL DEFAULT '',
    signed_on   DATE,
    starts_on   DATE,
    ends_on     DATE,
    rev         INTEGER NOT NULL DEFAULT 1,
    updated_by  INTEGER REFERENCES users(id),
    updated_at  TIMESTAMP NOT NULL
);

-- One row per tender-pack clause (or specification) the officer marked as
-- signed or not signed, with what happened to it in negotiation.
CREATE TABLE contract_safeguards (
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    item_id     TEXT NOT NULL,
    signed      BOOLEAN NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (purchase_id, item_id)
);

CREATE TABLE contract_amendments (
    id              INTEGER PRIMARY KEY,
    purchase_id     INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    made_on         DATE NOT NULL,
    summary         TEXT NOT NULL,
    reason          TEXT NOT NULL,
    widens_scope    BOOLEAN NOT NULL DEFAULT FALSE,
    widens_data     BOOLEAN NOT NULL DEFAULT FALSE,
    widens_duration BOOLEAN NOT NULL DEFAULT FALSE,
    new_ends_on     DATE,
    new_value_minor BIGINT,
    created_by      INTEGER REFERENCES users(id),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (purchase_id, number)
);

-- Scheduled reviews; a held review records its outcome. A renewal
-- decision is a review whose outcome is renew or exit.
CREATE TABLE contract_reviews (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    due_on      DATE NOT NULL,
    held_on     DATE,
    outcome     TEXT NOT NULL DEFAULT '',
    findings    TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL DEFAULT '',
    new_ends_on DATE,
    created_by  INTEGER REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL,
    decided_by  INTEGER REFERENCES users(id),
    decided_at  TIMESTAMP
);
CREATE INDEX contract_reviews_due ON contract_reviews(held_on, due_on);
CREATE INDEX contract_reviews_purchase ON contract_reviews(purchase_id, due_on);

CREATE TABLE exit_plans (
    purchase_id     INTEGER PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
    data_return     TEXT NOT NULL DEFAULT '',
    deletion        TEXT NOT NULL DEFAULT '',
    transition      TEXT NOT NULL DEFAULT '',
    returned_on     DATE,
    deleted_on      DATE,
    rev             INTEGER NOT NULL DEFAULT 1,
    updated_by      INTEGER REFERENCES users(id),
    updated_at      TIMESTAMP NOT NULL
);
