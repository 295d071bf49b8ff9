//! A policy JSON field that validates as the person types, with exactly the server's rules
//! (`crate::policy::validate` compiles to wasm): AWS's error and where it is, under the field.

use leptos::prelude::*;

use super::json_format::pretty_json;
use crate::policy::{validate, AwsPolicyError, PolicyKind};

/// AWS's verdict on `text` as a policy of `kind`; `None` when IAM would accept it.
pub fn policy_problem(text: &str, kind: PolicyKind) -> Option<AwsPolicyError> {
    validate(text, kind).error
}

/// Whether a form holding this text may be submitted.
pub fn is_valid_policy(text: &str, kind: PolicyKind) -> bool {
    !text.trim().is_empty() && policy_problem(text, kind).is_none()
}

fn describe(problem: &AwsPolicyError) -> (String, Option<String>) {
    let headline = format!("{}: {}", problem.code.as_str(), problem.message);
    let place = problem.location.map(|location| {
        let at = format!(
            "Line {}, column {}",
            location.start.line, location.start.column
        );
        match &problem.detail {
            Some(detail) => format!("{at}: {detail}"),
            None => at,
        }
    });
    (headline, place)
}

/// A monospace textarea for a policy document. Parents disable their Save button with
/// [`is_valid_policy`]; the server validates again. `server_error` shows what the server said
/// about the last submission (size quotas over all of an entity's policies, for instance).
#[component]
pub fn PolicyTextarea(
    value: RwSignal<String>,
    kind: PolicyKind,
    name: &'static str,
    #[prop(default = "Policy document")] label: &'static str,
    #[prop(optional, into)] server_error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let problem = Memo::new(move |_| {
        let text = value.get();
        if text.trim().is_empty() {
            None
        } else {
            policy_problem(&text, kind).map(|problem| describe(&problem))
        }
    });
    let server_message = move || server_error.and_then(|error| error.get());
    let invalid = move || problem.get().is_some() || server_message().is_some();
    let format = move |_| value.set(pretty_json(&value.get_untracked()));
    let initial = value.get_untracked();
    view! {
        <div class="space-y-1">
            <div class="flex items-end justify-between">
                <label for=id.clone() class="block text-sm font-medium text-slate-700">{label}</label>
                <button type="button" class="text-xs font-medium text-orange-700 hover:underline" on:click=format>
                    "Format JSON"
                </button>
            </div>
            <textarea
                id=id
                name=name
                rows="16"
                spellcheck="false"
                autocomplete="off"
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                class=move || {
                    let base = "block w-full rounded-md border px-3 py-2 font-mono text-xs leading-relaxed shadow-sm focus:outline-none focus:ring-2";
                    if invalid() {
                        format!("{base} border-red-500 focus:ring-red-200")
                    } else {
                        format!("{base} border-slate-300 focus:border-orange-500 focus:ring-orange-200")
                    }
                }
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            >
                {initial}
            </textarea>
            <div id=error_id role="alert" class="text-sm text-red-700">
                {move || match problem.get() {
                    Some((headline, place)) => view! {
                        <p>{headline}</p>
                        {place.map(|place| view! { <p class="font-mono text-xs">{place}</p> })}
                    }
                    .into_any(),
                    None => server_message().map(|message| view! { <p>{message}</p> }).into_any(),
                }}
            </div>
        </div>
    }
}
