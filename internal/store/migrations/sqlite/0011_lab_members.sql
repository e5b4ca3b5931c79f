-- The Learning Lab's members' space: organisations taking part in the
-- network share materials (documents, tools, training) and comment on
-- them, and record convenings. Everything here is members-only until an
-- editor publishes it (status 'published'); the public portal reads only
-- published rows. Reviewers may also send a proposed practice or law
-- answer back to its author with a note (status 'returned').

CREATE TABLE lab_members (
    org_id     INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    added_by   INTEGER REFERENCES users(id),
    added_at   TIMESTAMP NOT NULL
);

CREATE TABLE lab_materials (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    author_id    INTEGER REFERENCES users(id),
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    link         TEXT NOT NULL DEFAULT '',
    file_name    TEXT NOT NULL DEFAULT '',
    file_type    TEXT NOT NULL DEFAULT '',
    file_data    BLOB,
    practice_id  INTEGER REFERENCES practices(id),
    event_id     INTEGER,
    status       TEXT NOT NULL DEFAULT 'members',
    created_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);
CREATE INDEX lab_materials_status ON lab_materials(status, created_at);

CREATE TABLE lab_comments (
    id          INTEGER PRIMARY KEY,
    material_id INTEGER NOT NULL REFERENCES lab_materials(id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users(id),
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX lab_comments_material ON lab_comments(material_id, id);

CREATE TABLE lab_events (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    starts_on    DATE NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    agenda       TEXT NOT NULL DEFAULT '',
    participants TEXT NOT NULL DEFAULT '',
    outcomes     TEXT NOT NULL DEFAULT '',
    practices    TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'members',
    created_by   INTEGER REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);
CREATE INDEX lab_events_status ON lab_events(status, starts_on);

-- People who asked for the digest of what is new. The address is kept
-- only to send the digest; token_hash is the SHA-256 of the secret in the
-- confirmation and unsubscribe links.
CREATE TABLE lab_subscribers (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    lang            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      TIMESTAMP NOT NULL,
    confirmed_at    TIMESTAMP,
    last_digest_at  TIMESTAMP
);

ALTER TABLE practices ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE law_answers ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
