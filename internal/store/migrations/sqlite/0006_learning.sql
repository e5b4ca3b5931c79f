-- Learning Lab: the law map (jurisdictions and expert answers, versioned by
-- the date each answer describes) and the library of effective practices.

CREATE TABLE jurisdictions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

-- One expert answer to one question for one jurisdiction, as the law stood
-- on as_of (YYYY-MM-DD, compared as text). A newer as_of is a newer version;
-- the matrix shows, per cell, the approved answer with the greatest as_of
-- not after the date asked for.
CREATE TABLE law_answers (
    id            INTEGER PRIMARY KEY,
    jurisdiction  TEXT NOT NULL REFERENCES jurisdictions(code),
    question      TEXT NOT NULL,
    answer        TEXT NOT NULL,
    explanation   TEXT NOT NULL,
    citations     TEXT NOT NULL,
    judgement     BOOLEAN NOT NULL,
    as_of         TEXT NOT NULL,
    status        TEXT NOT NULL,
    starting      BOOLEAN NOT NULL,
    respondent_id INTEGER REFERENCES users(id),
    respondent    TEXT NOT NULL,
    reviewer_id   INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    approved_at   TIMESTAMP
);
CREATE INDEX law_answers_cell ON law_answers(jurisdiction, question, status, as_of);
CREATE INDEX law_answers_status ON law_answers(status);

-- An effective practice. Only published ones reach the public portal.
CREATE TABLE practices (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    stage        TEXT NOT NULL,
    hub          TEXT NOT NULL,
    what_done    TEXT NOT NULL,
    what_changed TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    tools        TEXT NOT NULL,
    sources      TEXT NOT NULL,
    rights       TEXT NOT NULL,
    technologies TEXT NOT NULL,
    illustrative BOOLEAN NOT NULL,
    status       TEXT NOT NULL,
    author_id    INTEGER REFERENCES users(id),
    author_org   INTEGER REFERENCES organisations(id),
    search_text  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);
CREATE INDEX practices_status ON practices(status, hub, stage);
-- Only published practices are indexed: a draft is never found by search.
CREATE VIRTUAL TABLE practices_fts USING fts5(search_text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0', prefix='2 3 4');
