//! `/account`: account settings — the account ID, its alias and the IAM users' sign-in URL,
//! and the account password policy.

pub mod alias_panel;
pub mod api;
pub mod page;
pub mod password_policy_form;
pub mod password_policy_panel;
