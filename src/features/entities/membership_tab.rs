//! Group membership seen from either side: the groups a user belongs to (the "Groups" tab of a
//! user's page) or the users in a group (the "Users" tab of a group's page). Add a membership
//! with a picker searched on the server, or remove one.

use leptos::prelude::*;

use super::denials::Denials;
use super::member_picker::{MemberPick, MemberPicker};
use super::permissions_tab::failure;
use super::words::entity_href;
use crate::catalog::Op;
use crate::domain::iam_models::{Group, User};
use crate::domain::EntityKind;
use crate::features::groups::api::{AddUserToGroup, RemoveUserFromGroup};
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, FormAlert, GatedButton, BUTTON_SECONDARY, LINK};

/// One row of the table: a group of the user, or a user of the group.
pub struct Member {
    pub name: String,
    pub path: String,
    pub create_date: i64,
    pub arn: String,
}

impl From<User> for Member {
    fn from(user: User) -> Self {
        Member {
            name: user.user_name,
            path: user.path,
            create_date: user.create_date,
            arn: user.arn,
        }
    }
}

impl From<Group> for Member {
    fn from(group: Group) -> Self {
        Member {
            name: group.group_name,
            path: group.path,
            create_date: group.create_date,
            arn: group.arn,
        }
    }
}

/// What the tab says on one side.
struct SideWords {
    heading: &'static str,
    about: &'static str,
    add_label: &'static str,
    add_test_id: &'static str,
    picker_heading: &'static str,
    headings: &'static [&'static str],
    empty: &'static str,
}

/// `[user's groups, group's users, —]`: a role has no memberships, so its slot repeats the
/// user's and is never used.
const SIDES: [SideWords; 3] = [USER_SIDE, GROUP_SIDE, USER_SIDE];

const USER_SIDE: SideWords = SideWords {
    heading: "User groups membership",
    about: "The user gets every permission of the groups it belongs to. At most 10 groups.",
    add_label: "Add user to groups",
    add_test_id: "add-to-groups",
    picker_heading: "Add to groups",
    headings: &["Group name", "Path", "Created", ""],
    empty: "This user is in no group.",
};

const GROUP_SIDE: SideWords = SideWords {
    heading: "Users in this group",
    about: "Members get every permission of the group.",
    add_label: "Add users",
    add_test_id: "add-users",
    picker_heading: "Add users to the group",
    headings: &["User name", "Path", "Created", ""],
    empty: "No users in this group.",
};

#[component]
pub fn MembershipTab(
    /// The page's kind: `User` (its groups are listed) or `Group` (its users are).
    kind: EntityKind,
    entity_name: String,
    members: Vec<Member>,
    denials: Denials,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let words = kind.pick(SIDES);
    let member_kind = match kind {
        EntityKind::Group => EntityKind::User,
        _ => EntityKind::Group,
    };
    // `AddUserToGroup` and `RemoveUserFromGroup` take the group and the user, whichever side
    // the page is on.
    let pair = move |entity: String, member: String| match kind {
        EntityKind::Group => (entity, member),
        _ => (member, entity),
    };
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
    let member_names: Vec<String> = members.iter().map(|m| m.name.clone()).collect();
    let count = members.len();
    let on_add = {
        let entity_name = entity_name.clone();
        Callback::new(move |picked: String| {
            let (group_name, user_name) = pair(entity_name.clone(), picked);
            add.dispatch(AddUserToGroup {
                group_name,
                user_name,
            });
        })
    };
    view! {
        <section class="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <div class="flex items-center justify-between">
                <div>
                    <h2 class="text-base font-semibold text-slate-800">{format!("{} ({count})", words.heading)}</h2>
                    <p class="text-sm text-slate-600">{words.about}</p>
                </div>
                <GatedButton
                    label=words.add_label
                    denied=Signal::derive(move || add_denied.clone())
                    on_click=move |_| adding.update(|open| *open = !*open)
                    test_id=words.add_test_id
                />
            </div>
            <FormAlert message=Signal::derive(move || failure(remove.value().get())) />
            <Show when=move || adding.get()>
                <div class="space-y-3 rounded-lg border border-orange-200 bg-orange-50/40 p-4">
                    <div class="flex items-center justify-between">
                        <h3 class="text-sm font-semibold text-slate-800">{words.picker_heading}</h3>
                        <button type="button" class=BUTTON_SECONDARY on:click=move |_| adding.set(false)>"Done"</button>
                    </div>
                    <FormAlert message=Signal::derive(move || failure(add.value().get())) />
                    <MemberPicker kind=member_kind mode=MemberPick::Add { on_add, pending: add.pending().into() } exclude=member_names.clone() />
                </div>
            </Show>
            <Table headings=words.headings.to_vec()>
                {if members.is_empty() {
                    view! { <EmptyRow columns=4 message=words.empty.to_string() /> }.into_any()
                } else {
                    members.into_iter()
                        .map(|member| {
                            // A user's page asked about each of its groups; a group's page about
                            // the group itself.
                            let denied = match kind {
                                EntityKind::Group => denials.reason(Op::RemoveUserFromGroup),
                                _ => denials.reason_on(Op::RemoveUserFromGroup, &member.arn),
                            };
                            let (group_name, user_name) = pair(entity_name.clone(), member.name.clone());
                            view! {
                                <tr>
                                    <td class=CELL><a class=LINK href=entity_href(member_kind, &member.name)>{member.name.clone()}</a></td>
                                    <td class=CELL><span class="font-mono text-xs">{member.path}</span></td>
                                    <td class=CELL>{format_millis(member.create_date)}</td>
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
