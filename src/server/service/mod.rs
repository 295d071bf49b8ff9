//! The service layer: one function per operation. Each authorizes the caller, validates input,
//! acts on the store in one transaction and returns domain values or a `ServiceError`. Both
//! front doors (console server functions, the Query API) call these and nothing else.

pub mod access_keys;
pub mod account_alias;
pub mod account_summary;
pub mod accounts;
pub mod api_keys;
pub mod attachments;
pub mod audit;
pub mod audit_export;
pub mod audit_log;
pub mod audit_signin;
pub mod authorization_details;
pub mod authorize;
pub mod aws_managed;
pub mod boundaries;
pub mod bounded_map;
pub mod caller;
pub mod console_sessions;
pub mod cpu_work;
pub mod credential_owner;
pub mod device_id;
pub mod entities;
pub mod entity_lookup;
pub mod error;
pub mod groups;
pub mod iam;
pub mod ids;
pub mod inline_policies;
pub mod key_use;
pub mod mfa;
pub mod mfa_check;
pub mod operation;
pub mod paging;
pub mod passwords;
pub mod permissions;
pub mod policies;
pub mod policy_sets;
pub mod principal_now;
pub mod resource_tags;
pub mod roles;
pub mod signin;
pub mod signing_keys;
pub mod simulation;
pub mod sts;
pub mod tagging;
pub mod throttle;
pub mod trust_principals;
pub mod user_detail;
pub mod user_mfa;
pub mod user_views;
pub mod users;

pub use caller::{Caller, RequestInfo};
pub use error::{InternalError, ServiceError};
pub use iam::Iam;
pub use operation::{Authorized, Operation};
