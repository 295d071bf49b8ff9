//! The groups a user belongs to: add the user to another, or remove it from one.

use crate::catalog::Op;
use leptos::prelude::*;

use super::group_picker::{GroupPick, GroupPicker};
use crate::domain::iam_models::Group;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::groups::api::{AddUserToGroup, RemoveUserFromGroup};
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, FormAlert, GatedButton, BUTTON_SECONDARY, LINK};

#[component]
pub fn GroupsTab(
    user_name: String,
    groups: Vec<Group>,
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
    let member_of: Vec<String> = groups.iter().map(|g| g.group_name.clone()).collect();
    let count = groups.len();
    let on_add = {
        let user_name = user_name.clone();
        Callback::new(move |group_name: String| {
            add.dispatch(AddUserToGroup {
                group_name,
                user_name: user_name.clone(),
            });
        })
    };
    view! {
        <section class="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <div class="flex items-center justify-between">
                <div>
                    <h2 class="text-base font-semibold text-slate-800">{format!("User groups membership ({count})")}</h2>
                    <p class="text-sm text-slate-600">"The user gets every permission of the groups it belongs to. At most 10 groups."</p>
                </div>
                <GatedButton
                    label="Add user to groups"
                    denied=Signal::derive(move || add_denied.clone())
                    on_click=move |_| adding.update(|open| *open = !*open)
                    test_id="add-to-groups"
                />
            </div>
            <FormAlert message=Signal::derive(move || failure(remove.value().get())) />
            <Show when=move || adding.get()>
                <div class="space-y-3 rounded-lg border border-orange-200 bg-orange-50/40 p-4">
                    <div class="flex items-center justify-between">
                        <h3 class="text-sm font-semibold text-slate-800">"Add to groups"</h3>
                        <button type="button" class=BUTTON_SECONDARY on:click=move |_| adding.set(false)>"Done"</button>
                    </div>
                    <FormAlert message=Signal::derive(move || failure(add.value().get())) />
                    <GroupPicker mode=GroupPick::Add { on_add, pending: add.pending().into() } exclude=member_of.clone() />
                </div>
            </Show>
            <Table headings=vec!["Group name", "Path", "Created", ""]>
                {if groups.is_empty() {
                    view! { <EmptyRow columns=4 message="This user is in no group.".to_string() /> }.into_any()
                } else {
                    groups.into_iter()
                        .map(|group| {
                            let denied = denials.reason_on(Op::RemoveUserFromGroup, &group.arn);
                            let group_name = group.group_name.clone();
                            let user_name = user_name.clone();
                            view! {
                                <tr>
                                    <td class=CELL><a class=LINK href=format!("/groups/{}", group.group_name)>{group.group_name.clone()}</a></td>
                                    <td class=CELL><span class="font-mono text-xs">{group.path}</span></td>
                                    <td class=CELL>{format_millis(group.create_date)}</td>
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
