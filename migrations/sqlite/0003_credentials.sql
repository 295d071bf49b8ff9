-- Credentials: access keys, console passwords (login profiles) and their history, the account
-- password policy, and virtual MFA devices that exist before they are assigned to a user.

-- Access keys of IAM users and of the root user (owner 'root'). The secret is sealed
-- (AES-256-GCM) under the master key: SigV4 needs it back, nothing ever shows it again.
CREATE TABLE access_keys (
    access_key_id     TEXT PRIMARY KEY NOT NULL,
    account_id        TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    owner             TEXT NOT NULL,
    sealed_secret     BLOB NOT NULL,
    -- 'Active' | 'Inactive'
    status            TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    last_used_at      INTEGER,
    last_used_service TEXT,
    last_used_region  TEXT
);

CREATE INDEX access_keys_by_owner ON access_keys (account_id, owner);

-- A user's console password.
CREATE TABLE login_profiles (
    user_id                 TEXT PRIMARY KEY NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    password_hash           TEXT NOT NULL,
    password_reset_required INTEGER NOT NULL,
    password_set_at         INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    password_last_used      INTEGER
);

-- Earlier password hashes, for the policy's reuse prevention (the newest 24 are kept).
CREATE TABLE password_history (
    user_id       TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    set_at        INTEGER NOT NULL
);

CREATE INDEX password_history_by_user ON password_history (user_id, set_at);

-- The account password policy; no row means AWS's default rules.
CREATE TABLE password_policies (
    account_id                     TEXT PRIMARY KEY NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    minimum_password_length        INTEGER NOT NULL,
    require_symbols                INTEGER NOT NULL,
    require_numbers                INTEGER NOT NULL,
    require_uppercase_characters   INTEGER NOT NULL,
    require_lowercase_characters   INTEGER NOT NULL,
    allow_users_to_change_password INTEGER NOT NULL,
    max_password_age               INTEGER,
    password_reuse_prevention      INTEGER,
    hard_expiry                    INTEGER NOT NULL
);

-- Virtual MFA devices now have a name and path of their own and may exist unassigned
-- (owner ''), as CreateVirtualMFADevice makes them; EnableMFADevice assigns one to a user.
CREATE TABLE mfa_devices_v2 (
    account_id     TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    serial_number  TEXT NOT NULL,
    name           TEXT NOT NULL,
    path           TEXT NOT NULL,
    sealed_seed    BLOB NOT NULL,
    -- 'root', a user ID, or '' while unassigned.
    owner          TEXT NOT NULL,
    enabled_at     INTEGER,
    last_used_step INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (account_id, serial_number)
);

INSERT INTO mfa_devices_v2 (account_id, serial_number, name, path, sealed_seed, owner, enabled_at, last_used_step, created_at)
SELECT account_id, serial_number, 'root-account-mfa-device', '/', sealed_seed,
       CASE WHEN enabled_at IS NULL THEN '' ELSE owner END, enabled_at, last_used_step, created_at
FROM mfa_devices;

DROP TABLE mfa_devices;
ALTER TABLE mfa_devices_v2 RENAME TO mfa_devices;
CREATE INDEX mfa_devices_by_owner ON mfa_devices (account_id, owner);
