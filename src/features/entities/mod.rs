//! What the users, groups and roles pages share: the list page, the detail page's frame and
//! header, permission answers for their buttons, and the panels for managed and inline
//! policies, permissions boundaries and tags.

pub mod api;
pub mod boundary_panel;
pub mod denials;
pub mod entity_detail;
pub mod entity_header;
pub mod entity_list;
pub mod inline_editor;
pub mod permissions_tab;
pub mod policy_chooser;
pub mod policy_rows;
pub mod rename_form;
pub mod tags_tab;
pub mod words;
