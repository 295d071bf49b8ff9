//! Requests Ferriam itself makes to the outside: identity providers' discovery documents and
//! signing keys. Anyone allowed to register a provider chooses these URLs, so every fetch goes
//! through the rules here (SSRF defences): HTTPS only (plain HTTP only to loopback, and only
//! when the operator allows it), no private, loopback or link-local addresses unless the
//! operator allows them, no redirects, a timeout and a size limit.

pub mod addresses;
pub mod fetch;
pub mod tls;

pub use fetch::{get, post_form, FetchError, FetchRules, Fetched, FormPost};
