//! Signing up, in (root or IAM user; password, then MFA code, then a new password when due)
//! and out.

pub mod api;
pub mod card;
pub mod mfa_page;
pub mod new_password_page;
pub mod signin_page;
pub mod signup_page;
pub mod user_signin_page;
