//! `/groups`: the account's user groups, searched by name prefix on the server.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::list_groups;
use crate::domain::iam_models::Group;
use crate::features::entities::entity_list::{EntityList, ListSpec};
use crate::features::ui::table::CELL;
use crate::features::ui::{format_millis, LINK};

const SPEC: ListSpec = ListSpec {
    title: "User groups",
    subtitle:
        "Give many users the same permissions: attach policies to a group and add the users to it.",
    search_label: "Search groups",
    create_op: Op::CreateGroup,
    create_label: "Create group",
    create_path: "/new/group",
    create_test_id: "create-group",
    empty: "No groups yet.",
    no_match: "No group name starts with that.",
    headings: &["Group name", "Path", "Created"],
};

#[component]
pub fn GroupsListPage() -> impl IntoView {
    view! { <EntityList spec=SPEC fetch=list_groups row=group_row /> }
}

fn group_row(group: Group) -> AnyView {
    view! {
        <tr>
            <td class=CELL>
                <a class=LINK href=format!("/groups/{}", group.group_name)>{group.group_name.clone()}</a>
            </td>
            <td class=CELL><span class="font-mono text-xs">{group.path}</span></td>
            <td class=CELL>{format_millis(group.create_date)}</td>
        </tr>
    }
    .into_any()
}
