//! Identity federation: the OpenID Connect providers an account trusts (IAM's
//! `…OpenIDConnectProvider` operations), their signing keys (fetched, cached, refreshed), the
//! verification of the ID tokens they issue, and STS's `AssumeRoleWithWebIdentity`, which
//! trades such a token for a role's temporary credentials; console single sign-on through such a
//! provider; the same for SAML 2.0 providers (`saml`); and the custom broker's federation
//! endpoint.

pub mod console_broker;
pub mod console_signin;
pub mod discovery;
pub mod federation_token;
pub mod id_token;
pub mod identity_keys;
pub mod oidc_providers;
pub mod saml;
pub mod single_sign_on;
pub mod unsigned_limit;
pub mod web_identity;
