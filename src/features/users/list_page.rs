//! `/users`: the account's IAM users, 50 a page, searched by name prefix on the server (the
//! name index keeps this fast at any size).

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::list_users;
use crate::domain::iam_models::User;
use crate::features::entities::entity_list::{EntityList, ListSpec};
use crate::features::ui::table::CELL;
use crate::features::ui::{format_millis, LINK};

const SPEC: ListSpec = ListSpec {
    title: "Users",
    subtitle: "People and workloads that sign in or call the API with their own credentials.",
    search_label: "Search users",
    create_op: Op::CreateUser,
    create_label: "Create user",
    create_path: "/new/user",
    create_test_id: "create-user",
    empty: "No users yet. Create one to give a person or a workload its own credentials.",
    no_match: "No user name starts with that.",
    headings: &["User name", "Path", "Created"],
};

#[component]
pub fn UsersListPage() -> impl IntoView {
    view! { <EntityList spec=SPEC fetch=list_users row=user_row /> }
}

fn user_row(user: User) -> AnyView {
    view! {
        <tr>
            <td class=CELL>
                <a class=LINK href=format!("/users/{}", user.user_name)>{user.user_name.clone()}</a>
            </td>
            <td class=CELL><span class="font-mono text-xs">{user.path}</span></td>
            <td class=CELL>{format_millis(user.create_date)}</td>
        </tr>
    }
    .into_any()
}
