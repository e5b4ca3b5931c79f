-- Public register, complaints channel and oversight workspace.

-- The body's decision to publish a purchase, and the plain-language words
-- it publishes with it. Unpublishing keeps the row with published = false.
CREATE TABLE publications (
    purchase_id        INTEGER PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
    published          BOOLEAN NOT NULL,
    summary            TEXT NOT NULL DEFAULT '',
    decided_by         INTEGER REFERENCES users(id),
    decided_at         TIMESTAMP NOT NULL,
    first_published_at TIMESTAMP
);

-- One row per published purchase, rebuilt whenever it changes, holding the
-- facets and the words to search. search_text is normalised in Go (lower
-- case, no diacritics, words separated by single spaces) so both databases
-- tokenise it the same way and return the same results.
CREATE TABLE register_entries (
    purchase_id  INTEGER PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL,
    sector       TEXT NOT NULL,
    technologies TEXT NOT NULL,
    stage        TEXT NOT NULL,
    impact_level INTEGER NOT NULL DEFAULT 0,
    year         INTEGER NOT NULL,
    search_text  TEXT NOT NULL,
    -- what a results page shows, so a page of results is one query
    title        TEXT NOT NULL,
    org_name     TEXT NOT NULL,
    summary      TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX register_entries_updated ON register_entries(updated_at);
-- One small index per facet, so a word search narrowed by a facet combines
-- the text index with these instead of reading every matching entry.
CREATE INDEX register_entries_stage ON register_entries(stage);
CREATE INDEX register_entries_sector ON register_entries(sector);
CREATE INDEX register_entries_level ON register_entries(impact_level);
CREATE INDEX register_entries_org ON register_entries(org_id);
CREATE INDEX register_entries_year ON register_entries(year);
CREATE VIRTUAL TABLE register_fts USING fts5(search_text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0', prefix='2 3 4');

-- What changed in the register, newest last: the Atom feed.
CREATE TABLE register_changes (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX register_changes_purchase ON register_changes(purchase_id);

-- How long a body gives itself to acknowledge and to answer a complaint;
-- published with its register entries.
CREATE TABLE complaint_policies (
    org_id      INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    ack_days    INTEGER NOT NULL,
    answer_days INTEGER NOT NULL
);

-- A complaint. The receipt code is never stored: only its first six digits
-- (to find the row) and an argon2id hash of the whole. Name and contact are
-- encrypted with the installation's complaint key; no IP address is kept.
CREATE TABLE complaints (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisations(id),
    purchase_id    INTEGER REFERENCES purchases(id) ON DELETE SET NULL,
    service        TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL,
    identity       BLOB,
    lookup         TEXT NOT NULL,
    code_hash      TEXT NOT NULL,
    status         TEXT NOT NULL,
    outcome        TEXT NOT NULL DEFAULT '',
    received_at    TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    answered_at    TIMESTAMP,
    closed_at      TIMESTAMP,
    escalated_at   TIMESTAMP,
    ack_due        DATE NOT NULL,
    answer_due     DATE NOT NULL
);
CREATE INDEX complaints_lookup ON complaints(lookup);
CREATE INDEX complaints_org ON complaints(org_id, status);
CREATE INDEX complaints_purchase ON complaints(purchase_id);

CREATE TABLE complaint_messages (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    from_body    BOOLEAN NOT NULL,
    author       TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX complaint_messages_complaint ON complaint_messages(complaint_id, id);

CREATE TABLE complaint_files (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    ctype        TEXT NOT NULL,
    data         BLOB NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX complaint_files_complaint ON complaint_files(complaint_id);

-- Work to do on a purchase, opened by a complaint, a review or a breach.
CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    due         DATE,
    done_at     TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX tasks_purchase ON tasks(purchase_id, done_at);

-- An oversight body asks the owner for a change by a deadline.
CREATE TABLE change_requests (
    id           INTEGER PRIMARY KEY,
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    body         TEXT NOT NULL,
    due          DATE NOT NULL,
    status       TEXT NOT NULL,
    response     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    responded_at TIMESTAMP
);
CREATE INDEX change_requests_purchase ON change_requests(purchase_id);

-- A finding an oversight body publishes on a purchase's public entry.
CREATE TABLE findings (
    id           INTEGER PRIMARY KEY,
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL
);
CREATE INDEX findings_purchase ON findings(purchase_id);
