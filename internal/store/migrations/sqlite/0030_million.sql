-- A register of a million entries.
--
-- Facet counts of the whole register, kept up to date by triggers on every
-- insert, update and delete of an entry (whatever writes it: publishing,
-- withdrawing, a change to a published purchase, an import, a bulk seed),
-- so the register page never counts every entry on a request. A value
-- whose count falls to zero keeps its row at 0; readers skip it.
-- facet 'all' with value '' is the number of entries.
CREATE TABLE register_facet_counts (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;

INSERT INTO register_facet_counts (facet, value, n)
SELECT 'all', '', COUNT(*) FROM register_entries
UNION ALL SELECT 'sector', sector, COUNT(*) FROM register_entries GROUP BY sector
UNION ALL SELECT 'stage', stage, COUNT(*) FROM register_entries GROUP BY stage
UNION ALL SELECT 'level', CAST(impact_level AS TEXT), COUNT(*) FROM register_entries GROUP BY impact_level
UNION ALL SELECT 'org', CAST(org_id AS TEXT), COUNT(*) FROM register_entries GROUP BY org_id
UNION ALL SELECT 'year', CAST(year AS TEXT), COUNT(*) FROM register_entries GROUP BY year
UNION ALL SELECT 'technology', j.value, COUNT(*) FROM register_entries,
    json_each('["' || replace(trim(technologies, ','), ',', '","') || '"]') j WHERE j.value <> '' GROUP BY j.value;

-- technologies is ",a,b,": json_each splits it (catalogue identifiers,
-- never quotes), since a trigger cannot hold a recursive query.
CREATE TRIGGER register_counts_insert AFTER INSERT ON register_entries BEGIN
    INSERT INTO register_facet_counts (facet, value, n) VALUES
        ('all', '', 1), ('sector', NEW.sector, 1), ('stage', NEW.stage, 1),
        ('level', CAST(NEW.impact_level AS TEXT), 1), ('org', CAST(NEW.org_id AS TEXT), 1), ('year', CAST(NEW.year AS TEXT), 1)
    ON CONFLICT (facet, value) DO UPDATE SET n = n + 1;
    INSERT INTO register_facet_counts (facet, value, n)
    SELECT 'technology', j.value, 1 FROM json_each('["' || replace(trim(NEW.technologies, ','), ',', '","') || '"]') j WHERE j.value <> ''
    ON CONFLICT (facet, value) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER register_counts_delete AFTER DELETE ON register_entries BEGIN
    UPDATE register_facet_counts SET n = n - 1 WHERE (facet = 'all' AND value = '')
        OR (facet = 'sector' AND value = OLD.sector) OR (facet = 'stage' AND value = OLD.stage)
        OR (facet = 'level' AND value = CAST(OLD.impact_level AS TEXT)) OR (facet = 'org' AND value = CAST(OLD.org_id AS TEXT))
        OR (facet = 'year' AND value = CAST(OLD.year AS TEXT))
        OR (facet = 'technology' AND value IN (SELECT j.value FROM json_each('["' || replace(trim(OLD.technologies, ','), ',', '","') || '"]') j));
END;

CREATE TRIGGER register_counts_update AFTER UPDATE OF sector, stage, impact_level, org_id, year, technologies ON register_entries BEGIN
    UPDATE register_facet_counts SET n = n - 1 WHERE (facet = 'all' AND value = '')
        OR (facet = 'sector' AND value = OLD.sector) OR (facet = 'stage' AND value = OLD.stage)
        OR (facet = 'level' AND value = CAST(OLD.impact_level AS TEXT)) OR (facet = 'org' AND value = CAST(OLD.org_id AS TEXT))
        OR (facet = 'year' AND value = CAST(OLD.year AS TEXT))
        OR (facet = 'technology' AND value IN (SELECT j.value FROM json_each('["' || replace(trim(OLD.technologies, ','), ',', '","') || '"]') j));
    INSERT INTO register_facet_counts (facet, value, n) VALUES
        ('all', '', 1), ('sector', NEW.sector, 1), ('stage', NEW.stage, 1),
        ('level', CAST(NEW.impact_level AS TEXT), 1), ('org', CAST(NEW.org_id AS TEXT), 1), ('year', CAST(NEW.year AS TEXT), 1)
    ON CONFLICT (facet, value) DO UPDATE SET n = n + 1;
    INSERT INTO register_facet_counts (facet, value, n)
    SELECT 'technology', j.value, 1 FROM json_each('["' || replace(trim(NEW.technologies, ','), ',', '","') || '"]') j WHERE j.value <> ''
    ON CONFLICT (facet, value) DO UPDATE SET n = n + 1;
END;

-- The words of the register's index, so a search word longer than the
-- longest indexed prefix (eight letters) is expanded into the few whole
-- words that begin with it and each is read from the index as an exact
-- term, instead of FTS5 merging every matching list before answering.
CREATE VIRTUAL TABLE register_vocab USING fts5vocab(register_fts, 'row');
