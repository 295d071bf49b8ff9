-- SAML 2.0 identity providers an account trusts (IAM's saml-provider resources), named by the
-- name given at creation. `metadata` is the document as uploaded; `entity_id` and
-- `signing_certificates` (a JSON array of base64 DER X.509 certificates) are what was read from
-- it, so that checking an assertion never parses the document again. `valid_until` is the
-- metadata's own expiry, in milliseconds. Their tags live in `tags` under 'saml-provider'.
CREATE TABLE saml_providers (
    account_id           TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    provider_uuid        TEXT NOT NULL,
    metadata             TEXT NOT NULL,
    entity_id            TEXT NOT NULL,
    signing_certificates TEXT NOT NULL,
    valid_until          INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    PRIMARY KEY (account_id, name)
);

-- Assertions the console's assertion consumer service (POST /saml) has accepted, by a hash of
-- the issuer and the assertion's ID, until the assertion expires: each is accepted once.
CREATE TABLE saml_assertions_used (
    assertion_hash TEXT PRIMARY KEY NOT NULL,
    expires_at     INTEGER NOT NULL
);

CREATE INDEX saml_assertions_used_by_expiry ON saml_assertions_used (expires_at);
