//! Small building blocks the console's pages share: fields with their errors, alerts, buttons.

use leptos::prelude::*;

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
