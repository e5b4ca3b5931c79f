-- The purchase list's search box finds text anywhere in a title
-- (LOWER(title) LIKE '%…%'). Without an index that reads every title a
-- user may see: seconds at a million purchases. pg_trgm's GIN index
-- answers the same LIKE from trigrams, so the query and its results do
-- not change.
--
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, but
-- creating it needs the CREATE right on the database. Where it cannot be
-- created the migration goes on without the index: the search still
-- works, by reading every title. README, "Running on PostgreSQL", says
-- how to add it later. The extension is database-wide, so it is created
-- in the schema public when it can (a schema dropped later does not take
-- it along) and found wherever it is; the lock keeps two schemas
-- migrating at once from creating it twice.
DO $$
BEGIN
    PERFORM pg_advisory_xact_lock(7240002);
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
                CREATE EXTENSION pg_trgm SCHEMA public;
            ELSE
                CREATE EXTENSION pg_trgm;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm could not be created (%): the purchase title search will read every title', SQLERRM;
        END;
    END IF;
END $$;

DO $$
DECLARE
    ext_schema TEXT;
BEGIN
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX purchases_title_trgm ON purchases USING gin (LOWER(title) %I.gin_trgm_ops)', ext_schema);
    END IF;
END $$;
