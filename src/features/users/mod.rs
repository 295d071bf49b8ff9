//! IAM users in the console: the paged, searchable list; creating a user with its groups,
//! policies, tags and boundary in one step; and a user's page with its permissions (and where
//! each comes from), groups, tags and console sessions.

pub mod api;
pub mod create_page;
pub mod credentials_tab;
pub mod detail_page;
pub mod group_picker;
pub mod groups_tab;
pub mod list_page;
pub mod sessions_api;
pub mod sessions_tab;
