-- The retention schedule the site administrator set, one row per kind of
-- record (kinds without a row keep the catalogue's default), and marks on
-- the records whose personal parts the schedule erased, so a page says
-- "erased on DATE" instead of pretending the person gave no name.
CREATE TABLE retention_settings (
    kind    TEXT PRIMARY KEY,
    days    INTEGER NOT NULL,
    set_by  INTEGER REFERENCES users(id),
    set_at  TIMESTAMPTZ NOT NULL
);
ALTER TABLE complaints ADD COLUMN identity_erased_on DATE;
ALTER TABLE complaints ADD COLUMN files_erased_on DATE;
ALTER TABLE consultation_responses ADD COLUMN identity_erased_on DATE;
