//! The signed-in console's frame: top bar, navigation, and what every page shares.

pub mod api;
pub mod error_view;
pub mod layout;
pub mod nav;
pub mod not_found;
