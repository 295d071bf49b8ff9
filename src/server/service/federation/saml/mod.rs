//! SAML 2.0 federation: the providers an account registers (IAM's `…SAMLProvider`
//! operations), their metadata and Ferriam's own, the checking of the responses they sign, and
//! STS's `AssumeRoleWithSAML`, which trades such a response for a role's temporary credentials,
//! and console sign-in with such a response posted to `POST /saml`.

pub mod assume_role;
pub mod console_signin;
pub mod metadata;
pub mod providers;
pub mod response;
pub mod xml;
