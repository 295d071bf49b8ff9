-- Console single sign-on through an account's OpenID Connect provider: the client Ferriam is at
-- the provider (its ID, one of the provider's audiences, and its secret, sealed under the
-- master key), the words on the sign-in button, and the claim that names the person's session.
-- At most one per provider; it goes when the provider goes.
CREATE TABLE oidc_console_signins (
    account_id    TEXT COLLATE "C" NOT NULL,
    host_path     TEXT COLLATE "C" NOT NULL,
    label         TEXT COLLATE "C" NOT NULL,
    client_id     TEXT COLLATE "C" NOT NULL,
    sealed_secret BYTEA NOT NULL,
    name_claim    TEXT COLLATE "C" NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (account_id, host_path),
    FOREIGN KEY (account_id, host_path) REFERENCES oidc_providers (account_id, host_path) ON DELETE CASCADE
);
