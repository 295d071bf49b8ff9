//! `/groups/{name}`: a group's members and permissions; rename (the address follows the new
//! name) and delete.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_group_page, DeleteGroup, GroupDetail, RenameGroup};
use super::members_tab::MembersTab;
use crate::api_error::field_message;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::Denials;
use crate::features::entities::kind::EntityType;
use crate::features::entities::permissions_tab::{failure, PermissionsTab};
use crate::features::entities::policy_rows::rows_from_lists;
use crate::features::entities::rename_form::RenameForm;
use crate::features::ui::{format_millis, ConfirmDelete, CopyButton, FormAlert, GatedButton, Tabs};

#[component]
pub fn GroupDetailPage() -> impl IntoView {
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
        |(name, _)| get_group_page(name),
    );
    let tab = RwSignal::new("Users");
    view! {
        <Title text=move || format!("Group {}", name()) />
        <nav class="mb-2 text-sm text-slate-500">
            <a href="/groups" class="hover:underline">"User groups"</a>
            " / "
            {name}
        </nav>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(gated) => view! { <GroupView detail=gated.value denials=gated.denials tab refresh /> }.into_any(),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn GroupView(
    detail: GroupDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let group = detail.group;
    let delete = ServerAction::<DeleteGroup>::new();
    let rename = ServerAction::<RenameGroup>::new();
    let confirming = RwSignal::new(false);
    let renaming = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Err(_))) {
            confirming.set(false);
        }
    });
    let delete_denied = denials.reason("iam:DeleteGroup");
    let rename_denied = denials.reason("iam:UpdateGroup");
    let rows = rows_from_lists(&detail.attached_policies, &detail.inline_policies);
    let name = group.group_name.clone();
    let arn = group.arn.clone();
    let member_count = detail.members.len();
    let consequence = format!(
        "Its {member_count} member(s) are removed from it and its policies are detached or deleted. The users themselves stay. This cannot be undone."
    );
    view! {
        <div class="mb-6 flex items-start justify-between gap-4">
            <h1 class="text-2xl font-semibold text-slate-900" data-testid="entity-name">{name.clone()}</h1>
            <div class="flex gap-2">
                <GatedButton label="Rename" secondary=true denied=Signal::derive(move || rename_denied.clone()) on_click=move |_| renaming.update(|open| *open = !*open) test_id="rename-group" />
                <GatedButton label="Delete" danger=true denied=Signal::derive(move || delete_denied.clone()) on_click=move |_| confirming.set(true) test_id="delete-group" />
            </div>
        </div>
        <FormAlert message=Signal::derive(move || failure(delete.value().get())) />
        <Show when=move || renaming.get()>
            {
                let current = name.clone();
                view! {
                    <RenameForm
                        current=current.clone()
                        field="NewGroupName"
                        field_error=Signal::derive(move || field_message(&rename.value().get(), "NewGroupName"))
                        other_error=Signal::derive(move || {
                            match rename.value().get() {
                                Some(Err(error)) if error.field.as_deref() != Some("NewGroupName") => Some(error.message),
                                _ => None,
                            }
                        })
                        pending=rename.pending()
                        on_submit=move |new_group_name: String| {
                            rename.dispatch(RenameGroup { group_name: current.clone(), new_group_name });
                        }
                        on_cancel=move |_| renaming.set(false)
                    />
                }
            }
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
                <dd class="font-mono text-xs">{group.path.clone()}</dd>
                <dt class="text-slate-500">"Created"</dt>
                <dd>{format_millis(group.create_date)}</dd>
                <dt class="text-slate-500">"Group ID"</dt>
                <dd class="font-mono text-xs">{group.group_id.clone()}</dd>
            </dl>
        </section>
        <Tabs labels=vec!["Users", "Permissions"] selected=tab />
        <div role="tabpanel" class:hidden=move || tab.get() != "Users">
            <MembersTab group_name=group.group_name.clone() members=detail.members denials=denials.clone() refresh />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Permissions">
            <PermissionsTab kind=EntityType::Group entity_name=group.group_name.clone() rows denials refresh />
        </div>
        <Show when=move || confirming.get()>
            <ConfirmDelete
                name=group.group_name.clone()
                what="group"
                consequence=consequence.clone()
                pending=delete.pending()
                on_confirm={
                    let group_name = group.group_name.clone();
                    move |_| {
                        delete.dispatch(DeleteGroup { group_name: group_name.clone() });
                    }
                }
                on_cancel=move |_| confirming.set(false)
            />
        </Show>
    }
}
