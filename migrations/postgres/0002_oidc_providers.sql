-- OpenID Connect identity providers an account trusts (IAM's oidc-provider resources), named by
-- their issuer URL without its scheme. Client IDs and thumbprints are JSON arrays, in the order
-- they were added (AWS caps them at 100 and 5). Their tags live in `tags` under the
-- entity type 'oidc-provider' and the provider's ARN.
CREATE TABLE oidc_providers (
    account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    host_path   TEXT COLLATE "C" NOT NULL,
    scheme      TEXT COLLATE "C" NOT NULL,
    client_ids  TEXT COLLATE "C" NOT NULL,
    thumbprints TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (account_id, host_path)
);
