//! "My security credentials": the signed-in user's own MFA device (passwords and access keys
//! join it later).

pub mod api;
pub mod mfa_panel;
pub mod page;
