//! `/groups/{name}`: a group's members and permissions; rename (the address follows the new
//! name) and delete.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::{get_group_page, DeleteGroup, GroupDetail, RenameGroup};
use super::members_tab::MembersTab;
use crate::domain::EntityKind;
use crate::features::entities::denials::Denials;
use crate::features::entities::entity_detail::{DetailSpec, EntityDetail};
use crate::features::entities::entity_header::{Delete, EntityHeader, Rename};
use crate::features::entities::permissions_tab::PermissionsTab;
use crate::features::entities::policy_rows::rows_from_lists;
use crate::features::ui::{format_millis, CopyButton, Tabs};

const SPEC: DetailSpec = DetailSpec {
    title_word: "Group",
    list_label: "User groups",
    list_href: "/groups",
    first_tab: "Users",
};

#[component]
pub fn GroupDetailPage() -> impl IntoView {
    view! { <EntityDetail spec=SPEC fetch=get_group_page body=group_view /> }
}

/// The page once its data is in (see `DetailBody`).
fn group_view(
    detail: GroupDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> AnyView {
    let group = detail.group;
    let delete = ServerAction::<DeleteGroup>::new();
    let rename = ServerAction::<RenameGroup>::new();
    let rows = rows_from_lists(&detail.attached_policies, &detail.inline_policies);
    let name = group.group_name.clone();
    let arn = group.arn.clone();
    let member_count = detail.members.len();
    let delete_name = name.clone();
    let delete = Delete {
        denied: denials.reason(Op::DeleteGroup),
        test_id: "delete-group",
        what: "group",
        consequence: format!(
            "Its {member_count} member(s) are removed from it and its policies are detached or deleted. The users themselves stay. This cannot be undone."
        ),
        result: delete.value().into(),
        pending: delete.pending().into(),
        on_confirm: Callback::new(move |_| {
            delete.dispatch(DeleteGroup { group_name: delete_name.clone() });
        }),
    };
    let rename_name = name.clone();
    let rename = Rename {
        denied: denials.reason(Op::UpdateGroup),
        test_id: "rename-group",
        field: "NewGroupName",
        result: rename.value().into(),
        pending: rename.pending().into(),
        on_submit: Callback::new(move |new_group_name: String| {
            rename.dispatch(RenameGroup {
                group_name: rename_name.clone(),
                new_group_name,
            });
        }),
    };
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
            <PermissionsTab kind=EntityKind::Group entity_name=group.group_name.clone() rows denials refresh />
        </div>
    }
    .into_any()
}
