//! `/users/{name}`: a user's summary and its permissions (with where each policy comes from),
//! groups, tags and security credentials; rename and delete.

use leptos::prelude::*;

use super::api::get_user_page;
use super::credentials_tab::CredentialsTab;
use super::sessions_tab::SessionsTab;
use crate::domain::iam_models::UserDetail;
use crate::domain::EntityKind;
use crate::features::entities::boundary_panel::BoundaryPanel;
use crate::features::entities::denials::Denials;
use crate::features::entities::entity_detail::{DetailParts, EntityDetail};
use crate::features::entities::membership_tab::MembershipTab;
use crate::features::entities::permissions_tab::PermissionsTab;
use crate::features::entities::policy_rows::rows_from_effective;
use crate::features::entities::summary::{EntitySummary, Facts};
use crate::features::entities::tags_tab::TagsTab;

#[component]
pub fn UserDetailPage() -> impl IntoView {
    view! { <EntityDetail kind=EntityKind::User fetch=get_user_page body=user_view /> }
}

/// The page once its data is in (see `DetailBody`).
fn user_view(
    detail: UserDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> DetailParts {
    let user = detail.user;
    let name = user.user_name.clone();
    let rows = rows_from_effective(&detail.effective_policies);
    let sessions_name = name.clone();
    let facts = Facts {
        arn: user.arn,
        path: user.path,
        create_date: user.create_date,
        id: user.user_id,
        boundary: Some(user.permissions_boundary_arn.clone()),
    };
    let groups = detail.groups.into_iter().map(Into::into).collect();
    DetailParts {
        name: name.clone(),
        consequence: "Its inline policies, managed policy attachments, group memberships and MFA device are removed with it. This cannot be undone.".to_string(),
        summary: view! { <EntitySummary kind=EntityKind::User facts /> }.into_any(),
        tabs: vec!["Permissions", "Groups", "Tags", "Security credentials", "Sessions"],
        panels: view! {
            <div role="tabpanel" class:hidden=move || tab.get() != "Permissions" class="space-y-6">
                <PermissionsTab kind=EntityKind::User entity_name=name.clone() rows denials=denials.clone() refresh />
                <BoundaryPanel kind=EntityKind::User entity_name=name.clone() boundary=user.permissions_boundary_arn denials=denials.clone() refresh />
            </div>
            <div role="tabpanel" class:hidden=move || tab.get() != "Groups">
                <MembershipTab kind=EntityKind::User entity_name=name.clone() members=groups denials=denials.clone() refresh />
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
        .into_any(),
    }
}
