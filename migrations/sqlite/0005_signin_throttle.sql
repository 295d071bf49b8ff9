-- Guessing defences: one row per throttled key (a SHA-256 of "kind:subject", so the table does
-- not list the emails and addresses that were tried). Failures are counted before the costly
-- check and taken back on success, so concurrent guesses cannot slip past the count.
CREATE TABLE signin_throttle (
    key_hash             TEXT PRIMARY KEY NOT NULL,
    -- Failures since the last success (or since the row was created).
    consecutive_failures INTEGER NOT NULL,
    -- The fixed one-hour window the hourly cap counts in.
    window_started_at    INTEGER NOT NULL,
    window_failures      INTEGER NOT NULL,
    -- Attempts before this time (Unix milliseconds) are refused without being checked.
    locked_until         INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

CREATE INDEX signin_throttle_by_update ON signin_throttle (updated_at);

-- Source addresses a principal signed in from with a correct password (both hashed): they
-- stay usable when guessing from elsewhere has used up the principal's hourly allowance.
CREATE TABLE signin_known_sources (
    principal_hash TEXT NOT NULL,
    source_hash    TEXT NOT NULL,
    last_success_at INTEGER NOT NULL,
    PRIMARY KEY (principal_hash, source_hash)
);
