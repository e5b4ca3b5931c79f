-- SQLite rebuilt its register word index with longer prefixes (see the
-- SQLite migration); PostgreSQL's tsvector index already serves prefixes.
SELECT 1;
