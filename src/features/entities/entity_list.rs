//! The list page users, groups and roles share: a name-prefix search served by the server, a
//! Create button gated by the principal's permissions, the table of one page and the pager.

use std::future::Future;

use leptos::prelude::*;

use crate::catalog::CREATE_ENTITY;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::words::{entity_href, words};
use crate::api_error::ApiError;
use crate::domain::iam_models::{Group, Page, Role, User};
use crate::domain::EntityKind;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::Gated;
use crate::features::groups::api::list_groups;
use crate::features::roles::api::list_roles;
use crate::features::roles::session_duration::hours_label;
use crate::features::ui::pager::{Pager, Paging};
use crate::features::ui::search_box::SearchBox;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, GatedButton, PageHeader, LINK};
use crate::features::users::api::list_users;

/// What the list pages say beyond the kind's own words (`words::Words`).
#[derive(Clone, Copy)]
struct ListSpec {
    subtitle: &'static str,
    search_label: &'static str,
    /// The empty table's message with no search, and with one.
    empty: &'static str,
    no_match: &'static str,
    headings: &'static [&'static str],
}

/// `[user, group, role]`.
const SPECS: [ListSpec; 3] = [
    ListSpec {
        subtitle: "People and workloads that sign in or call the API with their own credentials.",
        search_label: "Search users",
        empty: "No users yet. Create one to give a person or a workload its own credentials.",
        no_match: "No user name starts with that.",
        headings: &["User name", "Path", "Created"],
    },
    ListSpec {
        subtitle:
            "Give many users the same permissions: attach policies to a group and add the users to it.",
        search_label: "Search groups",
        empty: "No groups yet.",
        no_match: "No group name starts with that.",
        headings: &["Group name", "Path", "Created"],
    },
    ListSpec {
        subtitle: "Identities with permissions but no credentials of their own: trusted principals assume them for a while.",
        search_label: "Search roles",
        empty: "No roles yet.",
        no_match: "No role name starts with that.",
        headings: &["Role name", "Description", "Maximum session", "Created"],
    },
];

/// `/users`, `/groups` or `/roles`: the account's entities of `kind`, 50 a page, searched by
/// name prefix on the server (the name index keeps this fast at any size).
#[component]
pub fn EntityListPage(kind: EntityKind) -> impl IntoView {
    match kind {
        EntityKind::User => view! { <EntityList kind fetch=list_users row=user_row /> }.into_any(),
        EntityKind::Group => {
            view! { <EntityList kind fetch=list_groups row=group_row /> }.into_any()
        }
        EntityKind::Role => view! { <EntityList kind fetch=list_roles row=role_row /> }.into_any(),
    }
}

fn user_row(user: User) -> AnyView {
    name_path_created_row(
        EntityKind::User,
        user.user_name,
        user.path,
        user.create_date,
    )
}

fn group_row(group: Group) -> AnyView {
    name_path_created_row(
        EntityKind::Group,
        group.group_name,
        group.path,
        group.create_date,
    )
}

fn name_path_created_row(kind: EntityKind, name: String, path: String, created: i64) -> AnyView {
    view! {
        <tr>
            <td class=CELL>
                <a class=LINK href=entity_href(kind, &name)>{name.clone()}</a>
            </td>
            <td class=CELL><span class="font-mono text-xs">{path}</span></td>
            <td class=CELL>{format_millis(created)}</td>
        </tr>
    }
    .into_any()
}

fn role_row(role: Role) -> AnyView {
    view! {
        <tr>
            <td class=CELL>
                <a class=LINK href=entity_href(EntityKind::Role, &role.role_name)>{role.role_name.clone()}</a>
                <span class="block font-mono text-xs text-slate-500">{role.path}</span>
            </td>
            <td class="px-4 py-2 align-top text-slate-600">{role.description.unwrap_or_default()}</td>
            <td class=CELL>{hours_label(role.max_session_duration)}</td>
            <td class=CELL>{format_millis(role.create_date)}</td>
        </tr>
    }
    .into_any()
}

#[component]
fn EntityList<T, Fut>(
    kind: EntityKind,
    /// The listing server function: name prefix and marker in, one page out.
    fetch: fn(String, Option<String>) -> Fut,
    /// One table row for an item.
    row: fn(T) -> AnyView,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<Gated<Page<T>>, ApiError>> + Send + 'static,
{
    let spec = kind.pick(SPECS);
    let words = words(kind);
    let create_op = kind.pick(CREATE_ENTITY);
    let search = RwSignal::new(String::new());
    let paging = Paging::new();
    let listing = Resource::new(
        move || (search.get(), paging.marker()),
        move |(prefix, marker)| fetch(prefix, marker),
    );
    let navigate = use_navigate();
    let on_search = Callback::new(move |text: String| {
        paging.reset();
        search.set(text);
    });
    view! {
        <Title text=words.list_title />
        <PageHeader title=words.list_title subtitle=spec.subtitle />
        <div class="mb-3 flex items-center justify-between gap-4">
            <SearchBox label=spec.search_label on_search />
            <Transition fallback=|| ()>
                {move || {
                    let navigate = navigate.clone();
                    Suspend::new(async move {
                        let denied = listing.await.ok().and_then(|listing| listing.denials.reason(create_op));
                        view! {
                            <GatedButton
                                label=words.create_label
                                denied=denied
                                on_click=move |_| navigate(words.new_href, Default::default())
                                test_id=words.create_test_id
                            />
                        }
                    })
                }}
            </Transition>
        </div>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(listing) => {
                        let page = listing.value;
                        let empty_message = if search.get_untracked().is_empty() { spec.empty } else { spec.no_match };
                        view! {
                            <Table headings=spec.headings.to_vec()>
                                {if page.items.is_empty() {
                                    view! { <EmptyRow columns=spec.headings.len() message=empty_message.to_string() /> }.into_any()
                                } else {
                                    page.items.into_iter().map(row).collect_view().into_any()
                                }}
                            </Table>
                            <Pager paging next_marker=page.marker.filter(|_| page.is_truncated) />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
