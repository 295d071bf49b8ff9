//! The account itself: creating it, its alias, and its summary of entities and quotas.

pub mod accounts;
pub mod alias;
pub mod summary;
