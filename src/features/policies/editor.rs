//! `PolicyEditor`: a policy document textarea with line numbers that validates as the person
//! types, in the browser, with the server's own rules (`crate::policy::validate`). The server
//! validates again on save; the editor only spares the round trip.
//!
//! Interface (reused for managed, inline and trust policies):
//! - `value`: the document text, read and written by the editor;
//! - `kind`: which IAM rules apply;
//! - `name`: the textarea's form field name (its id is `policy-editor-{name}`);
//! - `valid` (optional): set by the editor to whether IAM would accept the document now.

use std::time::Duration;

use leptos::html;
use leptos::prelude::*;

use super::editor_findings::{severity_name, EditorFindings};
use super::editor_text::line_count;
use crate::features::ui::json_format::reindent;
use crate::policy::{policy_size, validate, Location, PolicyKind, Severity, Validation};

/// Pixels per line: the textarea and the gutter both use Tailwind's `leading-5`.
const LINE_HEIGHT_PX: i32 = 20;
/// Typing pauses this long before the document is validated again.
const DEBOUNCE: Duration = Duration::from_millis(150);

#[component]
pub fn PolicyEditor(
    value: RwSignal<String>,
    kind: PolicyKind,
    name: &'static str,
    #[prop(optional)] valid: Option<RwSignal<bool>>,
    #[prop(default = "Policy document")] label: &'static str,
    #[prop(default = 18)] rows: u32,
) -> impl IntoView {
    let id = format!("policy-editor-{name}");
    let findings_id = format!("{id}-findings");
    let textarea = NodeRef::<html::Textarea>::new();
    let gutter = NodeRef::<html::Div>::new();

    // The text last validated: trails `value` by the debounce while the person types.
    let checked = RwSignal::new(value.get_untracked());
    let validation = Memo::new(move |_| checked.with(|text| validate(text, kind)));
    debounce_into(value, checked);
    if let Some(valid) = valid {
        valid.set(validation.with_untracked(Validation::is_valid));
        Effect::new(move |_| valid.set(validation.with(Validation::is_valid)));
    }

    let select = Callback::new(move |location: Location| {
        if let Some(element) = textarea.get_untracked() {
            select_location(&element, location);
        }
    });
    let format = move |_| {
        if let Some(pretty) = value.with_untracked(|text| reindent(text)) {
            value.set(pretty);
        }
    };
    let size = move || checked.with(|text| policy_size(text));

    view! {
        <div class="space-y-1">
            <div class="flex items-end justify-between gap-4">
                <label for=id.clone() class="block text-sm font-medium text-slate-700">{label}</label>
                <div class="flex items-center gap-3 text-xs text-slate-500">
                    {kind.size_quota().map(|quota| view! {
                        <span
                            data-testid="policy-size"
                            class=move || { if size() > quota { "font-semibold text-red-700" } else { "" } }
                        >
                            {move || format!("{} of {quota} characters", size())}
                            " (whitespace not counted)"
                        </span>
                    })}
                    <button
                        type="button"
                        on:click=format
                        class="rounded border border-slate-300 bg-white px-2 py-1 font-medium text-slate-700 hover:bg-slate-50"
                    >
                        "Format JSON"
                    </button>
                </div>
            </div>
            <div class="flex overflow-hidden rounded-md border border-slate-300 bg-white focus-within:border-orange-500 focus-within:ring-2 focus-within:ring-orange-200">
                <div
                    node_ref=gutter
                    aria-hidden="true"
                    class="min-w-10 shrink-0 select-none overflow-hidden border-r border-slate-200 bg-slate-50 py-2 pb-6 text-right font-mono text-xs leading-5 text-slate-400"
                    style=format!("height: {}px", rows as i32 * LINE_HEIGHT_PX + 16)
                >
                    <Gutter value validation />
                </div>
                <textarea
                    node_ref=textarea
                    id=id
                    name=name
                    rows=rows
                    wrap="off"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    aria-invalid=move || if validation.with(Validation::is_valid) { "false" } else { "true" }
                    aria-describedby=findings_id.clone()
                    class="block flex-1 resize-none overflow-auto bg-white px-3 py-2 font-mono text-xs leading-5 text-slate-900 focus:outline-none"
                    style=format!("height: {}px", rows as i32 * LINE_HEIGHT_PX + 16)
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:scroll=move |_| sync_gutter(textarea, gutter)
                >
                    {value.get_untracked()}
                </textarea>
            </div>
            <EditorFindings id=findings_id validation on_select=select />
        </div>
    }
}

/// The line numbers; lines with a finding are marked with its severity (errors in red).
#[component]
fn Gutter(value: RwSignal<String>, validation: Memo<Validation>) -> impl IntoView {
    let marks = Memo::new(move |_| {
        validation.with(|v| {
            v.findings
                .iter()
                .filter_map(|f| f.location.map(|l| (l.start.line, l.end.line, f.severity)))
                .collect::<Vec<_>>()
        })
    });
    move || {
        let marks = marks.get();
        (1..=value.with(|text| line_count(text)))
            .map(|line| {
                // Severity orders errors first: the most severe mark wins.
                let severity = marks
                    .iter()
                    .filter(|(start, end, _)| *start <= line && line <= (*end).max(*start))
                    .map(|(_, _, severity)| *severity)
                    .min();
                let class = match severity {
                    Some(Severity::Error) => "bg-red-100 px-2 font-semibold text-red-700",
                    Some(Severity::SecurityWarning) => "bg-orange-50 px-2 text-orange-700",
                    Some(Severity::Warning) => "bg-amber-50 px-2 text-amber-700",
                    Some(Severity::Suggestion) => "px-2 text-sky-700",
                    None => "px-2",
                };
                view! {
                    <div data-testid="editor-line-number" data-severity=severity.map(severity_name) class=class>
                        {line}
                    </div>
                }
            })
            .collect_view()
    }
}

/// Copies `value` into `checked` once typing pauses for [`DEBOUNCE`].
fn debounce_into(value: RwSignal<String>, checked: RwSignal<String>) {
    let ticket = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let text = value.get();
        if checked.with_untracked(|current| *current == text) {
            return;
        }
        let mine = ticket.try_get_value().unwrap_or_default().wrapping_add(1);
        ticket.set_value(mine);
        set_timeout(
            move || {
                if ticket.try_get_value() == Some(mine) {
                    checked.try_set(text);
                }
            },
            DEBOUNCE,
        );
    });
}

#[cfg(feature = "hydrate")]
fn sync_gutter(textarea: NodeRef<html::Textarea>, gutter: NodeRef<html::Div>) {
    if let (Some(textarea), Some(gutter)) = (textarea.get_untracked(), gutter.get_untracked()) {
        gutter.set_scroll_top(textarea.scroll_top());
    }
}

#[cfg(not(feature = "hydrate"))]
fn sync_gutter(_textarea: NodeRef<html::Textarea>, _gutter: NodeRef<html::Div>) {}

/// Selects the located text in the textarea, focuses it and scrolls the text into view.
#[cfg(feature = "hydrate")]
fn select_location(element: &web_sys::HtmlTextAreaElement, location: Location) {
    use super::editor_text::{utf16_len, utf16_offset};
    let text = element.value();
    let start = utf16_offset(&text, location.start.line, location.start.column);
    let mut end = utf16_offset(&text, location.end.line, location.end.column);
    // An empty range (say, an unexpected end of text) still gets one visible character.
    if end <= start {
        end = (start + 1).min(utf16_len(&text));
    }
    let _ = element.focus();
    let _ = element.set_selection_range(start, end);
    let line = i32::try_from(location.start.line).unwrap_or(i32::MAX);
    element.set_scroll_top(((line - 3) * LINE_HEIGHT_PX).max(0));
}

#[cfg(not(feature = "hydrate"))]
fn select_location(_element: &leptos::web_sys::HtmlTextAreaElement, _location: Location) {}
