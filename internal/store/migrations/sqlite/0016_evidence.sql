-- Evidence that a requirement is met, and sign-offs the gates read instead
-- of ticks.

-- One row per record of how a requirement of a purchase is met: a file, a
-- link to a record of the same purchase, a written statement, an
-- approver's "not applicable" with its reason, or the withdrawal of an
-- earlier record. Rows are never changed; the newest per requirement
-- counts and the older ones are the history.
CREATE TABLE requirement_evidence (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    requirement TEXT NOT NULL,
    kind        TEXT NOT NULL,
    file_id     INTEGER REFERENCES purchase_files(id),
    link        TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    by_user     INTEGER REFERENCES users(id),
    by_name     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX requirement_evidence_purchase ON requirement_evidence(purchase_id, requirement, id);

-- An approver's sign-off of the current screening; cleared when the
-- answers change.
ALTER TABLE screenings ADD COLUMN signed_by INTEGER REFERENCES users(id);
ALTER TABLE screenings ADD COLUMN signed_name TEXT NOT NULL DEFAULT '';
ALTER TABLE screenings ADD COLUMN signed_at TIMESTAMP;

-- The assessments a signed-off version covers in full (comma-separated:
-- hria, dpia, fria), decided at sign-off from the sections written.
ALTER TABLE assessment_versions ADD COLUMN covers TEXT NOT NULL DEFAULT '';

-- Where a purchase record came from: '' when registered in buyright,
-- 'ocds' when imported from open contracting data (possibly at a late
-- stage, never screened).
ALTER TABLE purchases ADD COLUMN source TEXT NOT NULL DEFAULT '';
UPDATE purchases SET source = 'ocds' WHERE id IN (SELECT purchase_id FROM ocds_sources);
