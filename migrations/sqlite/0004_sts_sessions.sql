-- Temporary credentials issued by STS (AssumeRole, GetSessionToken). The secret is sealed under
-- the master key; only a SHA-256 of the session token is kept, to check X-Amz-Security-Token.
CREATE TABLE sts_sessions (
    access_key_id        TEXT PRIMARY KEY NOT NULL,
    account_id           TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    sealed_secret        BLOB NOT NULL,
    session_token_hash   TEXT NOT NULL,
    -- The principal the credentials act as (JSON of the domain Principal).
    principal            TEXT NOT NULL,
    -- The session policy passed to AssumeRole, if any.
    session_policy       TEXT,
    mfa_authenticated_at INTEGER,
    created_at           INTEGER NOT NULL,
    expires_at           INTEGER NOT NULL
);

CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);
