-- Uploaded files are content-addressed: one copy of the same bytes, kept
-- in bounded chunks so that neither storing nor serving a file holds it
-- whole in memory, and so that any app server serves what another stored.
-- Chunks being written carry a "pending:<unix seconds>:<random>" key until
-- the file is complete and its SHA-256 known; a chunk of a failed upload
-- is swept once old.
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,
    size       BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE blob_chunks (
    blob TEXT NOT NULL,
    n    INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (blob, n)
);

-- Every file table names its bytes by hash (purchase_files already did).
ALTER TABLE complaint_files ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE complaint_files ADD COLUMN size BIGINT NOT NULL DEFAULT 0;
UPDATE complaint_files SET sha256 = encode(sha256(data), 'hex'), size = length(data);
ALTER TABLE consultation_files ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE consultation_files ADD COLUMN size BIGINT NOT NULL DEFAULT 0;
UPDATE consultation_files SET sha256 = encode(sha256(data), 'hex'), size = length(data);
ALTER TABLE lab_materials ADD COLUMN file_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE lab_materials ADD COLUMN file_size BIGINT NOT NULL DEFAULT 0;
UPDATE lab_materials SET file_sha256 = encode(sha256(file_data), 'hex'), file_size = length(file_data)
    WHERE file_data IS NOT NULL AND length(file_data) > 0;

-- The bytes move to the blob store, cut in 256 KiB chunks.
CREATE TEMP TABLE stateless_files ON COMMIT DROP AS
    SELECT sha256, size, data FROM purchase_files
    UNION ALL SELECT sha256, size, data FROM complaint_files
    UNION ALL SELECT sha256, size, data FROM consultation_files
    UNION ALL SELECT file_sha256, file_size, file_data FROM lab_materials WHERE file_sha256 <> '';
INSERT INTO blobs (sha256, size, created_at)
    SELECT sha256, MAX(size), now() FROM stateless_files GROUP BY sha256;
INSERT INTO blob_chunks (blob, n, data)
    SELECT f.sha256, k.i, substring(f.data FROM k.i * 262144 + 1 FOR 262144)
    FROM stateless_files f CROSS JOIN LATERAL generate_series(0, (length(f.data) - 1) / 262144) AS k(i)
    WHERE length(f.data) > 0
    ON CONFLICT (blob, n) DO NOTHING;

ALTER TABLE purchase_files DROP COLUMN data;
ALTER TABLE complaint_files DROP COLUMN data;
ALTER TABLE consultation_files DROP COLUMN data;
ALTER TABLE lab_materials DROP COLUMN file_data;

-- The sweep of unnamed blobs looks for rows naming a hash.
CREATE INDEX purchase_files_sha256 ON purchase_files(sha256);
CREATE INDEX complaint_files_sha256 ON complaint_files(sha256);
CREATE INDEX consultation_files_sha256 ON consultation_files(sha256);
CREATE INDEX lab_materials_file_sha256 ON lab_materials(file_sha256);

-- Rate limits per visitor's address (sign-in attempts, complaints filed,
-- receipt-code guesses...), kept here so that every app server counts the
-- same attempts: a token bucket per limit and hashed key.
CREATE TABLE rate_buckets (
    name   TEXT NOT NULL,
    key    TEXT NOT NULL,
    tokens DOUBLE PRECISION NOT NULL,
    last   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (name, key)
);
CREATE INDEX rate_buckets_last ON rate_buckets(last);
