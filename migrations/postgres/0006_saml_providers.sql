-- SAML 2.0 identity providers an account trusts (IAM's saml-provider resources), named by the
-- name given at creation. `metadata` is the document as uploaded; `entity_id` and
-- `signing_certificates` (a JSON array of base64 DER X.509 certificates) are what was read from
-- it, so that checking an assertion never parses the document again. `valid_until` is the
-- metadata's own expiry, in milliseconds. Their tags live in `tags` under 'saml-provider'.
CREATE TABLE saml_providers (
    account_id           TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                 TEXT COLLATE "C" NOT NULL,
    provider_uuid        TEXT COLLATE "C" NOT NULL,
    metadata             TEXT COLLATE "C" NOT NULL,
    entity_id            TEXT COLLATE "C" NOT NULL,
    signing_certificates TEXT COLLATE "C" NOT NULL,
    valid_until          BIGINT NOT NULL,
    created_at           BIGINT NOT NULL,
    PRIMARY KEY (account_id, name)
);

-- Assertions the console's assertion consumer service (POST /saml) has accepted, by a hash of
-- the issuer and the assertion's ID, until the assertion expires: each is accepted once.
CREATE TABLE saml_assertions_used (
    assertion_hash TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    expires_at     BIGINT NOT NULL
);

CREATE INDEX saml_assertions_used_by_expiry ON saml_assertions_used (expires_at);
