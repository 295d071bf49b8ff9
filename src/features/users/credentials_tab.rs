//! A user's "Security credentials" tab: console password, access keys and MFA device. Each
//! panel loads on its own, so a caller who may see only some of them still gets those.

use leptos::prelude::*;

use crate::features::credentials::access_keys_panel::AccessKeysPanel;
use crate::features::credentials::console_password_panel::ConsolePasswordPanel;
use crate::features::credentials::user_mfa_panel::UserMfaPanel;

#[component]
pub fn CredentialsTab(user_name: String) -> impl IntoView {
    view! {
        <div class="space-y-6" data-testid="credentials-tab">
            <ConsolePasswordPanel user_name=user_name.clone() />
            <UserMfaPanel user_name=Some(user_name.clone()) />
            <AccessKeysPanel user_name=Some(user_name) />
        </div>
    }
}
