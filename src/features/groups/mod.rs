//! IAM user groups in the console: create with policies, and a group's page with its members and
//! permissions; rename and delete. The list, and what groups share with users and roles, are in
//! `features::entities`; `api` also serves group membership, which both sides' pages change.

pub mod api;
pub mod create_page;
pub mod detail_page;
