//! `/roles/{name}`: a role's summary, trust relationships, permissions and tags; delete.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_role_page, DeleteRole, RoleDetail};
use super::summary_panel::RoleSummary;
use super::trust_tab::TrustTab;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::boundary_panel::BoundaryPanel;
use crate::features::entities::denials::Denials;
use crate::features::entities::kind::EntityType;
use crate::features::entities::permissions_tab::{failure, PermissionsTab};
use crate::features::entities::policy_rows::rows_from_lists;
use crate::features::entities::tags_tab::TagsTab;
use crate::features::ui::{ConfirmDelete, FormAlert, GatedButton, Tabs};

#[component]
pub fn RoleDetailPage() -> impl IntoView {
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
        |(name, _)| get_role_page(name),
    );
    let tab = RwSignal::new("Permissions");
    view! {
        <Title text=move || format!("Role {}", name()) />
        <nav class="mb-2 text-sm text-slate-500">
            <a href="/roles" class="hover:underline">"Roles"</a>
            " / "
            {name}
        </nav>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(gated) => view! { <RoleView detail=gated.value denials=gated.denials tab refresh /> }.into_any(),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RoleView(
    detail: RoleDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let role = detail.role;
    let delete = ServerAction::<DeleteRole>::new();
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Err(_))) {
            confirming.set(false);
        }
    });
    let delete_denied = denials.reason("iam:DeleteRole");
    let rows = rows_from_lists(&detail.attached_policies, &detail.inline_policies);
    let name = role.role_name.clone();
    view! {
        <div class="mb-6 flex items-start justify-between gap-4">
            <h1 class="text-2xl font-semibold text-slate-900" data-testid="entity-name">{name.clone()}</h1>
            <GatedButton label="Delete" danger=true denied=Signal::derive(move || delete_denied.clone()) on_click=move |_| confirming.set(true) test_id="delete-role" />
        </div>
        <FormAlert message=Signal::derive(move || failure(delete.value().get())) />
        <RoleSummary role=role.clone() update_denied=denials.reason("iam:UpdateRole") refresh />
        <Tabs labels=vec!["Permissions", "Trust relationships", "Tags"] selected=tab />
        <div role="tabpanel" class:hidden=move || tab.get() != "Permissions" class="space-y-6">
            <PermissionsTab kind=EntityType::Role entity_name=name.clone() rows denials=denials.clone() refresh />
            <BoundaryPanel kind=EntityType::Role entity_name=name.clone() boundary=role.permissions_boundary_arn.clone() denials=denials.clone() refresh />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Trust relationships">
            <TrustTab
                role_name=name.clone()
                document=role.assume_role_policy_document.clone()
                update_denied=denials.reason("iam:UpdateAssumeRolePolicy")
                refresh
            />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Tags">
            <TagsTab kind=EntityType::Role entity_name=name.clone() tags=role.tags.clone() denials refresh />
        </div>
        <Show when=move || confirming.get()>
            <ConfirmDelete
                name=name.clone()
                what="role"
                consequence="Its inline policies are deleted and its managed policies detached. This cannot be undone."
                pending=delete.pending()
                on_confirm={
                    let role_name = name.clone();
                    move |_| {
                        delete.dispatch(DeleteRole { role_name: role_name.clone() });
                    }
                }
                on_cancel=move |_| confirming.set(false)
            />
        </Show>
    }
}
