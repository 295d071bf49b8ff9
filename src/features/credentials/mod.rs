//! Credentials panels shared by a user's "Security credentials" tab and "My security
//! credentials": console password, access keys (secret shown once, with copy and .csv) and
//! virtual MFA devices. `user_name: None` always means the signed-in principal itself.

pub mod access_keys_panel;
pub mod console_password_panel;
pub mod csv;
pub mod keys_api;
pub mod mfa_api;
pub mod mfa_setup;
pub mod model;
pub mod new_key_dialog;
pub mod own_password_panel;
pub mod password_api;
pub mod refresh;
pub mod user_mfa_panel;
