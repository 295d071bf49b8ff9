-- Workload tokens: each lets an application get the role credentials of one instance profile
-- from GET /workload/credentials (the AWS SDKs' container-credentials provider), with no access
-- key on its disk. The token itself (256 random bits) is shown once; only its SHA-256 digest is
-- kept (`token_hash`), which a request's token is looked up by. `token_id` names it in lists.
CREATE TABLE workload_tokens (
    token_id            TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id          TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    instance_profile_id TEXT COLLATE "C" NOT NULL REFERENCES instance_profiles (instance_profile_id),
    token_hash          TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at          BIGINT NOT NULL,
    last_used_at        BIGINT,
    uses                BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX workload_tokens_by_profile ON workload_tokens (instance_profile_id);
