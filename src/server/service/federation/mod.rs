//! Identity federation: the OpenID Connect providers an account trusts (IAM's
//! `…OpenIDConnectProvider` operations), their signing keys (fetched, cached, refreshed), the
//! verification of the ID tokens they issue, and STS's `AssumeRoleWithWebIdentity`, which
//! trades such a token for a role's temporary credentials.

pub mod console_broker;
pub mod federation_token;
pub mod id_token;
pub mod identity_keys;
pub mod oidc_providers;
pub mod unsigned_limit;
pub mod web_identity;
