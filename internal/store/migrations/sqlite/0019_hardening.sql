-- Hardening after the outside probe (issue 15).

-- Each line of the public feed keeps the title that was public when the
-- change happened, so a withdrawn purchase renamed afterwards never shows
-- its internal title. Existing lines take the title their entry has now,
-- or none when the entry is no longer public.
ALTER TABLE register_changes ADD COLUMN title TEXT NOT NULL DEFAULT '';
UPDATE register_changes SET title = COALESCE((SELECT e.title FROM register_entries e WHERE e.purchase_id = register_changes.purchase_id), '');

-- Heads of the audit log as the server published them (at /audit/head and
-- in the register's feed), once an hour when the log has grown. Outsiders
-- keep copies; `audit verify` checks each one kept here against the log.
CREATE TABLE audit_checkpoints (
    last_id BIGINT PRIMARY KEY,
    hash    TEXT NOT NULL,
    at      TIMESTAMP NOT NULL
);

-- The log is append-only for whoever uses this database: rows are never
-- changed or removed, the head only moves forward to the row just
-- written, and published heads stay as published. (Whoever holds the file
-- can drop these triggers; the heads kept outside are what shows it.)
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be removed'); END;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
WHEN NEW.last_id <= OLD.last_id OR NOT EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.last_id AND hash = NEW.hash)
BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward, to a row of the log'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'audit_head cannot be removed'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints cannot be changed'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints cannot be removed'); END;

-- Failed sign-ins, now with where they came from, for growing delays per
-- account, per address and per browser instead of a lock-out. The address
-- is kept only as a SHA-256 (and, like every failure, for a day); device is
-- the SHA-256 of the browser's known-device cookie, '' without one. The
-- old rows (a lock-out count kept for fifteen minutes) are not carried
-- over.
DROP TABLE signin_failures;
CREATE TABLE signin_failures (
    email  TEXT NOT NULL,
    addr   TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    at     TIMESTAMP NOT NULL
);
CREATE INDEX signin_failures_email ON signin_failures(email, at);
CREATE INDEX signin_failures_addr ON signin_failures(addr, at);

-- Browsers that signed in to an account before (OWASP's device cookies):
-- from one of them the person is not slowed down by strangers' failures.
CREATE TABLE signin_devices (
    token_hash TEXT NOT NULL,
    email      TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (token_hash, email)
);

-- Personal API tokens get an access (read, or read and write) and an
-- expiry. Tokens made before keep the access they had (write) and expire
-- 90 days after this migration; the account page shows both.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write'));
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%d %H:%M:%f', 'now', '+90 days') || '+00:00';
