-- The federation endpoint's sign-in tokens (Action=getSigninToken): single-use, valid 15
-- minutes, kept only as a hash. `session` is JSON of the console session the token opens.
CREATE TABLE signin_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    session    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX signin_tokens_by_expiry ON signin_tokens (expires_at);
