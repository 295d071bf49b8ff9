//! Choosing the other side of a group membership, searched on the server by name prefix: groups
//! for a user (several for a new user, or one at a time to add an existing user to) or users to
//! add to a group, one at a time.

use leptos::prelude::*;

use super::policy_chooser::toggle;
use crate::api_error::ApiError;
use crate::domain::EntityKind;
use crate::features::console::error_view::ApiErrorView;
use crate::features::groups::api::list_groups;
use crate::features::ui::search_box::SearchBox;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::BUTTON_SECONDARY;
use crate::features::users::api::list_users;

#[derive(Clone, Copy)]
pub enum MemberPick {
    /// Checkboxes: the names chosen.
    Many(RwSignal<Vec<String>>),
    /// An "Add" button on every entity.
    Add {
        on_add: Callback<String>,
        pending: Signal<bool>,
    },
}

/// What the picker of one kind says.
struct PickerWords {
    search_label: &'static str,
    placeholder: &'static str,
    loading: &'static str,
    empty: &'static str,
    headings: &'static [&'static str],
}

/// `[users, groups, —]`: roles are never members, so their slot repeats the users' and is never
/// used.
const WORDS: [PickerWords; 3] = [USERS, GROUPS, USERS];

const USERS: PickerWords = PickerWords {
    search_label: "Search users to add",
    placeholder: "Search users by name prefix",
    loading: "Loading users…",
    empty: "No users to add.",
    headings: &["User name", "Path", ""],
};

const GROUPS: PickerWords = PickerWords {
    search_label: "Search groups",
    placeholder: "Search groups by name prefix",
    loading: "Loading groups…",
    empty: "No groups to choose from.",
    headings: &["", "Group name", "Path"],
};

/// One page of names and paths found, and whether there are more.
type Found = (Vec<(String, String)>, bool);

/// The users or groups (`kind`) whose names start with `prefix`.
async fn find(kind: EntityKind, prefix: String) -> Result<Found, ApiError> {
    Ok(match kind {
        EntityKind::Group => {
            let page = list_groups(prefix, None).await?.value;
            let rows = page.items.into_iter().map(|g| (g.group_name, g.path));
            (rows.collect(), page.is_truncated)
        }
        _ => {
            let page = list_users(prefix, None).await?.value;
            let rows = page.items.into_iter().map(|u| (u.user_name, u.path));
            (rows.collect(), page.is_truncated)
        }
    })
}

#[component]
pub fn MemberPicker(
    /// What is picked: `Group` or `User`.
    kind: EntityKind,
    mode: MemberPick,
    /// Names not to offer (the memberships there are already).
    #[prop(optional)]
    exclude: Vec<String>,
) -> impl IntoView {
    let words = kind.pick(WORDS);
    let search = RwSignal::new(String::new());
    let found = Resource::new(move || search.get(), move |prefix| find(kind, prefix));
    let chosen_chips = match mode {
        MemberPick::Many(selected) => Some(view! {
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
        MemberPick::Add { .. } => None,
    };
    view! {
        <div class="space-y-2">
            <SearchBox label=words.search_label placeholder=words.placeholder on_search=move |text: String| search.set(text) />
            {chosen_chips}
            <Transition fallback=move || view! { <p class="text-sm text-slate-500">{words.loading}</p> }>
                {move || {
                    let exclude = exclude.clone();
                    Suspend::new(async move {
                        match found.await {
                            Ok((rows, is_truncated)) => {
                                let rows: Vec<_> = rows
                                    .into_iter()
                                    .filter(|(name, _)| !exclude.contains(name))
                                    .collect();
                                view! {
                                    <div class="max-h-72 overflow-y-auto">
                                        <Table headings=words.headings.to_vec()>
                                            {if rows.is_empty() {
                                                view! { <EmptyRow columns=3 message=words.empty.to_string() /> }.into_any()
                                            } else {
                                                rows.into_iter()
                                                    .map(|(name, path)| view! { <PickRow kind name path mode /> })
                                                    .collect_view()
                                                    .into_any()
                                            }}
                                        </Table>
                                    </div>
                                    {is_truncated.then(|| view! {
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
fn PickRow(kind: EntityKind, name: String, path: String, mode: MemberPick) -> impl IntoView {
    let control = match mode {
        MemberPick::Many(selected) => {
            let checked = name.clone();
            let toggled = name.clone();
            view! {
                <input
                    type="checkbox"
                    aria-label=name.clone()
                    prop:checked=move || selected.with(|chosen| chosen.contains(&checked))
                    on:change=move |ev| toggle(selected, toggled.clone(), event_target_checked(&ev))
                />
            }
            .into_any()
        }
        MemberPick::Add { on_add, pending } => {
            let added = name.clone();
            // A user is added to the group; the group is what the user is added to.
            let label = match kind {
                EntityKind::Group => format!("Add to {name}"),
                _ => format!("Add {name}"),
            };
            view! {
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    aria-label=label
                    disabled=move || pending.get()
                    on:click=move |_| on_add.run(added.clone())
                >
                    "Add"
                </button>
            }
            .into_any()
        }
    };
    let path = view! { <td class=CELL><span class="font-mono text-xs">{path}</span></td> };
    match kind {
        EntityKind::Group => view! {
            <tr>
                <td class=CELL>{control}</td>
                <td class=CELL>{name}</td>
                {path}
            </tr>
        }
        .into_any(),
        _ => view! {
            <tr>
                <td class=CELL>{name}</td>
                {path}
                <td class="px-4 py-2 text-right">{control}</td>
            </tr>
        }
        .into_any(),
    }
}
