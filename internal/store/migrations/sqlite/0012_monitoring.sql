-- Monitoring a purchase in use: the indicators of its plan (from the
-- indicator catalogue or the body's own, with target and threshold), the
-- values measured per period and group, the outcome counts of automated
-- decisions by group (for the disparity ratio), and the incidents log.

CREATE TABLE indicators (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    catalog_id  TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    unit        TEXT NOT NULL,
    direction   TEXT NOT NULL,
    target      REAL,
    threshold   REAL,
    by_group    BOOLEAN NOT NULL DEFAULT FALSE,
    mitigation  TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX indicators_purchase ON indicators(purchase_id);

CREATE TABLE measurements (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    period       DATE NOT NULL,
    grp          TEXT NOT NULL DEFAULT '',
    value        REAL NOT NULL,
    source       TEXT NOT NULL,
    entered_by   INTEGER REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (indicator_id, period, grp)
);
CREATE INDEX measurements_purchase ON measurements(purchase_id, created_at);

CREATE TABLE outcome_counts (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    period      DATE NOT NULL,
    grp         TEXT NOT NULL,
    favourable  INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    entered_by  INTEGER REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (purchase_id, period, grp)
);

CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    occurred_on DATE NOT NULL,
    severity    TEXT NOT NULL,
    what        TEXT NOT NULL,
    affected    TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL DEFAULT '',
    reported_to TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX incidents_purchase ON incidents(purchase_id, occurred_on);
