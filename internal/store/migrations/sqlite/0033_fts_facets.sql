-- The register's text index also holds each entry's facet values as
-- tokens (see register_fts_facets.go), so a search with words and facets
-- intersects lists inside FTS5 instead of testing entries one by one.
-- The expression below must give the tokens facetTokens gives.
INSERT INTO register_fts (register_fts) VALUES ('delete-all');
INSERT INTO register_fts (rowid, search_text)
SELECT purchase_id, search_text
    || ' qqs' || replace(replace(sector, '_', ''), '-', '')
    || ' qqg' || replace(replace(stage, '_', ''), '-', '')
    || ' qql' || impact_level
    || ' qqo' || org_id
    || ' qqy' || year
    || replace(replace(replace(technologies, '_', ''), '-', ''), ',', ' qqt')
FROM register_entries;
