-- Ferriam's schema on PostgreSQL: the tables the SQLite migrations 0001–0008 build, as they
-- stand after the last of them. The queries are shared through sqlx's Any driver, so the types
-- are the ones both databases read alike: times are Unix milliseconds and flags 0/1 in BIGINT,
-- secrets BYTEA. Text compares byte by byte (COLLATE "C"), as SQLite compares it, so orderings
-- and the markers that page through them agree on both databases.

CREATE TABLE accounts (
    account_id         TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    alias              TEXT COLLATE "C" UNIQUE,
    root_email         TEXT COLLATE "C" NOT NULL,
    -- Lowercase email: two addresses differing only in case are one root user.
    root_email_key     TEXT COLLATE "C" NOT NULL UNIQUE,
    root_password_hash TEXT COLLATE "C" NOT NULL,
    created_at         BIGINT NOT NULL,
    -- Bumped in the same transaction as any change that can alter a principal's effective
    -- policies, so every server instance knows when its cached policy sets are stale.
    authz_generation   BIGINT NOT NULL DEFAULT 0
);

-- Virtual MFA devices, with a name and path, unassigned (owner '') until EnableMFADevice.
-- The seed is sealed (AES-256-GCM) under the master key.
CREATE TABLE mfa_devices (
    account_id     TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    serial_number  TEXT COLLATE "C" NOT NULL,
    name           TEXT COLLATE "C" NOT NULL,
    path           TEXT COLLATE "C" NOT NULL,
    sealed_seed    BYTEA NOT NULL,
    -- 'root', a user ID, or '' while unassigned.
    owner          TEXT COLLATE "C" NOT NULL,
    enabled_at     BIGINT,
    -- The last TOTP step accepted: no step at or before it is accepted again.
    last_used_step BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (account_id, serial_number)
);

CREATE INDEX mfa_devices_by_owner ON mfa_devices (account_id, owner);

-- Console sessions (tower-sessions records). The key is a SHA-256 of the session ID, so the
-- table alone cannot be replayed as cookies.
CREATE TABLE sessions (
    id_hash       TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    data          BYTEA NOT NULL,
    expires_at    BIGINT NOT NULL,
    principal_arn TEXT COLLATE "C"
);

CREATE INDEX sessions_by_principal ON sessions (principal_arn);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- IAM users, groups and roles. Names are unique per account ignoring case (`name_key` is the
-- lowercase name).
CREATE TABLE users (
    user_id                  TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id               TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                     TEXT COLLATE "C" NOT NULL,
    name_key                 TEXT COLLATE "C" NOT NULL,
    path                     TEXT COLLATE "C" NOT NULL,
    permissions_boundary_arn TEXT COLLATE "C",
    created_at               BIGINT NOT NULL,
    UNIQUE (account_id, name_key)
);

CREATE TABLE groups (
    group_id   TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name       TEXT COLLATE "C" NOT NULL,
    name_key   TEXT COLLATE "C" NOT NULL,
    path       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, name_key)
);

CREATE TABLE group_members (
    group_id TEXT COLLATE "C" NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    user_id  TEXT COLLATE "C" NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE roles (
    role_id                  TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id               TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                     TEXT COLLATE "C" NOT NULL,
    name_key                 TEXT COLLATE "C" NOT NULL,
    path                     TEXT COLLATE "C" NOT NULL,
    description              TEXT COLLATE "C",
    max_session_duration     BIGINT NOT NULL,
    assume_role_policy       TEXT COLLATE "C" NOT NULL,
    permissions_boundary_arn TEXT COLLATE "C",
    created_at               BIGINT NOT NULL,
    last_used_at             BIGINT,
    last_used_region         TEXT COLLATE "C",
    UNIQUE (account_id, name_key)
);

-- Customer managed policies. AWS managed policies are built in and never stored.
CREATE TABLE managed_policies (
    policy_id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id         TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name               TEXT COLLATE "C" NOT NULL,
    name_key           TEXT COLLATE "C" NOT NULL,
    path               TEXT COLLATE "C" NOT NULL,
    arn                TEXT COLLATE "C" NOT NULL UNIQUE,
    description        TEXT COLLATE "C",
    default_version_id TEXT COLLATE "C" NOT NULL,
    -- Version numbers are never reused: v1, v2, ... even after deletions.
    next_version       BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (account_id, name_key)
);

CREATE TABLE policy_versions (
    policy_id  TEXT COLLATE "C" NOT NULL REFERENCES managed_policies (policy_id) ON DELETE CASCADE,
    version_id TEXT COLLATE "C" NOT NULL,
    document   TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);

-- Managed policies (customer or AWS) attached to users, groups and roles.
-- entity_type: 'user' | 'group' | 'role'.
CREATE TABLE policy_attachments (
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    entity_type TEXT COLLATE "C" NOT NULL,
    entity_id   TEXT COLLATE "C" NOT NULL,
    policy_arn  TEXT COLLATE "C" NOT NULL,
    attached_at BIGINT NOT NULL,
    PRIMARY KEY (entity_type, entity_id, policy_arn)
);

CREATE INDEX policy_attachments_by_policy ON policy_attachments (account_id, policy_arn);

-- Inline policies, embedded in one user, group or role. Names are case-sensitive.
CREATE TABLE inline_policies (
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    entity_type TEXT COLLATE "C" NOT NULL,
    entity_id   TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    document    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (entity_type, entity_id, name)
);

-- Tags on users, roles and customer managed policies ('user' | 'role' | 'policy').
CREATE TABLE tags (
    entity_type TEXT COLLATE "C" NOT NULL,
    entity_id   TEXT COLLATE "C" NOT NULL,
    key_lower   TEXT COLLATE "C" NOT NULL,
    key         TEXT COLLATE "C" NOT NULL,
    value       TEXT COLLATE "C" NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (entity_type, entity_id, key_lower)
);

-- Access keys of IAM users and of the root user (owner 'root'). The secret is sealed
-- (AES-256-GCM) under the master key: SigV4 needs it back, nothing ever shows it again.
CREATE TABLE access_keys (
    access_key_id     TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id        TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    owner             TEXT COLLATE "C" NOT NULL,
    sealed_secret     BYTEA NOT NULL,
    -- 'Active' | 'Inactive'
    status            TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT NOT NULL,
    last_used_at      BIGINT,
    last_used_service TEXT COLLATE "C",
    last_used_region  TEXT COLLATE "C"
);

CREATE INDEX access_keys_by_owner ON access_keys (account_id, owner);

-- A user's console password.
CREATE TABLE login_profiles (
    user_id                 TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    password_hash           TEXT COLLATE "C" NOT NULL,
    password_reset_required BIGINT NOT NULL,
    password_set_at         BIGINT NOT NULL,
    created_at              BIGINT NOT NULL,
    password_last_used      BIGINT
);

-- Earlier password hashes, for the policy's reuse prevention (the newest 24 are kept).
-- `rowid` stands in for SQLite's implicit one, so the queries order passwords set in the same
-- millisecond alike on both backends.
CREATE TABLE password_history (
    rowid         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    password_hash TEXT COLLATE "C" NOT NULL,
    set_at        BIGINT NOT NULL
);

CREATE INDEX password_history_by_user ON password_history (user_id, set_at);

-- The account password policy; no row means AWS's default rules.
CREATE TABLE password_policies (
    account_id                     TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    minimum_password_length        BIGINT NOT NULL,
    require_symbols                BIGINT NOT NULL,
    require_numbers                BIGINT NOT NULL,
    require_uppercase_characters   BIGINT NOT NULL,
    require_lowercase_characters   BIGINT NOT NULL,
    allow_users_to_change_password BIGINT NOT NULL,
    max_password_age               BIGINT,
    password_reuse_prevention      BIGINT,
    hard_expiry                    BIGINT NOT NULL
);

-- Temporary credentials issued by STS. The secret is sealed under the master key; only a
-- SHA-256 of the session token is kept, to check X-Amz-Security-Token.
CREATE TABLE sts_sessions (
    access_key_id        TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    account_id           TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    sealed_secret        BYTEA NOT NULL,
    session_token_hash   TEXT COLLATE "C" NOT NULL,
    -- The principal the credentials act as (JSON of the domain Principal).
    principal            TEXT COLLATE "C" NOT NULL,
    -- The session policy passed to AssumeRole, if any.
    session_policy       TEXT COLLATE "C",
    mfa_authenticated_at BIGINT,
    created_at           BIGINT NOT NULL,
    expires_at           BIGINT NOT NULL,
    -- AssumeRole's managed session policies (PolicyArns): a JSON array of policy ARNs.
    session_policy_arns  TEXT COLLATE "C",
    -- The long-term identity behind the credentials; live sessions are capped per issuer.
    issuer               TEXT COLLATE "C" NOT NULL DEFAULT ''
);

CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);
CREATE INDEX sts_sessions_by_issuer ON sts_sessions (issuer, expires_at);

-- Guessing defences: one row per throttled key (a SHA-256 of "kind:subject").
CREATE TABLE signin_throttle (
    key_hash             TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    consecutive_failures BIGINT NOT NULL,
    window_started_at    BIGINT NOT NULL,
    window_failures      BIGINT NOT NULL,
    locked_until         BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);

CREATE INDEX signin_throttle_by_update ON signin_throttle (updated_at);

-- Source addresses a principal signed in from with a correct password (both hashed).
CREATE TABLE signin_known_sources (
    principal_hash  TEXT COLLATE "C" NOT NULL,
    source_hash     TEXT COLLATE "C" NOT NULL,
    last_success_at BIGINT NOT NULL,
    PRIMARY KEY (principal_hash, source_hash)
);

-- Every console action and API call, as a hash chain: each record carries the SHA-256 of its
-- canonical encoding and of the previous record's hash.
CREATE TABLE audit_events (
    seq           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    event_time    BIGINT NOT NULL,
    account_id    TEXT COLLATE "C" NOT NULL,
    principal_arn TEXT COLLATE "C" NOT NULL,
    access_key_id TEXT COLLATE "C",
    action        TEXT COLLATE "C" NOT NULL,
    resource_arn  TEXT COLLATE "C" NOT NULL,
    -- 'Success' or the AWS error code.
    result        TEXT COLLATE "C" NOT NULL,
    source_ip     TEXT COLLATE "C",
    user_agent    TEXT COLLATE "C",
    request_id    TEXT COLLATE "C" NOT NULL,
    principal_id  TEXT COLLATE "C",
    error_message TEXT COLLATE "C",
    reason        TEXT COLLATE "C",
    details       TEXT COLLATE "C",
    prev_hash     TEXT COLLATE "C",
    hash          TEXT COLLATE "C"
);

CREATE INDEX audit_events_by_account ON audit_events (account_id, seq);
CREATE INDEX audit_events_by_principal ON audit_events (account_id, principal_arn, seq);
CREATE INDEX audit_events_by_action ON audit_events (account_id, action, seq);
CREATE INDEX audit_events_by_resource ON audit_events (account_id, resource_arn, seq);
CREATE INDEX audit_events_by_result ON audit_events (account_id, result, seq);
CREATE INDEX audit_events_by_time ON audit_events (account_id, event_time);

-- SECURITY: append-only. A record's fields never change once sealed, and nothing is deleted.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.hash IS NOT NULL THEN
        RAISE EXCEPTION 'audit_events is append-only';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- INVARIANT: a new record links to the newest one, so concurrent writers cannot fork the chain.
-- Writers serialize on the chain's advisory lock (store::audit_chain) before reading its head;
-- this check refuses a record that did not.
CREATE FUNCTION audit_events_chain_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_hash TEXT;
    head_seq  BIGINT;
BEGIN
    SELECT hash, seq INTO head_hash, head_seq FROM audit_events ORDER BY seq DESC LIMIT 1;
    IF NEW.prev_hash IS DISTINCT FROM COALESCE(head_hash,
           '0000000000000000000000000000000000000000000000000000000000000000')
       OR NEW.seq <= COALESCE(head_seq, 0) THEN
        RAISE EXCEPTION 'audit_events: the record does not extend the chain';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_chain_link BEFORE INSERT ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_chain_link();
