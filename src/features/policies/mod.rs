//! Managed policies in the console: the list, creation, one policy's page (permissions summary,
//! versions, attached entities, new versions, delete) and the policy editor other areas reuse.

pub mod api;
pub mod create_page;
pub mod denials;
pub mod detail_page;
pub mod edit_tab;
pub mod editor;
pub mod editor_findings;
pub mod editor_text;
pub mod entities_tab;
pub mod form_errors;
pub mod links;
pub mod list_page;
pub mod page_state;
#[cfg(feature = "ssr")]
mod permissions;
pub mod permissions_tab;
pub mod summary;
pub mod versions_tab;
