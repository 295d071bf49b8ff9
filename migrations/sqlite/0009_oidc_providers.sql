-- OpenID Connect identity providers an account trusts (IAM's oidc-provider resources), named by
-- their issuer URL without its scheme. Client IDs and thumbprints are JSON arrays, in the order
-- they were added (AWS caps them at 100 and 5). Their tags live in `tags` under the
-- entity type 'oidc-provider' and the provider's ARN.
CREATE TABLE oidc_providers (
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    host_path   TEXT NOT NULL,
    scheme      TEXT NOT NULL,
    client_ids  TEXT NOT NULL,
    thumbprints TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, host_path)
);
