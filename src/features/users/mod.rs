//! IAM users in the console: creating a user with its groups, policies, tags and boundary in one
//! step, and a user's page with its permissions (and where each comes from), groups, tags,
//! security credentials and console sessions. The list, and what users share with groups and
//! roles (the page's frame, membership, permissions, tags), are in `features::entities`.

pub mod api;
pub mod create_page;
pub mod credentials_tab;
pub mod detail_page;
pub mod sessions_api;
pub mod sessions_tab;
