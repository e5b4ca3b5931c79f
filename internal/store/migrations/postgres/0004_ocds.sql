-- OCDS import: where an imported purchase came from, and the red flags the
-- screener raised on the release it came from.

-- The release an imported purchase was last built from. A release older
-- (by date, then id) than this one is not applied again, so importing a
-- file twice, or a killed import run again, ends in the same state.
CREATE TABLE ocds_sources (
    purchase_id  BIGINT PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
    release_id   TEXT NOT NULL,
    release_date TEXT NOT NULL,
    flag_ids     TEXT NOT NULL,
    flags_hash   TEXT NOT NULL,
    imported_at  TIMESTAMP NOT NULL
);

-- Red flags of the screener, replaced on each import that changes them.
CREATE TABLE purchase_flags (
    purchase_id BIGINT NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    flag_id     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    path        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (purchase_id, pos)
);
