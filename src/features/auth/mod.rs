//! Signing up, in (password, then MFA code) and out.

pub mod api;
pub mod card;
pub mod mfa_page;
pub mod signin_page;
pub mod signup_page;
