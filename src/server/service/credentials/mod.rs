//! Credentials of IAM users and of the root user: access keys, console passwords and virtual
//! MFA devices, and the one way each secret is checked.

pub mod access_keys;
pub mod api_keys;
pub mod credential_owner;
pub mod mfa;
pub mod mfa_check;
pub mod passwords;
pub mod user_mfa;
