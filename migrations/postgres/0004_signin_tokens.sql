-- The federation endpoint's sign-in tokens (Action=getSigninToken): single-use, valid 15
-- minutes, kept only as a hash. `session` is JSON of the console session the token opens.
CREATE TABLE signin_tokens (
    token_hash TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    session    TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX signin_tokens_by_expiry ON signin_tokens (expires_at);
