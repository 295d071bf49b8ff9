//! `/users`: the account's IAM users, 50 a page, searched by name prefix on the server (the
//! name index keeps this fast at any size).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::list_users;
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::pager::{Pager, Paging};
use crate::features::ui::search_box::SearchBox;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, GatedButton, PageHeader, LINK};

#[component]
pub fn UsersListPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let paging = Paging::new();
    let users = Resource::new(
        move || (search.get(), paging.marker()),
        |(prefix, marker)| list_users(prefix, marker),
    );
    let navigate = use_navigate();
    let on_search = Callback::new(move |text: String| {
        paging.reset();
        search.set(text);
    });
    view! {
        <Title text="Users" />
        <PageHeader title="Users" subtitle="People and workloads that sign in or call the API with their own credentials." />
        <div class="mb-3 flex items-center justify-between gap-4">
            <SearchBox label="Search users" on_search />
            <Transition fallback=|| ()>
                {move || {
                    let navigate = navigate.clone();
                    Suspend::new(async move {
                        let denied = users.await.ok().and_then(|listing| listing.denials.reason("iam:CreateUser"));
                        view! {
                            <GatedButton
                                label="Create user"
                                denied=Signal::derive(move || denied.clone())
                                on_click=move |_| navigate("/new/user", Default::default())
                                test_id="create-user"
                            />
                        }
                    })
                }}
            </Transition>
        </div>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(listing) => {
                        let page = listing.value;
                        let empty_message = if search.get_untracked().is_empty() {
                            "No users yet. Create one to give a person or a workload its own credentials."
                        } else {
                            "No user name starts with that."
                        };
                        view! {
                            <Table headings=vec!["User name", "Path", "Created"]>
                                {if page.items.is_empty() {
                                    view! { <EmptyRow columns=3 message=empty_message.to_string() /> }.into_any()
                                } else {
                                    page.items
                                        .into_iter()
                                        .map(|user| view! {
                                            <tr>
                                                <td class=CELL>
                                                    <a class=LINK href=format!("/users/{}", user.user_name)>{user.user_name.clone()}</a>
                                                </td>
                                                <td class=CELL><span class="font-mono text-xs">{user.path}</span></td>
                                                <td class=CELL>{format_millis(user.create_date)}</td>
                                            </tr>
                                        })
                                        .collect_view()
                                        .into_any()
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
