//! What the users, groups and roles pages share: the list page, the detail page's frame, header
//! and summary, the create pages' frame and common steps, group membership from either side,
//! permission answers for their buttons, and the panels for managed and inline policies,
//! permissions boundaries and tags. Each is parameterised by `EntityKind`; `words` holds what
//! each kind is called.

pub mod api;
pub mod boundary_panel;
pub mod create_form;
pub mod denials;
pub mod entity_detail;
pub mod entity_header;
pub mod entity_list;
pub mod inline_editor;
pub mod member_picker;
pub mod membership_tab;
pub mod permissions_tab;
pub mod policy_chooser;
pub mod policy_rows;
pub mod rename_form;
pub mod summary;
pub mod tags_tab;
pub mod words;
