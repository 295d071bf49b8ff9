//! Pure domain types and rules: identifiers, names and credentials that validate on parse.
//! No I/O, no clock, no randomness: time and random values are parameters. Compiles to wasm too,
//! so the console's forms check input with exactly the server's rules.

pub mod account;
pub mod arn;
pub mod audit_query;
pub mod console_session;
pub mod email;
pub mod entity_kind;
pub mod entity_requests;
pub mod iam_models;
pub mod iam_names;
pub mod invalid;
pub mod oidc_provider;
pub mod password;
pub mod password_generator;
pub mod password_policy;
pub mod principal;
pub mod read_models;
pub mod saml_provider;
pub mod session_tags;
pub mod tags;
pub mod throttle;
#[cfg(feature = "totp")]
pub mod totp;
pub mod unique_id;

pub use account::{AccountAlias, AccountId};
pub use email::Email;
pub use entity_kind::EntityKind;
pub use iam_names::{GroupName, IamPath, InstanceProfileName, PolicyName, RoleName, UserName};
pub use invalid::{AllValid, Invalid};
pub use principal::{Principal, PrincipalKind};
