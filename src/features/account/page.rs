//! `/account`: account settings.

use leptos::prelude::*;
use leptos_meta::Title;

use super::alias_panel::AliasPanel;
use super::password_policy_panel::PasswordPolicyPanel;
use crate::features::ui::PageHeader;

#[component]
pub fn AccountSettingsPage() -> impl IntoView {
    view! {
        <Title text="Account settings" />
        <PageHeader
            title="Account settings"
            subtitle="The account's alias and IAM users' sign-in URL, and the rules for their passwords."
        />
        <div class="max-w-4xl space-y-6">
            <AliasPanel />
            <PasswordPolicyPanel />
        </div>
    }
}
