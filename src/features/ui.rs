//! Small building blocks the console's pages share: fields with their errors, alerts, buttons.

use leptos::prelude::*;

pub mod confirm_button;
pub mod json_format;
pub mod pager;
pub mod policy_textarea;
pub mod search_box;
pub mod server_form;
pub mod table;
pub mod tag_editor;

/// A secondary action: white with a border.
pub const BUTTON_SECONDARY: &str = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50";
/// The primary action of a form or page.
pub const BUTTON_PRIMARY: &str = "rounded-md bg-orange-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-orange-700 disabled:cursor-not-allowed disabled:opacity-50";
/// A link inside text or a table.
pub const LINK: &str = "font-medium text-orange-700 hover:underline";

/// A labelled input with its error message beneath it.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] input_mode: &'static str,
    #[prop(optional)] max_length: Option<u32>,
    #[prop(into)] error: Signal<Option<String>>,
    /// The initial value.
    #[prop(optional, into)]
    value: String,
    /// Told every change, for forms that submit from signals rather than form data.
    #[prop(optional, into)]
    on_input: Option<Callback<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let invalid = move || error.get().is_some();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700">
                {label}
            </label>
            <input
                id=id
                name=name
                type=input_type
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                inputmode=(!input_mode.is_empty()).then_some(input_mode)
                maxlength=max_length
                required=required
                autofocus=autofocus
                value=(!value.is_empty()).then_some(value)
                on:input=move |ev| {
                    if let Some(on_input) = on_input {
                        on_input.run(event_target_value(&ev));
                    }
                }
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                class=move || {
                    let base = "block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2";
                    if invalid() {
                        format!("{base} border-red-500 focus:ring-red-200")
                    } else {
                        format!("{base} border-slate-300 focus:border-orange-500 focus:ring-orange-200")
                    }
                }
            />
            {(!hint.is_empty()).then(|| view! { <p class="text-xs text-slate-500">{hint}</p> })}
            <p id=error_id class="text-sm text-red-700" role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A message for the whole form (errors that belong to no one field).
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <div class="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800" role="alert">
                    {text}
                </div>
            }
        })
    }
}

/// The primary button of a form.
#[component]
pub fn SubmitButton(label: &'static str, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    view! {
        <button
            type="submit"
            disabled=move || pending.get()
            class="inline-flex w-full items-center justify-center rounded-md bg-orange-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-orange-700 focus:outline-none focus:ring-2 focus:ring-orange-300 disabled:cursor-wait disabled:opacity-60"
        >
            {label}
        </button>
    }
}

/// Copies `text` to the clipboard and says so for a moment.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(default = "Copy")] label: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let value = text.get_untracked();
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&value);
            copied.set(true);
            set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = text;
    };
    view! {
        <button
            type="button"
            on:click=on_click
            class="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
        >
            {move || if copied.get() { "Copied" } else { label }}
        </button>
    }
}

/// A page's heading.
#[component]
pub fn PageHeader(title: &'static str, #[prop(optional)] subtitle: &'static str) -> impl IntoView {
    view! {
        <header class="mb-6">
            <h1 class="text-2xl font-semibold text-slate-900">{title}</h1>
            {(!subtitle.is_empty()).then(|| view! { <p class="mt-1 text-sm text-slate-600">{subtitle}</p> })}
        </header>
    }
}

/// A white panel with a title.
#[component]
pub fn Panel(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="rounded-lg border border-slate-200 bg-white shadow-sm">
            <h2 class="border-b border-slate-200 px-5 py-3 text-base font-semibold text-slate-800">{title}</h2>
            <div class="px-5 py-4">{children()}</div>
        </section>
    }
}

/// A button that is disabled, with the reason on hover, when the principal may not use it.
/// `denied` holds AWS's AccessDenied sentence (from `check_permissions`).
#[component]
pub fn GatedButton(
    label: &'static str,
    #[prop(into)] denied: Signal<Option<String>>,
    #[prop(optional)] danger: bool,
    /// A secondary action (white with a border) rather than the page's primary one.
    #[prop(optional)]
    secondary: bool,
    #[prop(default = "button")] button_type: &'static str,
    #[prop(optional, into)] on_click: Option<Callback<()>>,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let class = if danger {
        "rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50"
    } else if secondary {
        BUTTON_SECONDARY
    } else {
        "rounded-md bg-orange-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-orange-700 disabled:cursor-not-allowed disabled:opacity-50"
    };
    view! {
        <button
            type=button_type
            class=class
            data-testid=(!test_id.is_empty()).then_some(test_id)
            disabled=move || denied.get().is_some()
            title=move || denied.get()
            on:click=move |_| {
                if let Some(callback) = on_click {
                    callback.run(());
                }
            }
        >
            {label}
        </button>
    }
}

/// Tabs over a page's sections; `selected` holds the active tab's label.
#[component]
pub fn Tabs(labels: Vec<&'static str>, selected: RwSignal<&'static str>) -> impl IntoView {
    view! {
        <div role="tablist" class="mb-4 flex gap-1 border-b border-slate-200">
            {labels
                .into_iter()
                .map(|label| {
                    let active = move || selected.get() == label;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            aria-selected=move || if active() { "true" } else { "false" }
                            on:click=move |_| selected.set(label)
                            class=move || {
                                if active() {
                                    "-mb-px border-b-2 border-orange-600 px-4 py-2 text-sm font-semibold text-orange-800"
                                } else {
                                    "px-4 py-2 text-sm text-slate-600 hover:text-slate-900"
                                }
                            }
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The Delete button of an entity's page (disabled with the reason when the caller may not
/// delete) and the typed-name confirmation it opens. The dialog closes when the deletion is
/// refused, so that the page can show why.
#[component]
pub fn DeleteButton(
    #[prop(into)] name: String,
    /// The word in "Delete {what} {name}?".
    what: &'static str,
    denied: Option<String>,
    test_id: &'static str,
    #[prop(into)] consequence: String,
    #[prop(into)] refused: Signal<bool>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_confirm: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        if refused.get() {
            confirming.set(false);
        }
    });
    view! {
        <GatedButton label="Delete" danger=true denied=denied on_click=move |()| confirming.set(true) test_id />
        <Show when=move || confirming.get()>
            <ConfirmDelete
                name=name.clone()
                what
                consequence=consequence.clone()
                pending
                on_confirm
                on_cancel=move |()| confirming.set(false)
            />
        </Show>
    }
}

/// A delete confirmation that asks the person to type the entity's name, as the AWS console
/// does. `on_confirm` runs only when the typed text equals `name`.
#[component]
pub fn ConfirmDelete(
    #[prop(into)] name: String,
    what: &'static str,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(optional, into)] consequence: Option<String>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let expected = name.clone();
    let matches = move || typed.get() == expected;
    view! {
        <div role="dialog" aria-modal="true" aria-labelledby="confirm-delete-title" class="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 px-4">
            <div class="w-full max-w-md rounded-lg bg-white p-6 shadow-xl">
                <h2 id="confirm-delete-title" class="text-lg font-semibold text-slate-900">{format!("Delete {what} {name}?")}</h2>
                {consequence.map(|text| view! { <p class="mt-2 text-sm text-slate-600">{text}</p> })}
                <label class="mt-4 block text-sm text-slate-700">
                    "To confirm, type "
                    <span class="font-mono font-semibold">{name.clone()}</span>
                    <input
                        type="text"
                        aria-label="Type the name to confirm"
                        class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                </label>
                <div class="mt-6 flex justify-end gap-3">
                    <button
                        type="button"
                        class="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                        on:click=move |_| on_cancel.run(())
                    >
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 disabled:cursor-not-allowed disabled:opacity-50"
                        disabled=move || !matches() || pending.get()
                        on:click=move |_| on_confirm.run(())
                    >
                        "Delete"
                    </button>
                </div>
            </div>
        </div>
    }
}

/// A policy document, pretty-printed (in its own key order) when it is valid JSON.
#[component]
pub fn PolicyJson(#[prop(into)] document: String) -> impl IntoView {
    let pretty = json_format::pretty_json(&document);
    view! { <pre class="overflow-x-auto rounded-md bg-slate-900 p-4 text-xs leading-relaxed text-slate-100">{pretty}</pre> }
}

/// Unix milliseconds as `2026-11-22 14:05 UTC`.
pub fn format_millis(millis: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(millis / 1000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// `123456789012` as AWS shows it: `1234-5678-9012`.
pub fn dashed_account_id(id: &str) -> String {
    if id.len() == 12 {
        format!("{}-{}-{}", &id[0..4], &id[4..8], &id[8..12])
    } else {
        id.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn account_ids_are_shown_dashed() {
        assert_eq!(super::dashed_account_id("123456789012"), "1234-5678-9012");
        assert_eq!(super::dashed_account_id("12"), "12");
    }
}
