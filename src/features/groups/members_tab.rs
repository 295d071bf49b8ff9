//! A group's members: add users (searched on the server by name prefix) or remove them.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::{AddUserToGroup, RemoveUserFromGroup};
use crate::domain::iam_models::User;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::search_box::SearchBox;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, FormAlert, GatedButton, BUTTON_SECONDARY, LINK};
use crate::features::users::api::list_users;

#[component]
pub fn MembersTab(
    group_name: String,
    members: Vec<User>,
    denials: Denials,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let add = ServerAction::<AddUserToGroup>::new();
    let remove = ServerAction::<RemoveUserFromGroup>::new();
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(()))) || matches!(remove.value().get(), Some(Ok(())))
        {
            refresh.update(|n| *n += 1);
        }
    });
    let adding = RwSignal::new(false);
    let add_denied = denials.reason(Op::AddUserToGroup);
    let remove_denied = denials.reason(Op::RemoveUserFromGroup);
    let member_names: Vec<String> = members.iter().map(|u| u.user_name.clone()).collect();
    let count = members.len();
    let on_add = {
        let group_name = group_name.clone();
        Callback::new(move |user_name: String| {
            add.dispatch(AddUserToGroup {
                group_name: group_name.clone(),
                user_name,
            });
        })
    };
    view! {
        <section class="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <div class="flex items-center justify-between">
                <div>
                    <h2 class="text-base font-semibold text-slate-800">{format!("Users in this group ({count})")}</h2>
                    <p class="text-sm text-slate-600">"Members get every permission of the group."</p>
                </div>
                <GatedButton
                    label="Add users"
                    denied=Signal::derive(move || add_denied.clone())
                    on_click=move |_| adding.update(|open| *open = !*open)
                    test_id="add-users"
                />
            </div>
            <FormAlert message=Signal::derive(move || failure(remove.value().get())) />
            <Show when=move || adding.get()>
                <div class="space-y-3 rounded-lg border border-orange-200 bg-orange-50/40 p-4">
                    <div class="flex items-center justify-between">
                        <h3 class="text-sm font-semibold text-slate-800">"Add users to the group"</h3>
                        <button type="button" class=BUTTON_SECONDARY on:click=move |_| adding.set(false)>"Done"</button>
                    </div>
                    <FormAlert message=Signal::derive(move || failure(add.value().get())) />
                    <UserPicker on_add pending=add.pending().into() exclude=member_names.clone() />
                </div>
            </Show>
            <Table headings=vec!["User name", "Path", "Created", ""]>
                {if members.is_empty() {
                    view! { <EmptyRow columns=4 message="No users in this group.".to_string() /> }.into_any()
                } else {
                    members.into_iter()
                        .map(|user| {
                            let denied = remove_denied.clone();
                            let group_name = group_name.clone();
                            let user_name = user.user_name.clone();
                            view! {
                                <tr>
                                    <td class=CELL><a class=LINK href=format!("/users/{}", user.user_name)>{user.user_name.clone()}</a></td>
                                    <td class=CELL><span class="font-mono text-xs">{user.path}</span></td>
                                    <td class=CELL>{format_millis(user.create_date)}</td>
                                    <td class="px-4 py-2 text-right">
                                        <ConfirmButton
                                            label="Remove"
                                            confirm_label="Remove from group"
                                            denied=Signal::derive(move || denied.clone())
                                            pending=remove.pending()
                                            on_confirm=move |_| {
                                                remove.dispatch(RemoveUserFromGroup { group_name: group_name.clone(), user_name: user_name.clone() });
                                            }
                                        />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </Table>
        </section>
    }
}

/// Users found by name prefix, each with an "Add" button.
#[component]
fn UserPicker(
    on_add: Callback<String>,
    pending: Signal<bool>,
    exclude: Vec<String>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let users = Resource::new(move || search.get(), |prefix| list_users(prefix, None));
    view! {
        <div class="space-y-2">
            <SearchBox label="Search users to add" placeholder="Search users by name prefix" on_search=move |text: String| search.set(text) />
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading users…"</p> }>
                {move || {
                    let exclude = exclude.clone();
                    Suspend::new(async move {
                        match users.await {
                            Ok(listing) => {
                                let page = listing.value;
                                let rows: Vec<User> = page.items.into_iter().filter(|u| !exclude.contains(&u.user_name)).collect();
                                view! {
                                    <div class="max-h-72 overflow-y-auto">
                                        <Table headings=vec!["User name", "Path", ""]>
                                            {if rows.is_empty() {
                                                view! { <EmptyRow columns=3 message="No users to add.".to_string() /> }.into_any()
                                            } else {
                                                rows.into_iter()
                                                    .map(|user| {
                                                        let name = user.user_name.clone();
                                                        view! {
                                                            <tr>
                                                                <td class=CELL>{user.user_name.clone()}</td>
                                                                <td class=CELL><span class="font-mono text-xs">{user.path}</span></td>
                                                                <td class="px-4 py-2 text-right">
                                                                    <button
                                                                        type="button"
                                                                        class=BUTTON_SECONDARY
                                                                        aria-label=format!("Add {}", user.user_name)
                                                                        disabled=move || pending.get()
                                                                        on:click=move |_| on_add.run(name.clone())
                                                                    >
                                                                        "Add"
                                                                    </button>
                                                                </td>
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()
                                                    .into_any()
                                            }}
                                        </Table>
                                    </div>
                                    {page.is_truncated.then(|| view! {
                                        <p class="text-xs text-slate-500">"Showing the first 50 matches: type more of the name to narrow them."</p>
                                    })}
                                }
                                .into_any()
                            }
                            Err(error) => view! { <ApiErrorView error /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </div>
    }
}
