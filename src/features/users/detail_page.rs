//! `/users/{name}`: a user's summary and its permissions (with where each policy comes from),
//! groups, tags and security credentials; rename and delete.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_user_page, DeleteUser, RenameUser};
use super::credentials_tab::CredentialsTab;
use super::groups_tab::GroupsTab;
use super::sessions_tab::SessionsTab;
use crate::api_error::field_message;
use crate::domain::iam_models::UserDetail;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::boundary_panel::BoundaryPanel;
use crate::features::entities::denials::Denials;
use crate::features::entities::kind::EntityType;
use crate::features::entities::permissions_tab::{failure, PermissionsTab};
use crate::features::entities::policy_rows::rows_from_effective;
use crate::features::entities::rename_form::RenameForm;
use crate::features::entities::tags_tab::TagsTab;
use crate::features::ui::{format_millis, ConfirmDelete, CopyButton, FormAlert, GatedButton, Tabs};

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let params = use_params_map();
    // `try_with`: a response abandoned mid-stream may still ask after its page is gone.
    let name = move || {
        params
            .try_with(|params| params.get("name"))
            .flatten()
            .unwrap_or_default()
    };
    let refresh = RwSignal::new(0u32);
    let page = Resource::new(
        move || (name(), refresh.get()),
        |(name, _)| get_user_page(name),
    );
    let tab = RwSignal::new("Permissions");
    view! {
        <Title text=move || format!("User {}", name()) />
        <nav class="mb-2 text-sm text-slate-500">
            <a href="/users" class="hover:underline">"Users"</a>
            " / "
            {name}
        </nav>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(gated) => view! { <UserView detail=gated.value denials=gated.denials tab refresh /> }.into_any(),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn UserView(
    detail: UserDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let user = detail.user;
    let delete = ServerAction::<DeleteUser>::new();
    let rename = ServerAction::<RenameUser>::new();
    let confirming = RwSignal::new(false);
    let renaming = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Err(_))) {
            confirming.set(false);
        }
    });
    let delete_denied = denials.reason("iam:DeleteUser");
    let rename_denied = denials.reason("iam:UpdateUser");
    let arn = user.arn.clone();
    let rows = rows_from_effective(&detail.effective_policies);
    let name = user.user_name.clone();
    let delete_name = name.clone();
    let rename_name = name.clone();
    let sessions_name = name.clone();
    view! {
        <div class="mb-6 flex items-start justify-between gap-4">
            <h1 class="text-2xl font-semibold text-slate-900" data-testid="entity-name">{name.clone()}</h1>
            <div class="flex gap-2">
                <GatedButton label="Rename" secondary=true denied=Signal::derive(move || rename_denied.clone()) on_click=move |_| renaming.update(|open| *open = !*open) />
                <GatedButton label="Delete" danger=true denied=Signal::derive(move || delete_denied.clone()) on_click=move |_| confirming.set(true) test_id="delete-user" />
            </div>
        </div>
        <FormAlert message=Signal::derive(move || failure(delete.value().get())) />
        <Show when=move || renaming.get()>
            <RenameForm
                current=rename_name.clone()
                field="NewUserName"
                field_error=Signal::derive(move || field_message(&rename.value().get(), "NewUserName"))
                other_error=Signal::derive(move || {
                    let result = rename.value().get();
                    match result {
                        Some(Err(error)) if error.field.as_deref() != Some("NewUserName") => Some(error.message),
                        _ => None,
                    }
                })
                pending=rename.pending()
                on_submit={
                    let user_name = rename_name.clone();
                    move |new_user_name: String| {
                        rename.dispatch(RenameUser { user_name: user_name.clone(), new_user_name });
                    }
                }
                on_cancel=move |_| renaming.set(false)
            />
        </Show>
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
            <PermissionsTab kind=EntityType::User entity_name=name.clone() rows denials=denials.clone() refresh />
            <BoundaryPanel kind=EntityType::User entity_name=name.clone() boundary=user.permissions_boundary_arn.clone() denials=denials.clone() refresh />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Groups">
            <GroupsTab user_name=name.clone() groups=detail.groups denials=denials.clone() refresh />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Tags">
            <TagsTab kind=EntityType::User entity_name=name.clone() tags=user.tags denials refresh />
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
        <Show when=move || confirming.get()>
            <ConfirmDelete
                name=delete_name.clone()
                what="user"
                consequence="Its inline policies, managed policy attachments, group memberships and MFA device are removed with it. This cannot be undone."
                pending=delete.pending()
                on_confirm={
                    let user_name = delete_name.clone();
                    move |_| {
                        delete.dispatch(DeleteUser { user_name: user_name.clone() });
                    }
                }
                on_cancel=move |_| confirming.set(false)
            />
        </Show>
    }
}
