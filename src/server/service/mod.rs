//! The service layer: one function per operation. Each authorizes the caller, validates input,
//! acts on the store in one transaction and returns domain values or a `ServiceError`. Both
//! front doors (console server functions, the Query API) call these and nothing else.

pub mod account;
pub mod audit;
pub mod authorization;
pub mod caches;
pub mod cpu_work;
pub mod credentials;
pub mod database;
pub mod entities;
pub mod error;
pub mod federation;
pub mod iam;
pub mod ids;
pub mod paging;
pub mod policies;
pub mod session_writer;
pub mod signin;
pub mod sts;
pub mod workloads;

pub use authorization::caller::{Caller, RequestInfo};
pub use authorization::operation::{Authorized, Operation};
pub use error::{InternalError, ServiceError};
pub use iam::Iam;
