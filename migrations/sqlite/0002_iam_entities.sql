-- IAM users, groups, roles, managed and inline policies, attachments, tags and the audit log.
-- Names are unique per account ignoring case (`name_key` is the lowercase name).

-- Bumped in the same transaction as any change that can alter a principal's effective
-- policies, so every server instance knows when its cached policy sets are stale.
ALTER TABLE accounts ADD COLUMN authz_generation INTEGER NOT NULL DEFAULT 0;

CREATE TABLE users (
    user_id                  TEXT PRIMARY KEY NOT NULL,
    account_id               TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                     TEXT NOT NULL,
    name_key                 TEXT NOT NULL,
    path                     TEXT NOT NULL,
    permissions_boundary_arn TEXT,
    created_at               INTEGER NOT NULL,
    UNIQUE (account_id, name_key)
);

CREATE TABLE groups (
    group_id   TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    path       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, name_key)
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE roles (
    role_id                  TEXT PRIMARY KEY NOT NULL,
    account_id               TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                     TEXT NOT NULL,
    name_key                 TEXT NOT NULL,
    path                     TEXT NOT NULL,
    description              TEXT,
    max_session_duration     INTEGER NOT NULL,
    assume_role_policy       TEXT NOT NULL,
    permissions_boundary_arn TEXT,
    created_at               INTEGER NOT NULL,
    last_used_at             INTEGER,
    last_used_region         TEXT,
    UNIQUE (account_id, name_key)
);

-- Customer managed policies. AWS managed policies are built in and never stored.
CREATE TABLE managed_policies (
    policy_id          TEXT PRIMARY KEY NOT NULL,
    account_id         TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    name_key           TEXT NOT NULL,
    path               TEXT NOT NULL,
    arn                TEXT NOT NULL UNIQUE,
    description        TEXT,
    default_version_id TEXT NOT NULL,
    -- Version numbers are never reused: v1, v2, ... even after deletions.
    next_version       INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (account_id, name_key)
);

CREATE TABLE policy_versions (
    policy_id  TEXT NOT NULL REFERENCES managed_policies (policy_id) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    document   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);

-- Managed policies (customer or AWS) attached to users, groups and roles.
-- entity_type: 'user' | 'group' | 'role'.
CREATE TABLE policy_attachments (
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    policy_arn  TEXT NOT NULL,
    attached_at INTEGER NOT NULL,
    PRIMARY KEY (entity_type, entity_id, policy_arn)
);

CREATE INDEX policy_attachments_by_policy ON policy_attachments (account_id, policy_arn);

-- Inline policies, embedded in one user, group or role. Names are case-sensitive.
CREATE TABLE inline_policies (
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    document    TEXT NOT NULL,
    PRIMARY KEY (entity_type, entity_id, name)
);

-- Tags on users, roles and customer managed policies ('user' | 'role' | 'policy').
CREATE TABLE tags (
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    key_lower   TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (entity_type, entity_id, key_lower)
);

-- Every console action and API call: who, what, on which resource, and how it ended.
CREATE TABLE audit_events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_time    INTEGER NOT NULL,
    account_id    TEXT NOT NULL,
    principal_arn TEXT NOT NULL,
    access_key_id TEXT,
    action        TEXT NOT NULL,
    resource_arn  TEXT NOT NULL,
    -- 'Success' or the AWS error code.
    result        TEXT NOT NULL,
    source_ip     TEXT,
    user_agent    TEXT,
    request_id    TEXT NOT NULL
);

CREATE INDEX audit_events_by_account ON audit_events (account_id, seq);
