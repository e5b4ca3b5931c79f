-- Redress that reaches the oversight body, emergency measures that end at
-- their sunset unless continued in the open, a complaint key that cannot be
-- swapped silently, and tasks that say why they were closed.

-- Why a task was closed: what the person did, or why it no longer holds
-- (a monitoring task whose indicator changed, values that were corrected).
ALTER TABLE tasks ADD COLUMN done_note TEXT NOT NULL DEFAULT '';

-- A complaint taken to the oversight bodies whose remit covers the body:
-- by the person with their receipt code (the time limit passed, or they
-- are dissatisfied with the answer) or by the body itself. The body owes
-- the oversight body an answer by answer_due; the oversight body records
-- its decision, which the person reads with their code. One per complaint.
CREATE TABLE complaint_escalations (
    id               INTEGER PRIMARY KEY,
    complaint_id     INTEGER NOT NULL UNIQUE REFERENCES complaints(id) ON DELETE CASCADE,
    raised_by        TEXT NOT NULL,
    ground           TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    raised_at        TIMESTAMP NOT NULL,
    answer_due       DATE NOT NULL,
    body_answer      TEXT NOT NULL DEFAULT '',
    body_answered_at TIMESTAMP,
    body_answered_by INTEGER REFERENCES users(id),
    decision         TEXT NOT NULL DEFAULT '',
    decision_text    TEXT NOT NULL DEFAULT '',
    decided_org_id   INTEGER REFERENCES organisations(id),
    decided_by       INTEGER REFERENCES users(id),
    decided_at       TIMESTAMP
);
CREATE INDEX complaint_escalations_due ON complaint_escalations(answer_due);

-- An emergency measure continued past its sunset: only on a new legal
-- basis and a new screening, both recorded here and published with the
-- register entry. Each row moves the purchase's sunset date.
CREATE TABLE emergency_continuations (
    id              INTEGER PRIMARY KEY,
    purchase_id     INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    old_sunset      DATE NOT NULL,
    new_sunset      DATE NOT NULL,
    old_legal_basis TEXT NOT NULL,
    legal_basis     TEXT NOT NULL,
    reason          TEXT NOT NULL,
    screened_at     TIMESTAMP NOT NULL,
    screening_level INTEGER NOT NULL,
    decided_by      INTEGER REFERENCES users(id),
    decided_at      TIMESTAMP NOT NULL
);
CREATE INDEX emergency_continuations_purchase ON emergency_continuations(purchase_id, id);

-- A fingerprint of the key that encrypts complainants' names (never the
-- key), so a server started with a missing or different key can tell which
-- and refuse instead of making every name unreadable.
CREATE TABLE complaint_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    set_at      TIMESTAMP NOT NULL
);
