-- Supplier due diligence: an invited supplier's answers to the
-- questionnaire about itself and about the State as its client. Each
-- submission is a new version, so the body sees what changed; the body's
-- review (a score per question and a comment) belongs to one version.
-- Evidence files are purchase_files of kind 'supplier', ref '<org>:<question>'.

CREATE TABLE supplier_answers (
    id           INTEGER PRIMARY KEY,
    purchase_id  INTEGER NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    version      INTEGER NOT NULL,
    answers      TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL,
    UNIQUE (purchase_id, org_id, version)
);

CREATE TABLE supplier_reviews (
    id          INTEGER PRIMARY KEY,
    answer_id   INTEGER NOT NULL REFERENCES supplier_answers(id) ON DELETE CASCADE,
    scores      TEXT NOT NULL,
    comment     TEXT NOT NULL,
    reviewed_by INTEGER REFERENCES users(id),
    reviewed_at TIMESTAMP NOT NULL
);
CREATE INDEX supplier_reviews_answer ON supplier_reviews(answer_id, id);
