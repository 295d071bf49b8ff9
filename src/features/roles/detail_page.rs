//! `/roles/{name}`: a role's summary, trust relationships, permissions and tags; delete.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::{get_role_page, RoleDetail};
use super::summary_panel::RoleSummary;
use super::trust_tab::TrustTab;
use crate::domain::EntityKind;
use crate::features::entities::boundary_panel::BoundaryPanel;
use crate::features::entities::denials::Denials;
use crate::features::entities::entity_detail::{DetailParts, EntityDetail};
use crate::features::entities::permissions_tab::PermissionsTab;
use crate::features::entities::policy_rows::rows_from_lists;
use crate::features::entities::tags_tab::TagsTab;

#[component]
pub fn RoleDetailPage() -> impl IntoView {
    view! { <EntityDetail kind=EntityKind::Role fetch=get_role_page body=role_view /> }
}

/// The page once its data is in (see `DetailBody`).
fn role_view(
    detail: RoleDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> DetailParts {
    let role = detail.role;
    let rows = rows_from_lists(&detail.attached_policies, &detail.inline_policies);
    let name = role.role_name.clone();
    DetailParts {
        name: name.clone(),
        consequence: "Its inline policies are deleted and its managed policies detached. This cannot be undone.".to_string(),
        summary: view! { <RoleSummary role=role.clone() update_denied=denials.reason(Op::UpdateRole) refresh /> }.into_any(),
        tabs: vec!["Permissions", "Trust relationships", "Tags"],
        panels: view! {
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
                <TagsTab kind=EntityKind::Role entity_name=name tags=role.tags denials refresh />
            </div>
        }
        .into_any(),
    }
}
