-- The dashboard's reviews and sunsets due are read in date order, then by
-- id, ten at a time. Without the id in the index PostgreSQL read every
-- purchase of the body due on the earliest date and sorted them for the
-- ten (89 ms at a million purchases, where about 2,700 share each date);
-- with it the ten are the first ten index entries.
DROP INDEX purchases_review;
CREATE INDEX purchases_review ON purchases(org_id, review_date, id);
DROP INDEX purchases_sunset;
CREATE INDEX purchases_sunset ON purchases(org_id, sunset_date, id);
