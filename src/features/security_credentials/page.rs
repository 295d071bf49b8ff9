//! `/security-credentials`: the signed-in user's own credentials.

use leptos::prelude::*;
use leptos_meta::Title;

use super::mfa_panel::MfaPanel;
use crate::features::ui::PageHeader;

#[component]
pub fn SecurityCredentialsPage() -> impl IntoView {
    view! {
        <Title text="My security credentials" />
        <PageHeader
            title="My security credentials"
            subtitle="Protect the root user: it can do everything in this account, including closing it."
        />
        <div class="max-w-3xl">
            <MfaPanel />
        </div>
    }
}
