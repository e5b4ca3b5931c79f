-- The State-business nexus beyond a purchase: the kind of relationship a
-- purchase record is (a licence, a partnership, a data-sharing agreement,
-- a donation or free trial) with the terms its kind needs; requests that
-- public authorities make of companies, recorded by each side; the
-- transparency reports published from them, frozen at publication; and
-- the firewall that keeps a relationship's data from other uses, with the
-- incidents where it failed.

ALTER TABLE purchases ADD COLUMN kind TEXT NOT NULL DEFAULT 'purchase';

-- The terms a relationship's kind needs, written by the public body: a
-- licence's conditions and the authority's powers under it, a
-- partnership's shared data and decision rights, a donation's strings and
-- exit. One row per purchase; rev guards against overwriting an edit.
CREATE TABLE relationship_terms (
    purchase_id      INTEGER PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
    conditions       TEXT NOT NULL DEFAULT '',
    authority_powers TEXT NOT NULL DEFAULT '',
    shared_data      TEXT NOT NULL DEFAULT '',
    decision_rights  TEXT NOT NULL DEFAULT '',
    permitted_uses   TEXT NOT NULL DEFAULT '',
    strings_attached TEXT NOT NULL DEFAULT '',
    exit_terms       TEXT NOT NULL DEFAULT '',
    rev              INTEGER NOT NULL DEFAULT 1,
    updated_by       INTEGER REFERENCES users(id),
    updated_at       TIMESTAMP NOT NULL
);

-- A request a public authority made of a company, as one side recorded
-- it: side 'company' is the company's record of a request it received,
-- side 'authority' the authority's record of one it made. The two sides
-- are matched by the authority's reference (ref_key is its normalised
-- form). No personal data of the people targeted: only counts.
CREATE TABLE state_requests (
    id               INTEGER PRIMARY KEY,
    side             TEXT NOT NULL CHECK (side IN ('company', 'authority')),
    company_org_id   INTEGER NOT NULL REFERENCES organisations(id),
    authority_org_id INTEGER NOT NULL REFERENCES organisations(id),
    purchase_id      INTEGER REFERENCES purchases(id) ON DELETE SET NULL,
    reference        TEXT NOT NULL,
    ref_key          TEXT NOT NULL,
    made_on          DATE NOT NULL,
    legal_basis      TEXT NOT NULL,
    legal_process    TEXT NOT NULL,
    kind             TEXT NOT NULL,
    accounts         INTEGER NOT NULL DEFAULT 0,
    people           INTEGER NOT NULL DEFAULT 0,
    duration_days    INTEGER NOT NULL DEFAULT 0,
    area             TEXT NOT NULL DEFAULT '',
    urgency          TEXT NOT NULL,
    legality         TEXT NOT NULL DEFAULT '',
    necessity        TEXT NOT NULL DEFAULT '',
    proportionality  TEXT NOT NULL DEFAULT '',
    response         TEXT NOT NULL,
    escalation       TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL DEFAULT '',
    users_notified   TEXT NOT NULL DEFAULT 'not_yet',
    notified_on      DATE,
    rev              INTEGER NOT NULL DEFAULT 1,
    created_by       INTEGER REFERENCES users(id),
    created_at       TIMESTAMP NOT NULL,
    updated_by       INTEGER REFERENCES users(id),
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (side, company_org_id, authority_org_id, ref_key)
);
CREATE INDEX state_requests_authority ON state_requests(authority_org_id, made_on);
CREATE INDEX state_requests_company ON state_requests(company_org_id, made_on);

-- A published transparency report: one organisation's records of one
-- half-year, as the protected counts were when it was published (cells is
-- JSON). It is never recomputed: a second version of the same table would
-- let a reader subtract one from the other.
CREATE TABLE transparency_reports (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    side         TEXT NOT NULL CHECK (side IN ('company', 'authority')),
    period       TEXT NOT NULL,
    threshold    INTEGER NOT NULL,
    cells        TEXT NOT NULL,
    narrative    TEXT NOT NULL DEFAULT '',
    published_by INTEGER REFERENCES users(id),
    published_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, period)
);

-- What a relationship's data may not be used for, or by whom, and the
-- technical and contractual barriers that stop it.
CREATE TABLE firewall_rules (
    id             INTEGER PRIMARY KEY,
    purchase_id    INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    data           TEXT NOT NULL,
    barred_uses    TEXT NOT NULL DEFAULT '',
    barred_parties TEXT NOT NULL DEFAULT '',
    technical      TEXT NOT NULL DEFAULT '',
    contractual    TEXT NOT NULL DEFAULT '',
    audit          TEXT NOT NULL DEFAULT '',
    created_by     INTEGER REFERENCES users(id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX firewall_rules_purchase ON firewall_rules(purchase_id, id);

-- A time a barrier failed. Each opens a task on the purchase, which the
-- oversight bodies with the body in their remit see among their signals.
CREATE TABLE firewall_incidents (
    id           INTEGER PRIMARY KEY,
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    rule_id      INTEGER REFERENCES firewall_rules(id) ON DELETE SET NULL,
    occurred_on  DATE NOT NULL,
    found_on     DATE NOT NULL,
    barrier      TEXT NOT NULL,
    what         TEXT NOT NULL,
    data_reached TEXT NOT NULL DEFAULT '',
    people       INTEGER NOT NULL DEFAULT 0,
    action_taken TEXT NOT NULL DEFAULT '',
    task_id      INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
    reported_org INTEGER REFERENCES organisations(id),
    reported_by  INTEGER REFERENCES users(id),
    reported_at  TIMESTAMP NOT NULL
);
CREATE INDEX firewall_incidents_purchase ON firewall_incidents(purchase_id, id);
