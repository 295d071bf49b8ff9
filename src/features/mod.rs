//! The console: one folder per area, each with its server functions (`api.rs`) and pages.

pub mod auth;
pub mod console;
pub mod dashboard;
pub mod policies;
pub mod security_credentials;
pub mod ui;
