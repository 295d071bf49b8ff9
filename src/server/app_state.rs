//! The router's state: Leptos's options and the service layer handle.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::service::Iam;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub iam: Iam,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
