//! The policy editor's verdict: AWS's error (code and message) and every finding with its
//! severity and place; clicking a finding selects its text in the editor.

use leptos::prelude::*;

use crate::policy::{Finding, Location, Severity, Validation};

#[component]
pub fn EditorFindings(
    id: String,
    validation: Memo<Validation>,
    #[prop(into)] on_select: Callback<Location>,
) -> impl IntoView {
    view! {
        <div id=id data-testid="policy-findings" aria-live="polite" class="mt-2 space-y-2">
            {move || {
                validation
                    .with(|v| v.error.clone())
                    .map(|error| {
                        view! {
                            <div data-testid="policy-error" role="alert" class="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
                                <span class="font-semibold">{error.code.as_str()}</span>
                                ": "
                                {error.message}
                                <span class="block text-xs text-red-700">"IAM would reject this policy: saving is disabled until it is fixed."</span>
                            </div>
                        }
                    })
            }}
            {move || {
                let findings = validation.with(|v| v.findings.clone());
                if findings.is_empty() {
                    return view! {
                        <p data-testid="policy-no-findings" class="text-sm text-green-800">"No errors or warnings."</p>
                    }
                    .into_any();
                }
                view! {
                    <ul class="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
                        {findings
                            .into_iter()
                            .map(|finding| view! { <FindingRow finding on_select /> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </div>
    }
}

#[component]
fn FindingRow(finding: Finding, on_select: Callback<Location>) -> impl IntoView {
    let (label, badge) = severity_style(finding.severity);
    let place = finding
        .location
        .map(|l| format!("line {}, column {}", l.start.line, l.start.column));
    let location = finding.location;
    view! {
        <li data-testid="policy-finding" data-severity=severity_name(finding.severity)>
            <button
                type="button"
                disabled=location.is_none()
                title=location.map(|_| "Select this text in the editor")
                class="flex w-full items-start gap-3 px-3 py-2 text-left text-sm hover:bg-slate-50 disabled:cursor-default disabled:hover:bg-white"
                on:click=move |_| {
                    if let Some(location) = location {
                        on_select.run(location);
                    }
                }
            >
                <span class=format!("mt-0.5 shrink-0 rounded px-1.5 py-0.5 text-[11px] font-semibold uppercase {badge}")>{label}</span>
                <span class="flex-1">
                    <span class="text-slate-800">{finding.message}</span>
                    <span class="mt-0.5 block font-mono text-xs text-slate-500">
                        {finding.code}
                        {place.map(|place| view! { " · " <span data-testid="finding-place">{place}</span> })}
                    </span>
                </span>
            </button>
        </li>
    }
}

/// The badge text and colours of a severity.
fn severity_style(severity: Severity) -> (&'static str, &'static str) {
    match severity {
        Severity::Error => ("Error", "bg-red-100 text-red-800"),
        Severity::SecurityWarning => ("Security warning", "bg-orange-100 text-orange-800"),
        Severity::Warning => ("Warning", "bg-amber-100 text-amber-800"),
        Severity::Suggestion => ("Suggestion", "bg-sky-100 text-sky-800"),
    }
}

pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::SecurityWarning => "security-warning",
        Severity::Warning => "warning",
        Severity::Suggestion => "suggestion",
    }
}
