-- Suppliers after award, and documents published with redactions.

-- The invited supplier that holds the signed contract. Only it sees the
-- obligations it signed, feeds the monitoring assigned to it and reports
-- incidents and sub-processors for the purchase.
ALTER TABLE purchase_suppliers ADD COLUMN awarded BOOLEAN NOT NULL DEFAULT FALSE;

-- An indicator of the monitoring plan that the supplier holding the
-- contract must feed: every so many months, starting with a first period.
CREATE TABLE indicator_feeds (
    indicator_id    INTEGER PRIMARY KEY REFERENCES indicators(id) ON DELETE CASCADE,
    purchase_id     INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    supplier_org_id INTEGER NOT NULL REFERENCES organisations(id),
    every_months    INTEGER NOT NULL,
    first_period    DATE NOT NULL,
    assigned_by     INTEGER REFERENCES users(id),
    assigned_at     TIMESTAMP NOT NULL
);
CREATE INDEX indicator_feeds_supplier ON indicator_feeds(supplier_org_id);

-- An incident the supplier reported from its own account.
ALTER TABLE incidents ADD COLUMN reported_by_org INTEGER REFERENCES organisations(id);

-- Sub-contractors and sub-processors the supplier declares for a
-- purchase, with their role and what data they reach; every declaration
-- (added, changed, ended) is kept.
CREATE TABLE subcontractors (
    id              INTEGER PRIMARY KEY,
    purchase_id     INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    supplier_org_id INTEGER NOT NULL REFERENCES organisations(id),
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    work            TEXT NOT NULL,
    data_access     TEXT NOT NULL,
    country         TEXT NOT NULL DEFAULT '',
    since           DATE NOT NULL,
    ended_on        DATE,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX subcontractors_purchase ON subcontractors(purchase_id, supplier_org_id);

CREATE TABLE subcontractor_declarations (
    id               INTEGER PRIMARY KEY,
    subcontractor_id INTEGER NOT NULL REFERENCES subcontractors(id) ON DELETE CASCADE,
    purchase_id      INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    change           TEXT NOT NULL,
    summary          TEXT NOT NULL,
    declared_by      INTEGER REFERENCES users(id),
    declared_at      TIMESTAMP NOT NULL
);
CREATE INDEX subcontractor_declarations_purchase ON subcontractor_declarations(purchase_id, id);

-- The supplier questionnaire is catalogue data: each version of it that
-- someone answered is kept whole, by the hash of its questions, so a
-- purchase shows the questions its answers were given to.
CREATE TABLE supplier_questionnaires (
    hash       TEXT PRIMARY KEY,
    version    TEXT NOT NULL,
    questions  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- A supplier's company-wide answers (its own due diligence), versioned and
-- reused by every purchase it is invited to.
CREATE TABLE supplier_profiles (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organisations(id),
    version       INTEGER NOT NULL,
    answers       TEXT NOT NULL,
    questionnaire TEXT NOT NULL REFERENCES supplier_questionnaires(hash),
    submitted_by  INTEGER REFERENCES users(id),
    submitted_at  TIMESTAMP NOT NULL,
    UNIQUE (org_id, version)
);

-- Which questionnaire a purchase's version answered ('' for versions
-- answered before it was catalogue data) and which company-wide version
-- it carries (0: none).
ALTER TABLE supplier_answers ADD COLUMN questionnaire TEXT NOT NULL DEFAULT '';
ALTER TABLE supplier_answers ADD COLUMN profile_version INTEGER NOT NULL DEFAULT 0;

-- Documents of a purchase published on the register: in full, or as a
-- redacted version whose full original stays inside the body. Both files
-- are purchase_files of kind 'disclosure'; the public is only ever served
-- public_file_id, or full_file_id once republished in full.
CREATE TABLE disclosures (
    id             INTEGER PRIMARY KEY,
    purchase_id    INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    full_file_id   INTEGER NOT NULL REFERENCES purchase_files(id),
    redacted_file_id INTEGER REFERENCES purchase_files(id),
    status         TEXT NOT NULL,
    in_full        BOOLEAN NOT NULL DEFAULT FALSE,
    published_by   INTEGER REFERENCES users(id),
    published_name TEXT NOT NULL DEFAULT '',
    published_at   TIMESTAMP,
    created_by     INTEGER REFERENCES users(id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX disclosures_purchase ON disclosures(purchase_id, id);

-- Each part held back, its stated ground and the approver who agreed;
-- public with the document. A lapse date says when the ground ends.
CREATE TABLE redactions (
    id            INTEGER PRIMARY KEY,
    disclosure_id INTEGER NOT NULL REFERENCES disclosures(id) ON DELETE CASCADE,
    ground        TEXT NOT NULL,
    location      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    lapses_on     DATE,
    agreed_by     INTEGER REFERENCES users(id),
    agreed_name   TEXT NOT NULL DEFAULT '',
    agreed_at     TIMESTAMP,
    lifted_at     TIMESTAMP,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX redactions_lapse ON redactions(lapses_on);

-- An approver's review of a redaction whose ground lapsed: kept with a
-- new lapse date (or none), and why. Public like the redaction.
CREATE TABLE redaction_reviews (
    id           INTEGER PRIMARY KEY,
    redaction_id INTEGER NOT NULL REFERENCES redactions(id) ON DELETE CASCADE,
    old_lapse    DATE,
    new_lapse    DATE,
    note         TEXT NOT NULL,
    decided_by   INTEGER REFERENCES users(id),
    decided_name TEXT NOT NULL,
    decided_at   TIMESTAMP NOT NULL
);
