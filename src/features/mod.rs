//! The console: one folder per area, each with its server functions (`api.rs`) and pages.

pub mod account;
pub mod audit;
pub mod auth;
pub mod console;
pub mod credentials;
pub mod dashboard;
pub mod entities;
pub mod groups;
pub mod identity_providers;
pub mod policies;
pub mod roles;
pub mod security_credentials;
pub mod ui;
pub mod users;
