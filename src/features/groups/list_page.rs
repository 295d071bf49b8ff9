//! `/groups`: the account's user groups, searched by name prefix on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::list_groups;
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::pager::{Pager, Paging};
use crate::features::ui::search_box::SearchBox;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, GatedButton, PageHeader, LINK};

#[component]
pub fn GroupsListPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let paging = Paging::new();
    let groups = Resource::new(
        move || (search.get(), paging.marker()),
        |(prefix, marker)| list_groups(prefix, marker),
    );
    let navigate = use_navigate();
    let on_search = Callback::new(move |text: String| {
        paging.reset();
        search.set(text);
    });
    view! {
        <Title text="User groups" />
        <PageHeader title="User groups" subtitle="Give many users the same permissions: attach policies to a group and add the users to it." />
        <div class="mb-3 flex items-center justify-between gap-4">
            <SearchBox label="Search groups" on_search />
            <Transition fallback=|| ()>
                {move || {
                    let navigate = navigate.clone();
                    Suspend::new(async move {
                        let denied = groups.await.ok().and_then(|listing| listing.denials.reason("iam:CreateGroup"));
                        view! {
                            <GatedButton
                                label="Create group"
                                denied=Signal::derive(move || denied.clone())
                                on_click=move |_| navigate("/new/group", Default::default())
                                test_id="create-group"
                            />
                        }
                    })
                }}
            </Transition>
        </div>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(listing) => {
                        let page = listing.value;
                        let empty_message = if search.get_untracked().is_empty() {
                            "No groups yet."
                        } else {
                            "No group name starts with that."
                        };
                        view! {
                            <Table headings=vec!["Group name", "Path", "Created"]>
                                {if page.items.is_empty() {
                                    view! { <EmptyRow columns=3 message=empty_message.to_string() /> }.into_any()
                                } else {
                                    page.items
                                        .into_iter()
                                        .map(|group| view! {
                                            <tr>
                                                <td class=CELL>
                                                    <a class=LINK href=format!("/groups/{}", group.group_name)>{group.group_name.clone()}</a>
                                                </td>
                                                <td class=CELL><span class="font-mono text-xs">{group.path}</span></td>
                                                <td class=CELL>{format_millis(group.create_date)}</td>
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
