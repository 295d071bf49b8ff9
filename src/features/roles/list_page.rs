//! `/roles`: the account's roles, searched by name prefix on the server.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::list_roles;
use super::session_duration::hours_label;
use crate::domain::iam_models::Role;
use crate::features::entities::entity_list::{EntityList, ListSpec};
use crate::features::ui::table::CELL;
use crate::features::ui::{format_millis, LINK};

const SPEC: ListSpec = ListSpec {
    title: "Roles",
    subtitle: "Identities with permissions but no credentials of their own: trusted principals assume them for a while.",
    search_label: "Search roles",
    create_op: Op::CreateRole,
    create_label: "Create role",
    create_path: "/new/role",
    create_test_id: "create-role",
    empty: "No roles yet.",
    no_match: "No role name starts with that.",
    headings: &["Role name", "Description", "Maximum session", "Created"],
};

#[component]
pub fn RolesListPage() -> impl IntoView {
    view! { <EntityList spec=SPEC fetch=list_roles row=role_row /> }
}

fn role_row(role: Role) -> AnyView {
    view! {
        <tr>
            <td class=CELL>
                <a class=LINK href=format!("/roles/{}", role.role_name)>{role.role_name.clone()}</a>
                <span class="block font-mono text-xs text-slate-500">{role.path}</span>
            </td>
            <td class="px-4 py-2 align-top text-slate-600">{role.description.unwrap_or_default()}</td>
            <td class=CELL>{hours_label(role.max_session_duration)}</td>
            <td class=CELL>{format_millis(role.create_date)}</td>
        </tr>
    }
    .into_any()
}
