//! `/users/{name}`: a user's summary and its permissions (with where each policy comes from),
//! groups, tags and security credentials; rename and delete.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::{get_user_page, DeleteUser, RenameUser};
use super::credentials_tab::CredentialsTab;
use super::groups_tab::GroupsTab;
use super::sessions_tab::SessionsTab;
use crate::domain::iam_models::UserDetail;
use crate::domain::EntityKind;
use crate::features::entities::boundary_panel::BoundaryPanel;
use crate::features::entities::denials::Denials;
use crate::features::entities::entity_detail::{DetailSpec, EntityDetail};
use crate::features::entities::entity_header::{Delete, EntityHeader, Rename};
use crate::features::entities::permissions_tab::PermissionsTab;
use crate::features::entities::policy_rows::rows_from_effective;
use crate::features::entities::tags_tab::TagsTab;
use crate::features::ui::{format_millis, CopyButton, Tabs};

const SPEC: DetailSpec = DetailSpec {
    title_word: "User",
    list_label: "Users",
    list_href: "/users",
    first_tab: "Permissions",
};

#[component]
pub fn UserDetailPage() -> impl IntoView {
    view! { <EntityDetail spec=SPEC fetch=get_user_page body=user_view /> }
}

/// The page once its data is in (see `DetailBody`).
fn user_view(
    detail: UserDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> AnyView {
    let user = detail.user;
    let delete = ServerAction::<DeleteUser>::new();
    let rename = ServerAction::<RenameUser>::new();
    let name = user.user_name.clone();
    let delete_name = name.clone();
    let rename_name = name.clone();
    let delete = Delete {
        denied: denials.reason(Op::DeleteUser),
        test_id: "delete-user",
        what: "user",
        consequence: "Its inline policies, managed policy attachments, group memberships and MFA device are removed with it. This cannot be undone.".to_string(),
        result: delete.value().into(),
        pending: delete.pending().into(),
        on_confirm: Callback::new(move |_| {
            delete.dispatch(DeleteUser { user_name: delete_name.clone() });
        }),
    };
    let rename = Rename {
        denied: denials.reason(Op::UpdateUser),
        test_id: "rename-user",
        field: "NewUserName",
        result: rename.value().into(),
        pending: rename.pending().into(),
        on_submit: Callback::new(move |new_user_name: String| {
            rename.dispatch(RenameUser {
                user_name: rename_name.clone(),
                new_user_name,
            });
        }),
    };
    let arn = user.arn.clone();
    let rows = rows_from_effective(&detail.effective_policies);
    let sessions_name = name.clone();
    view! {
        <EntityHeader name=name.clone() delete rename />
        <section class="mb-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="mb-3 text-base font-semibold text-slate-800">"Summary"</h2>
            <dl class="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
                <dt class="text-slate-500">"ARN"</dt>
                <dd class="flex items-center gap-3">
                    <code class="font-mono text-xs" data-testid="entity-arn">{arn.clone()}</code>
                    <CopyButton text=arn.clone() label="Copy ARN" />
                </dd>
                <dt class="text-slate-500">"Path"</dt>
                <dd class="font-mono text-xs">{user.path.clone()}</dd>
                <dt class="text-slate-500">"Created"</dt>
                <dd>{format_millis(user.create_date)}</dd>
                <dt class="text-slate-500">"User ID"</dt>
                <dd class="font-mono text-xs">{user.user_id.clone()}</dd>
                <dt class="text-slate-500">"Permissions boundary"</dt>
                <dd class="font-mono text-xs">{user.permissions_boundary_arn.clone().unwrap_or_else(|| "Not set".to_string())}</dd>
            </dl>
        </section>
        <Tabs labels=vec!["Permissions", "Groups", "Tags", "Security credentials", "Sessions"] selected=tab />
        <div role="tabpanel" class:hidden=move || tab.get() != "Permissions" class="space-y-6">
            <PermissionsTab kind=EntityKind::User entity_name=name.clone() rows denials=denials.clone() refresh />
            <BoundaryPanel kind=EntityKind::User entity_name=name.clone() boundary=user.permissions_boundary_arn.clone() denials=denials.clone() refresh />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Groups">
            <GroupsTab user_name=name.clone() groups=detail.groups denials=denials.clone() refresh />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Tags">
            <TagsTab kind=EntityKind::User entity_name=name.clone() tags=user.tags denials refresh />
        </div>
        // Loaded only when opened: its panels ask their own server functions.
        <Show when=move || tab.get() == "Security credentials">
            <div role="tabpanel">
                <CredentialsTab user_name=name.clone() />
            </div>
        </Show>
        <div role="tabpanel" class:hidden=move || tab.get() != "Sessions">
            <Show when=move || tab.get() == "Sessions">
                <SessionsTab user_name=sessions_name.clone() />
            </Show>
        </div>
    }
    .into_any()
}
