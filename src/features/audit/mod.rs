//! The audit log in the console: events newest first, filtered and paged on the server, and
//! exports of the filtered set (served by `server::http::audit_export`).

pub mod api;
pub mod page;
