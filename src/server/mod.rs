//! Everything that runs only on the server: configuration, storage, the service layer and the
//! HTTP front doors. Gated once here (`#[cfg(feature = "ssr")]` in lib.rs), never item by item.

pub mod app_state;
pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
pub mod crypto;
pub mod digest;
pub mod http;
pub mod master_key;
pub mod metrics;
pub mod outbound;
pub mod passwords;
pub mod query_api;
pub mod service;
pub mod session;
pub mod session_record;
pub mod store;
pub mod telemetry;

pub use app_state::AppState;
