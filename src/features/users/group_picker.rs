//! Choosing groups for a user, searched on the server by name prefix: several for a new user,
//! or one at a time to add an existing user to.

use leptos::prelude::*;

use crate::features::console::error_view::ApiErrorView;
use crate::features::groups::api::list_groups;
use crate::features::ui::search_box::SearchBox;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::BUTTON_SECONDARY;

#[derive(Clone, Copy)]
pub enum GroupPick {
    /// Checkboxes: the names chosen.
    Many(RwSignal<Vec<String>>),
    /// An "Add" button on every group.
    Add {
        on_add: Callback<String>,
        pending: Signal<bool>,
    },
}

#[component]
pub fn GroupPicker(
    mode: GroupPick,
    /// Groups not to offer (those the user is in already).
    #[prop(optional)]
    exclude: Vec<String>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let groups = Resource::new(move || search.get(), |prefix| list_groups(prefix, None));
    let chosen_chips = match mode {
        GroupPick::Many(selected) => Some(view! {
            <p class="text-sm text-slate-600" data-testid="chosen-groups">
                {move || {
                    let names = selected.get();
                    if names.is_empty() {
                        "No groups chosen.".to_string()
                    } else {
                        format!("Chosen: {}", names.join(", "))
                    }
                }}
            </p>
        }),
        GroupPick::Add { .. } => None,
    };
    view! {
        <div class="space-y-2">
            <SearchBox label="Search groups" placeholder="Search groups by name prefix" on_search=move |text| search.set(text) />
            {chosen_chips}
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading groups…"</p> }>
                {move || {
                    let exclude = exclude.clone();
                    Suspend::new(async move {
                        match groups.await {
                            Ok(listing) => {
                                let page = listing.value;
                                let rows: Vec<_> = page
                                    .items
                                    .into_iter()
                                    .filter(|group| !exclude.contains(&group.group_name))
                                    .collect();
                                view! {
                                    <div class="max-h-72 overflow-y-auto">
                                        <Table headings=vec!["", "Group name", "Path"]>
                                            {if rows.is_empty() {
                                                view! { <EmptyRow columns=3 message="No groups to choose from.".to_string() /> }.into_any()
                                            } else {
                                                rows.into_iter()
                                                    .map(|group| view! { <GroupRow name=group.group_name path=group.path mode /> })
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

#[component]
fn GroupRow(name: String, path: String, mode: GroupPick) -> impl IntoView {
    let control = match mode {
        GroupPick::Many(selected) => {
            let checked = name.clone();
            let toggled = name.clone();
            view! {
                <input
                    type="checkbox"
                    aria-label=name.clone()
                    prop:checked=move || selected.with(|chosen| chosen.contains(&checked))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        let name = toggled.clone();
                        selected.update(|chosen| {
                            chosen.retain(|n| n != &name);
                            if on {
                                chosen.push(name);
                            }
                        });
                    }
                />
            }
            .into_any()
        }
        GroupPick::Add { on_add, pending } => {
            let added = name.clone();
            view! {
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    aria-label=format!("Add to {name}")
                    disabled=move || pending.get()
                    on:click=move |_| on_add.run(added.clone())
                >
                    "Add"
                </button>
            }
            .into_any()
        }
    };
    view! {
        <tr>
            <td class=CELL>{control}</td>
            <td class=CELL>{name.clone()}</td>
            <td class=CELL><span class="font-mono text-xs">{path}</span></td>
        </tr>
    }
}
