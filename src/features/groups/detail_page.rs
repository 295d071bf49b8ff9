//! `/groups/{name}`: a group's members and permissions; rename (the address follows the new
//! name) and delete.

use leptos::prelude::*;

use super::api::{get_group_page, GroupDetail};
use crate::domain::EntityKind;
use crate::features::entities::denials::Denials;
use crate::features::entities::entity_detail::{DetailParts, EntityDetail};
use crate::features::entities::membership_tab::MembershipTab;
use crate::features::entities::permissions_tab::PermissionsTab;
use crate::features::entities::policy_rows::rows_from_lists;
use crate::features::entities::summary::{EntitySummary, Facts};

#[component]
pub fn GroupDetailPage() -> impl IntoView {
    view! { <EntityDetail kind=EntityKind::Group fetch=get_group_page body=group_view /> }
}

/// The page once its data is in (see `DetailBody`).
fn group_view(
    detail: GroupDetail,
    denials: Denials,
    tab: RwSignal<&'static str>,
    refresh: RwSignal<u32>,
) -> DetailParts {
    let group = detail.group;
    let rows = rows_from_lists(&detail.attached_policies, &detail.inline_policies);
    let name = group.group_name.clone();
    let member_count = detail.members.len();
    let facts = Facts {
        arn: group.arn,
        path: group.path,
        create_date: group.create_date,
        id: group.group_id,
        boundary: None,
    };
    let members = detail.members.into_iter().map(Into::into).collect();
    DetailParts {
        name: name.clone(),
        consequence: format!(
            "Its {member_count} member(s) are removed from it and its policies are detached or deleted. The users themselves stay. This cannot be undone."
        ),
        summary: view! { <EntitySummary kind=EntityKind::Group facts /> }.into_any(),
        tabs: vec!["Users", "Permissions"],
        panels: view! {
            <div role="tabpanel" class:hidden=move || tab.get() != "Users">
                <MembershipTab kind=EntityKind::Group entity_name=name.clone() members denials=denials.clone() refresh />
            </div>
            <div role="tabpanel" class:hidden=move || tab.get() != "Permissions">
                <PermissionsTab kind=EntityKind::Group entity_name=name rows denials refresh />
            </div>
        }
        .into_any(),
    }
}
