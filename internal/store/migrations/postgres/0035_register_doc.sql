-- A search with words and facets in one GIN lookup (register_doc.go says
-- why). Two changes to how PostgreSQL reads the register:
--
-- 1. The words every entry holds (as written and stemmed) are listed in
--    register_vocab, kept by triggers, so that a search word is turned
--    into the whole words it begins instead of a prefix match, which made
--    GIN build a bitmap of every entry with any such word (77,000 at a
--    million entries: 130 ms before any facet was applied).
-- 2. The entry's facet values are in its vector beside its words, as
--    tokens no one types (as in SQLite's index, migration 0033), so GIN
--    intersects its own lists instead of ANDing a bitmap per facet. The
--    tokens must be the ones facetQueryTokens asks for: "qq", a letter
--    for the facet, and the value without '_' or '-'.
--
-- Rebuilding the vector rewrites the table and its index: 4 min 41 s at
-- a million entries on a 2-core machine.
DROP INDEX register_entries_search;
ALTER TABLE register_entries DROP COLUMN search_vec;
ALTER TABLE register_entries ADD COLUMN search_vec tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', search_text) || to_tsvector('buyright_en', search_text) || to_tsvector('buyright_pt', search_text)
    || to_tsvector('buyright_es', search_text) || to_tsvector('buyright_fr', search_text)
    || to_tsvector('simple', 'qqs' || translate(sector, '_-', '') || ' qqg' || translate(stage, '_-', '')
        || ' qql' || impact_level || ' qqo' || org_id || ' qqy' || year || ' '
        || regexp_replace(translate(technologies, '_-', ''), '([^,]+)', 'qqt\1', 'g'))) STORED;
CREATE INDEX register_entries_search ON register_entries USING GIN (search_vec) WITH (fastupdate = off);

CREATE TABLE register_vocab (term TEXT COLLATE "C" PRIMARY KEY);

INSERT INTO register_vocab (term)
SELECT DISTINCT u.lexeme FROM register_entries e, unnest(e.search_vec) u;

CREATE FUNCTION register_vocab_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- In order, so concurrent publications queue instead of deadlocking.
    INSERT INTO register_vocab (term)
    SELECT DISTINCT u.lexeme FROM new_rows e, unnest(e.search_vec) u ORDER BY 1
    ON CONFLICT (term) DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER register_vocab_insert AFTER INSERT ON register_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION register_vocab_add();
CREATE TRIGGER register_vocab_update AFTER UPDATE ON register_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION register_vocab_add();
