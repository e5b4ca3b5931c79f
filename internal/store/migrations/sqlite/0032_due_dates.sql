-- The same indexes as on PostgreSQL, where the dashboard's dates due need
-- the id to read ten in order without sorting. SQLite's indexes already
-- end with the row id, so here they only keep the two schemas alike.
DROP INDEX purchases_review;
CREATE INDEX purchases_review ON purchases(org_id, review_date, id);
DROP INDEX purchases_sunset;
CREATE INDEX purchases_sunset ON purchases(org_id, sunset_date, id);
