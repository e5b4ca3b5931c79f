-- Documents attached to a purchase: minutes and letters of engagement with
-- the people affected, evidence, contract documents. Kept in the database,
-- outside any web root, and served only as downloads.
CREATE TABLE purchase_files (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    ctype       TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    data        BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX purchase_files_purchase ON purchase_files(purchase_id, kind, ref);
