//! `/roles`: the account's roles, searched by name prefix on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::list_roles;
use super::session_duration::hours_label;
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::pager::{Pager, Paging};
use crate::features::ui::search_box::SearchBox;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, GatedButton, PageHeader, LINK};

#[component]
pub fn RolesListPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let paging = Paging::new();
    let roles = Resource::new(
        move || (search.get(), paging.marker()),
        |(prefix, marker)| list_roles(prefix, marker),
    );
    let navigate = use_navigate();
    let on_search = Callback::new(move |text: String| {
        paging.reset();
        search.set(text);
    });
    view! {
        <Title text="Roles" />
        <PageHeader title="Roles" subtitle="Identities with permissions but no credentials of their own: trusted principals assume them for a while." />
        <div class="mb-3 flex items-center justify-between gap-4">
            <SearchBox label="Search roles" on_search />
            <Transition fallback=|| ()>
                {move || {
                    let navigate = navigate.clone();
                    Suspend::new(async move {
                        let denied = roles.await.ok().and_then(|listing| listing.denials.reason("iam:CreateRole"));
                        view! {
                            <GatedButton
                                label="Create role"
                                denied=Signal::derive(move || denied.clone())
                                on_click=move |_| navigate("/new/role", Default::default())
                                test_id="create-role"
                            />
                        }
                    })
                }}
            </Transition>
        </div>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match roles.await {
                    Ok(listing) => {
                        let page = listing.value;
                        let empty_message = if search.get_untracked().is_empty() {
                            "No roles yet."
                        } else {
                            "No role name starts with that."
                        };
                        view! {
                            <Table headings=vec!["Role name", "Description", "Maximum session", "Created"]>
                                {if page.items.is_empty() {
                                    view! { <EmptyRow columns=4 message=empty_message.to_string() /> }.into_any()
                                } else {
                                    page.items
                                        .into_iter()
                                        .map(|role| view! {
                                            <tr>
                                                <td class=CELL>
                                                    <a class=LINK href=format!("/roles/{}", role.role_name)>{role.role_name.clone()}</a>
                                                    <span class="block font-mono text-xs text-slate-500">{role.path}</span>
                                                </td>
                                                <td class="px-4 py-2 align-top text-slate-600">{role.description.unwrap_or_default()}</td>
                                                <td class=CELL>{hours_label(role.max_session_duration)}</td>
                                                <td class=CELL>{format_millis(role.create_date)}</td>
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
