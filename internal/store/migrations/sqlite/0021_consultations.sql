-- Consultations on a purchase, and civil society in the product.

-- A consultation a public body runs on one of its purchases. 'draft' is
-- seen by the body alone; 'open' is public and takes responses until the
-- deadline (that day included); 'reported' has its report published and
-- changes no more. rev guards the draft and the report's words against
-- two people saving over each other.
CREATE TABLE consultations (
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    status      TEXT NOT NULL,
    deadline    DATE,
    formats     TEXT NOT NULL DEFAULT '',
    opened_on   DATE,
    reported_at TIMESTAMP,
    reported_by INTEGER REFERENCES users(id),
    created_by  INTEGER REFERENCES users(id),
    rev         INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX consultations_purchase ON consultations(purchase_id);
CREATE INDEX consultations_status ON consultations(status, deadline);

-- The consultation's words in each language it is written in; questions
-- are one per line, in the same order in every language.
CREATE TABLE consultation_texts (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    deciding     TEXT NOT NULL DEFAULT '',
    questions    TEXT NOT NULL DEFAULT '',
    use_of_input TEXT NOT NULL DEFAULT '',
    access       TEXT NOT NULL DEFAULT '',
    report       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (consultation_id, lang)
);

-- Civil-society organisations and representative groups the body invited:
-- their people respond from their accounts, under the organisation's name.
CREATE TABLE consultation_invitations (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    invited_by INTEGER REFERENCES users(id),
    invited_at TIMESTAMP NOT NULL,
    PRIMARY KEY (consultation_id, org_id)
);
CREATE INDEX consultation_invitations_org ON consultation_invitations(org_id);

-- The body's answer to one response or a group of responses: what was
-- said, what the body did, or why not.
CREATE TABLE consultation_answers (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    said            TEXT NOT NULL,
    did             TEXT NOT NULL DEFAULT '',
    why_not         TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL,
    by_user         INTEGER REFERENCES users(id),
    by_name         TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX consultation_answers_consultation ON consultation_answers(consultation_id);

-- A response. Its words (answers: a JSON array, one per question and the
-- general comments last) are never changed or deleted; the body may only
-- hide it, once, citing a published rule and a public reason. A response
-- through the public form keeps no IP address, no account and only the
-- day it came: a name and contact, if given, are sealed with the
-- installation's complaint key, and the receipt code is kept as its first
-- six digits and an argon2id hash, as for complaints. An organisation's
-- response records the organisation and the person who sent it.
CREATE TABLE consultation_responses (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    org_id          INTEGER REFERENCES organisations(id),
    user_id         INTEGER REFERENCES users(id),
    lang            TEXT NOT NULL,
    answers         TEXT NOT NULL,
    identity        BLOB,
    lookup          TEXT NOT NULL DEFAULT '',
    code_hash       TEXT NOT NULL DEFAULT '',
    received_on     DATE NOT NULL,
    answer_id       INTEGER REFERENCES consultation_answers(id),
    hidden_on       DATE,
    hidden_rule     TEXT NOT NULL DEFAULT '',
    hidden_reason   TEXT NOT NULL DEFAULT '',
    hidden_by       INTEGER REFERENCES users(id)
);
CREATE INDEX consultation_responses_consultation ON consultation_responses(consultation_id, id);
CREATE INDEX consultation_responses_lookup ON consultation_responses(lookup);
CREATE INDEX consultation_responses_org ON consultation_responses(org_id);

CREATE TABLE consultation_files (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES consultation_responses(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    ctype       TEXT NOT NULL,
    data        BLOB NOT NULL
);
CREATE INDEX consultation_files_response ON consultation_files(response_id);

-- A body's recorded reason for holding no consultation on a level III or
-- IV purchase before its tender is designed (the consultation gate).
CREATE TABLE consultation_waivers (
    purchase_id INTEGER PRIMARY KEY REFERENCES purchases(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    by_user     INTEGER REFERENCES users(id),
    by_name     TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);

-- People of civil-society organisations following a published purchase:
-- they are told of what is new since they began to follow.
CREATE TABLE purchase_follows (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    since       TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, purchase_id)
);
CREATE INDEX purchase_follows_purchase ON purchase_follows(purchase_id);

-- The organisations named as taking part in the meetings of the newest
-- assessment version, kept in step with it on every save, so an
-- organisation's page finds its meetings without reading every assessment.
CREATE TABLE engagement_participants (
    purchase_id   INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    engagement_id INTEGER NOT NULL,
    org_id        INTEGER NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (purchase_id, engagement_id, org_id)
);
CREATE INDEX engagement_participants_org ON engagement_participants(org_id);
