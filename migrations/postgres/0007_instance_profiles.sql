-- Instance profiles (IAM's instance-profile resources): a named container, by path, for at
-- most one role (`role_id`), which a workload running as the profile gets credentials for.
-- Names are unique per account ignoring case (`name_key`), as for roles. Their tags live in
-- `tags` under 'instance-profile'.
CREATE TABLE instance_profiles (
    instance_profile_id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id          TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                TEXT COLLATE "C" NOT NULL,
    name_key            TEXT COLLATE "C" NOT NULL,
    path                TEXT COLLATE "C" NOT NULL,
    role_id             TEXT COLLATE "C" REFERENCES roles (role_id),
    created_at          BIGINT NOT NULL,
    UNIQUE (account_id, name_key)
);

CREATE INDEX instance_profiles_by_role ON instance_profiles (role_id);
