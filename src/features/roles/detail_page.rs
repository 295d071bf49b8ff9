//! `/roles/{name}`: a role's summary, trust relationships, permissions and tags; delete.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::{get_role_page, DeleteRole, RoleDetail};
use super::summary_panel::RoleSummary;
use super::trust_tab::TrustTab;
use crate::domain::EntityKind;
use crate::features::entities::boundary_panel::BoundaryPanel;
use crate::features::entities::denials::Denials;
use crate::features::entities::entity_detail::{DetailSpec, EntityDetail};
use crate::features::entities::entity_header::{Delete, EntityHeader};
use crate::features::entities::permissions_tab::PermissionsTab;
use crate::features::entities::policy_rows::rows_from_lists;
use crate::features::entities::tags_tab::TagsTab;
use crate::features::ui::Tabs;

const SPEC: DetailSpec = DetailSpec {
    title_word: "Role",
    list_label: "Roles",
    list_href: "/roles",
    first_tab: "Permissions",
};

#[component]
pub fn RoleDetailPage() -> impl IntoView {
    view! { <EntityDetail spec=SPEC fetch=get_role_page body=role_view /> }
}

/// The page once its data is in (see `DetailBody`).
fn role_view(
    detail: RoleDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> AnyView {
    let role = detail.role;
    let delete = ServerAction::<DeleteRole>::new();
    let rows = rows_from_lists(&detail.attached_policies, &detail.inline_policies);
    let name = role.role_name.clone();
    let delete_name = name.clone();
    let delete = Delete {
        denied: denials.reason(Op::DeleteRole),
        test_id: "delete-role",
        what: "role",
        consequence: "Its inline policies are deleted and its managed policies detached. This cannot be undone.".to_string(),
        result: delete.value().into(),
        pending: delete.pending().into(),
        on_confirm: Callback::new(move |_| {
            delete.dispatch(DeleteRole { role_name: delete_name.clone() });
        }),
    };
    view! {
        <EntityHeader name=name.clone() delete />
        <RoleSummary role=role.clone() update_denied=denials.reason(Op::UpdateRole) refresh />
        <Tabs labels=vec!["Permissions", "Trust relationships", "Tags"] selected=tab />
        <div role="tabpanel" class:hidden=move || tab.get() != "Permissions" class="space-y-6">
            <PermissionsTab kind=EntityKind::Role entity_name=name.clone() rows denials=denials.clone() refresh />
            <BoundaryPanel kind=EntityKind::Role entity_name=name.clone() boundary=role.permissions_boundary_arn.clone() denials=denials.clone() refresh />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Trust relationships">
            <TrustTab
                role_name=name.clone()
                document=role.assume_role_policy_document.clone()
                update_denied=denials.reason(Op::UpdateAssumeRolePolicy)
                refresh
            />
        </div>
        <div role="tabpanel" class:hidden=move || tab.get() != "Tags">
            <TagsTab kind=EntityKind::Role entity_name=name.clone() tags=role.tags.clone() denials refresh />
        </div>
    }
    .into_any()
}
