-- Oversight opinions that count at the gates: the rules by which an
-- oversight body asks for its opinion on purchases in its remit, the
-- opinions (never changed; a later one for the same gate follows an
-- earlier one), their conditions (requirements met by evidence under
-- OPN-<opinion>-<n>), the accountable head's decisions to go on after an
-- unfavourable opinion, the heads each public body designates, and the
-- bodies' own notes on purchases and on parts of their assessments.

CREATE TABLE opinion_rules (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    min_level    INTEGER NOT NULL DEFAULT 0,
    technology   TEXT NOT NULL DEFAULT '',
    sector       TEXT NOT NULL DEFAULT '',
    before_stage TEXT NOT NULL,
    gate_stage   TEXT NOT NULL, -- the stage left on the way into before_stage
    days         INTEGER NOT NULL,
    by_user      INTEGER REFERENCES users(id),
    by_name      TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    retired_at   TIMESTAMP,
    retired_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX opinion_rules_org ON opinion_rules(org_id);

CREATE TABLE opinions (
    id           INTEGER PRIMARY KEY,
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    before_stage TEXT NOT NULL,
    gate_stage   TEXT NOT NULL,
    verdict      TEXT NOT NULL CHECK (verdict IN ('favourable', 'conditional', 'unfavourable', 'not_given')),
    reasons      TEXT NOT NULL DEFAULT '',
    refs         TEXT NOT NULL DEFAULT '',
    supersedes   INTEGER REFERENCES opinions(id),
    due_on       DATE,
    by_user      INTEGER REFERENCES users(id),
    by_name      TEXT NOT NULL,
    issued_at    TIMESTAMP NOT NULL
);
CREATE INDEX opinions_purchase ON opinions(purchase_id, id);
CREATE INDEX opinions_org ON opinions(org_id, purchase_id);
-- An opinion not given is recorded once per body and gate.
CREATE UNIQUE INDEX opinions_not_given ON opinions(purchase_id, org_id, before_stage) WHERE verdict = 'not_given';

CREATE TABLE opinion_conditions (
    opinion_id   INTEGER NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    n            INTEGER NOT NULL,
    body         TEXT NOT NULL,
    before_stage TEXT NOT NULL,
    PRIMARY KEY (opinion_id, n)
);

CREATE TABLE opinion_decisions (
    id          INTEGER PRIMARY KEY,
    opinion_id  INTEGER NOT NULL UNIQUE REFERENCES opinions(id) ON DELETE CASCADE,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    reasons     TEXT NOT NULL,
    by_user     INTEGER REFERENCES users(id),
    by_name     TEXT NOT NULL,
    decided_at  TIMESTAMP NOT NULL
);
CREATE INDEX opinion_decisions_purchase ON opinion_decisions(purchase_id);

CREATE TABLE accountable_heads (
    org_id        INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    designated_by INTEGER REFERENCES users(id),
    designated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

CREATE TABLE oversight_notes (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'assessment')),
    part        TEXT NOT NULL DEFAULT '', -- '', impact, mitigation, engagement
    part_id     INTEGER NOT NULL DEFAULT 0,
    shared      BOOLEAN NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    by_user     INTEGER REFERENCES users(id),
    by_name     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX oversight_notes_purchase ON oversight_notes(purchase_id, id);

-- What was issued stays as issued, even against a stray UPDATE.
CREATE TRIGGER opinions_fixed BEFORE UPDATE ON opinions
BEGIN SELECT RAISE(ABORT, 'an issued opinion cannot be changed'); END;
CREATE TRIGGER opinion_conditions_fixed BEFORE UPDATE ON opinion_conditions
BEGIN SELECT RAISE(ABORT, 'an issued opinion cannot be changed'); END;
CREATE TRIGGER opinion_decisions_fixed BEFORE UPDATE ON opinion_decisions
BEGIN SELECT RAISE(ABORT, 'a recorded decision cannot be changed'); END;
CREATE TRIGGER oversight_notes_fixed BEFORE UPDATE ON oversight_notes
BEGIN SELECT RAISE(ABORT, 'a note cannot be changed'); END;
