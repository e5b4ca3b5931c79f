-- Nothing to do on PostgreSQL: its text index and the facets' B-trees
-- combine in one plan. (SQLite's 0033 puts facet tokens in its text index.)
SELECT 1;
