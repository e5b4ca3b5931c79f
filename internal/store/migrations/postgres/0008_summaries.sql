-- The public summary of a published purchase in other languages, so a
-- resident reads it in theirs; the register searches every language.
CREATE TABLE publication_summaries (
    purchase_id BIGINT NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    PRIMARY KEY (purchase_id, lang)
);
