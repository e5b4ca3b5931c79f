-- Screening, assessment workspace and uploaded catalogues.

-- The latest screening of a purchase: the answers as given and the scored
-- result, both JSON, pinned to the catalogue set they were answered against.
CREATE TABLE screenings (
    purchase_id  INTEGER PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
    answers      TEXT NOT NULL,
    result       TEXT NOT NULL,
    status       TEXT NOT NULL,
    level        INTEGER NOT NULL,
    catalog_hash TEXT NOT NULL,
    rev          INTEGER NOT NULL DEFAULT 1,
    updated_by   INTEGER REFERENCES users(id),
    updated_at   TIMESTAMP NOT NULL
);

-- One row per version of a purchase's assessment. The draft (the newest
-- version while status = 'draft') is edited; sign-off freezes it into
-- snapshot, and the next edit starts version + 1 copied from it.
CREATE TABLE assessment_versions (
    id           INTEGER PRIMARY KEY,
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    doc          TEXT NOT NULL,
    catalog_hash TEXT NOT NULL DEFAULT '',
    snapshot     TEXT NOT NULL DEFAULT '',
    review_date  TEXT NOT NULL DEFAULT '',
    signed_by    INTEGER REFERENCES users(id),
    signed_name  TEXT NOT NULL DEFAULT '',
    signed_at    TIMESTAMP,
    rev          INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (purchase_id, version)
);
CREATE INDEX assessment_versions_review ON assessment_versions(status, review_date);

-- Catalogue files uploaded by site administrators, kept with the hash of
-- the set they built, so a screening pinned to that hash can be shown with
-- the questions it was answered against even after a newer upload.
CREATE TABLE catalog_uploads (
    id          INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    sources     TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT FALSE,
    uploaded_by INTEGER REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL
);
