-- A register of a million entries (see the SQLite migration for why).
--
-- Facet counts of the whole register, kept by statement-level triggers
-- that read the rows a statement inserted, deleted or changed (transition
-- tables), so a bulk COPY of a million entries updates each count once,
-- not once per row. 'all' sorts first and every change touches it, so
-- concurrent writers queue on that row instead of deadlocking.
CREATE TABLE register_facet_counts (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    n     BIGINT NOT NULL,
    PRIMARY KEY (facet, value)
);

CREATE FUNCTION register_facet_rows(technologies TEXT, sector TEXT, stage TEXT, impact_level INTEGER, org_id BIGINT, year INTEGER)
RETURNS TABLE (facet TEXT, value TEXT) LANGUAGE sql IMMUTABLE AS $$
    SELECT 'all', '' UNION ALL SELECT 'sector', sector UNION ALL SELECT 'stage', stage
    UNION ALL SELECT 'level', impact_level::text UNION ALL SELECT 'org', org_id::text UNION ALL SELECT 'year', year::text
    UNION ALL SELECT 'technology', t FROM unnest(string_to_array(btrim(technologies, ','), ',')) t WHERE t <> ''
$$;

INSERT INTO register_facet_counts (facet, value, n)
SELECT f.facet, f.value, COUNT(*) FROM register_entries e,
    register_facet_rows(e.technologies, e.sector, e.stage, e.impact_level, e.org_id, e.year) f GROUP BY f.facet, f.value;

CREATE FUNCTION register_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO register_facet_counts (facet, value, n)
        SELECT f.facet, f.value, -COUNT(*) FROM old_rows e,
            register_facet_rows(e.technologies, e.sector, e.stage, e.impact_level, e.org_id, e.year) f
        GROUP BY f.facet, f.value ORDER BY f.facet, f.value
        ON CONFLICT (facet, value) DO UPDATE SET n = register_facet_counts.n + excluded.n;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO register_facet_counts (facet, value, n)
        SELECT f.facet, f.value, COUNT(*) FROM new_rows e,
            register_facet_rows(e.technologies, e.sector, e.stage, e.impact_level, e.org_id, e.year) f
        GROUP BY f.facet, f.value ORDER BY f.facet, f.value
        ON CONFLICT (facet, value) DO UPDATE SET n = register_facet_counts.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER register_counts_insert AFTER INSERT ON register_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION register_counts_apply();
CREATE TRIGGER register_counts_delete AFTER DELETE ON register_entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION register_counts_apply();
CREATE TRIGGER register_counts_update AFTER UPDATE ON register_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION register_counts_apply();

-- Each language's own stemming, without stop words (so "the" still finds
-- what SQLite finds) and on the text already folded in Go (accents
-- removed, lower case), so "saude" finds "saúde" on both databases.
CREATE TEXT SEARCH DICTIONARY buyright_english_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH DICTIONARY buyright_portuguese_stem (TEMPLATE = snowball, Language = portuguese);
CREATE TEXT SEARCH DICTIONARY buyright_spanish_stem (TEMPLATE = snowball, Language = spanish);
CREATE TEXT SEARCH DICTIONARY buyright_french_stem (TEMPLATE = snowball, Language = french);
CREATE TEXT SEARCH CONFIGURATION buyright_en (COPY = simple);
CREATE TEXT SEARCH CONFIGURATION buyright_pt (COPY = simple);
CREATE TEXT SEARCH CONFIGURATION buyright_es (COPY = simple);
CREATE TEXT SEARCH CONFIGURATION buyright_fr (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION buyright_en ALTER MAPPING FOR asciiword, word, asciihword, hword, hword_asciipart, hword_part WITH buyright_english_stem;
ALTER TEXT SEARCH CONFIGURATION buyright_pt ALTER MAPPING FOR asciiword, word, asciihword, hword, hword_asciipart, hword_part WITH buyright_portuguese_stem;
ALTER TEXT SEARCH CONFIGURATION buyright_es ALTER MAPPING FOR asciiword, word, asciihword, hword, hword_asciipart, hword_part WITH buyright_spanish_stem;
ALTER TEXT SEARCH CONFIGURATION buyright_fr ALTER MAPPING FOR asciiword, word, asciihword, hword, hword_asciipart, hword_part WITH buyright_french_stem;

-- One vector holds every word as written and its stem in each language;
-- a search in a language asks for the word as a prefix or its stem in
-- that language as a prefix, so it finds at least what SQLite finds. One
-- GIN index serves prefixes of any length (no cut-off like FTS5's).
DROP INDEX register_entries_search;
ALTER TABLE register_entries DROP COLUMN search_vec;
ALTER TABLE register_entries ADD COLUMN search_vec tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', search_text) || to_tsvector('buyright_en', search_text) || to_tsvector('buyright_pt', search_text)
    || to_tsvector('buyright_es', search_text) || to_tsvector('buyright_fr', search_text)) STORED;
CREATE INDEX register_entries_search ON register_entries USING GIN (search_vec) WITH (fastupdate = off);
