//! The service layer: one function per operation. Each authorizes the caller, validates input,
//! acts on the store in one transaction and returns domain values or a `ServiceError`. Both
//! front doors (console server functions, the Query API) call these and nothing else.

pub mod accounts;
pub mod authorize;
pub mod error;
pub mod iam;
pub mod mfa;
pub mod signin;

pub use error::ServiceError;
pub use iam::Iam;
