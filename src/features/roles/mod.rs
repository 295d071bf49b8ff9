//! IAM roles in the console: create with a trust policy from a template, and a role's page with
//! its summary, trust relationships, permissions and tags. The list, and what roles share with
//! users and groups, are in `features::entities`.

pub mod api;
pub mod create_page;
pub mod detail_page;
pub mod session_duration;
pub mod summary_panel;
pub mod trust_tab;
pub mod trust_templates;
pub mod web_identity_fields;
