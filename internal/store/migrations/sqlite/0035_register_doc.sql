-- Nothing to do on SQLite: its word index already holds the facet tokens
-- (0033) and its vocabulary (0030). PostgreSQL's 0035 catches up.
SELECT 1;
