-- Foundation: accounts with their root users, virtual MFA devices, console sessions.
-- Times are Unix milliseconds (INTEGER) and flags integers, so the same queries run on
-- PostgreSQL through sqlx's Any driver.

CREATE TABLE accounts (
    account_id         TEXT PRIMARY KEY NOT NULL,
    alias              TEXT UNIQUE,
    root_email         TEXT NOT NULL,
    -- Lowercase email: two addresses differing only in case are one root user.
    root_email_key     TEXT NOT NULL UNIQUE,
    root_password_hash TEXT NOT NULL,
    created_at         INTEGER NOT NULL
);

-- Virtual MFA devices. The seed is sealed (AES-256-GCM) under the master key.
CREATE TABLE mfa_devices (
    account_id     TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    serial_number  TEXT NOT NULL,
    sealed_seed    BLOB NOT NULL,
    -- 'root' for the root user's device.
    owner          TEXT NOT NULL,
    -- NULL until two consecutive codes enable it.
    enabled_at     INTEGER,
    -- The last TOTP step accepted: no step at or before it is accepted again.
    last_used_step INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (account_id, serial_number)
);

CREATE INDEX mfa_devices_by_owner ON mfa_devices (account_id, owner);

-- Console sessions (tower-sessions records). The key is a SHA-256 of the session ID, so the
-- table alone cannot be replayed as cookies.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY NOT NULL,
    data          BLOB NOT NULL,
    expires_at    INTEGER NOT NULL,
    principal_arn TEXT
);

CREATE INDEX sessions_by_principal ON sessions (principal_arn);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
