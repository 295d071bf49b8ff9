//! The console's home: the account, its IAM-user sign-in URL and its security status.

pub mod api;
pub mod page;
