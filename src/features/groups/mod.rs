//! IAM user groups in the console: list and search, create with policies, and a group's page
//! with its members and permissions; rename and delete.

pub mod api;
pub mod create_page;
pub mod detail_page;
pub mod list_page;
pub mod members_tab;
