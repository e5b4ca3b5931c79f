-- Tender pack: the criteria, specifications and clauses buyright proposed
-- for a purchase and what the officer decided about each. One row per
-- catalogue item; every decision is also written to the audit log.
CREATE TABLE tender_items (
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    item_id      TEXT NOT NULL,
    catalog_hash TEXT NOT NULL DEFAULT '',
    decision     TEXT NOT NULL DEFAULT 'proposed',
    edited_text  TEXT NOT NULL DEFAULT '',
    weight       INTEGER NOT NULL DEFAULT 0,
    reason       TEXT NOT NULL DEFAULT '',
    decided_by   INTEGER REFERENCES users(id),
    decided_name TEXT NOT NULL DEFAULT '',
    decided_at   TIMESTAMP NOT NULL,
    rev          INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (purchase_id, item_id)
);
