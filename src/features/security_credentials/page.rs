//! `/security-credentials`: the signed-in principal's own credentials. The root user manages
//! its MFA device and (discouraged) access keys; an IAM user changes its password and manages
//! its own keys and MFA device, as far as its policies allow.

use leptos::prelude::*;
use leptos_meta::Title;

use super::mfa_panel::MfaPanel;
use crate::domain::read_models::SignedInPrincipal;
use crate::domain::PrincipalKind;
use crate::features::credentials::access_keys_panel::AccessKeysPanel;
use crate::features::credentials::own_password_panel::OwnPasswordPanel;
use crate::features::credentials::user_mfa_panel::UserMfaPanel;
use crate::features::ui::PageHeader;

/// AWS's warning beside the root user's access keys.
const ROOT_KEYS_WARNING: &str = "Root user access keys are not recommended: we don't recommend creating root access keys. The root user can do everything in the account, and no policy can limit what its keys may do. Create an IAM user with only the permissions it needs, and use its keys instead.";

#[component]
pub fn SecurityCredentialsPage() -> impl IntoView {
    // The console layout has already loaded the signed-in principal and provides it. The panels
    // are created here, outside any Suspend, so the resources they own are numbered alike on the
    // server and in the browser and hydrate from the server's data.
    let me = use_context::<SignedInPrincipal>();
    view! {
        <Title text="My security credentials" />
        {match me {
            Some(me) => view! { <Credentials me /> }.into_any(),
            None => view! { <leptos_router::components::Redirect path="/signin" /> }.into_any(),
        }}
    }
}

#[component]
fn Credentials(me: SignedInPrincipal) -> impl IntoView {
    match me.principal.kind {
        PrincipalKind::Root => view! {
            <PageHeader
                title="My security credentials"
                subtitle="Protect the root user: it can do everything in this account, including closing it."
            />
            <div class="max-w-4xl space-y-6">
                <MfaPanel />
                <AccessKeysPanel user_name=None warning=ROOT_KEYS_WARNING />
            </div>
        }
        .into_any(),
        PrincipalKind::User { .. } => view! {
            <PageHeader
                title="My security credentials"
                subtitle="Your console password, multi-factor authentication and access keys."
            />
            <div class="max-w-4xl space-y-6">
                <OwnPasswordPanel />
                <UserMfaPanel user_name=None />
                <AccessKeysPanel user_name=None />
            </div>
        }
        .into_any(),
        PrincipalKind::AssumedRole { .. }
            | PrincipalKind::FederatedUser { .. }
            | PrincipalKind::WebIdentity { .. } => view! {
            <PageHeader title="My security credentials" />
            <p class="max-w-3xl text-sm text-slate-600">
                "You are signed in with a role session. Its credentials are temporary and belong to the role: there is no password, access key or MFA device to manage here."
            </p>
        }
        .into_any(),
    }
}
