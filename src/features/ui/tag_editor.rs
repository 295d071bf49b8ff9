//! Rows of tag keys and values to add to a new user or role; AWS allows 50.

use leptos::prelude::*;

use super::BUTTON_SECONDARY;
use crate::domain::tags::{Tag, MAX_TAGS};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRow {
    id: u32,
    key: String,
    value: String,
}

/// The tags the rows hold; rows left entirely blank are ignored.
pub fn tags_of(rows: &[TagRow]) -> Vec<Tag> {
    rows.iter()
        .filter(|row| !(row.key.trim().is_empty() && row.value.is_empty()))
        .map(|row| Tag {
            key: row.key.trim().to_string(),
            value: row.value.clone(),
        })
        .collect()
}

#[component]
pub fn TagEditor(
    rows: RwSignal<Vec<TagRow>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let next_id = StoredValue::new(0u32);
    let add = move |_| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        rows.update(|rows| {
            rows.push(TagRow {
                id,
                key: String::new(),
                value: String::new(),
            })
        });
    };
    let edit = move |id: u32, key: bool, text: String| {
        rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|row| row.id == id) {
                if key {
                    row.key = text;
                } else {
                    row.value = text;
                }
            }
        })
    };
    view! {
        <div class="space-y-2" data-testid="tag-editor">
            <For each=move || rows.get() key=|row| row.id let:row>
                {
                    let id = row.id;
                    view! {
                        <div class="flex items-center gap-2">
                            <input
                                type="text"
                                aria-label="Tag key"
                                placeholder="Key"
                                maxlength="128"
                                class="w-56 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                                on:input=move |ev| edit(id, true, event_target_value(&ev))
                            />
                            <input
                                type="text"
                                aria-label="Tag value"
                                placeholder="Value (optional)"
                                maxlength="256"
                                class="w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                                on:input=move |ev| edit(id, false, event_target_value(&ev))
                            />
                            <button
                                type="button"
                                class=BUTTON_SECONDARY
                                on:click=move |_| rows.update(|rows| rows.retain(|row| row.id != id))
                            >
                                "Remove"
                            </button>
                        </div>
                    }
                }
            </For>
            <div class="flex items-center gap-3">
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    disabled=move || rows.with(|rows| rows.len() >= MAX_TAGS)
                    on:click=add
                >
                    "Add tag"
                </button>
                <span class="text-xs text-slate-500">
                    {move || format!("You can add {} more tags.", MAX_TAGS.saturating_sub(rows.with(Vec::len)))}
                </span>
            </div>
            <p class="text-sm text-red-700" role="alert" id="field-Tags-error">{move || error.get()}</p>
        </div>
    }
}
