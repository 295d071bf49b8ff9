//! The tags of a user or role: add one (a tag with the same key gets the new value), remove one.

use leptos::prelude::*;

use super::api::{TagEntity, UntagEntity};
use super::denials::Denials;
use super::permissions_tab::failure;
use crate::api_error::field_message;
use crate::catalog::{TAG, UNTAG};
use crate::domain::tags::{Tag, MAX_TAGS};
use crate::domain::EntityKind;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{FormAlert, BUTTON_PRIMARY, BUTTON_SECONDARY};

#[component]
pub fn TagsTab(
    kind: EntityKind,
    entity_name: String,
    tags: Vec<Tag>,
    denials: Denials,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let tag = ServerAction::<TagEntity>::new();
    let untag = ServerAction::<UntagEntity>::new();
    Effect::new(move |_| {
        if matches!(tag.value().get(), Some(Ok(()))) || matches!(untag.value().get(), Some(Ok(())))
        {
            refresh.update(|n| *n += 1);
        }
    });
    let key = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let tag_denied = denials.reason(kind.pick(TAG));
    let untag_denied = denials.reason(kind.pick(UNTAG));
    let count = tags.len();
    let add = {
        let name = entity_name.clone();
        move |_| {
            tag.dispatch(TagEntity {
                kind,
                name: name.clone(),
                key: key.get_untracked(),
                value: value.get_untracked(),
            });
        }
    };
    let tag_error = Signal::derive(move || field_message(&tag.value().get(), "Tags"));
    let add_denied = tag_denied.clone();
    view! {
        <section class="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <div>
                <h2 class="text-base font-semibold text-slate-800">{format!("Tags ({count})")}</h2>
                <p class="text-sm text-slate-600">
                    {format!("Key-value pairs that describe this {} and that policies can test. At most {MAX_TAGS}.", kind.lower())}
                </p>
            </div>
            <Table headings=vec!["Key", "Value", ""]>
                {if tags.is_empty() {
                    view! { <EmptyRow columns=3 message="No tags.".to_string() /> }.into_any()
                } else {
                    tags.into_iter()
                        .map(|tag_row| {
                            let name = entity_name.clone();
                            let key = tag_row.key.clone();
                            let denied = untag_denied.clone();
                            view! {
                                <tr>
                                    <td class=CELL>{tag_row.key.clone()}</td>
                                    <td class=CELL>{tag_row.value}</td>
                                    <td class="px-4 py-2 text-right">
                                        <button
                                            type="button"
                                            class=BUTTON_SECONDARY
                                            aria-label=format!("Remove tag {}", tag_row.key)
                                            disabled={
                                                let denied = denied.is_some();
                                                move || denied || untag.pending().get()
                                            }
                                            title=denied.clone()
                                            on:click=move |_| {
                                                untag.dispatch(UntagEntity { kind, name: name.clone(), key: key.clone() });
                                            }
                                        >
                                            "Remove"
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </Table>
            <FormAlert message=Signal::derive(move || failure(untag.value().get())) />
            <div class="flex flex-wrap items-end gap-3 border-t border-slate-200 pt-4">
                <label class="text-sm font-medium text-slate-700">
                    "Key"
                    <input
                        type="text"
                        maxlength="128"
                        class="mt-1 block w-56 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                        on:input=move |ev| key.set(event_target_value(&ev))
                    />
                </label>
                <label class="text-sm font-medium text-slate-700">
                    "Value (optional)"
                    <input
                        type="text"
                        maxlength="256"
                        class="mt-1 block w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                </label>
                <button
                    type="button"
                    class=BUTTON_PRIMARY
                    disabled=move || add_denied.is_some() || key.get().trim().is_empty() || tag.pending().get()
                    title=tag_denied.clone()
                    on:click=add
                >
                    "Add tag"
                </button>
            </div>
            <p class="text-sm text-red-700" role="alert" id="field-Tags-error">{move || tag_error.get()}</p>
            <FormAlert message=Signal::derive(move || {
                let result = tag.value().get();
                match &result {
                    Some(Err(error)) if error.field.as_deref() != Some("Tags") => Some(error.message.clone()),
                    _ => None,
                }
            }) />
        </section>
    }
}
