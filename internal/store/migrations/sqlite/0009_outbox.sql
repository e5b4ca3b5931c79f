-- E-mail waiting to be sent. A change that should notify someone writes a
-- row here in its own transaction; a background worker sends due rows over
-- SMTP and retries failures with a growing delay, so a mail server that is
-- down loses nothing. dedupe_key stops the same reminder being queued
-- twice (e.g. "review:12:2027-03-01").
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    dedupe_key   TEXT NOT NULL UNIQUE,
    to_addr      TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    next_try_at  TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    sent_at      TIMESTAMP,
    failed_at    TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(next_try_at) WHERE sent_at IS NULL AND failed_at IS NULL;
