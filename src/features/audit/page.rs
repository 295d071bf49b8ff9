//! `/audit`: the account's audit events, newest first. The filters apply on the server (one
//! page at a time, keyset-paged); the export links download the whole filtered set.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{list_audit_events, AuditEventView, AuditPage};
use crate::domain::audit_query::AuditQuery;
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::{format_millis, PageHeader};

const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5";
const BUTTON: &str = "rounded-md border border-slate-300 px-3 py-1.5 disabled:opacity-50";

#[component]
pub fn AuditLogPage() -> impl IntoView {
    // What the form holds, and what was last applied (the table and the exports follow it).
    let draft = RwSignal::new(AuditQuery::default());
    let applied = RwSignal::new(AuditQuery::default());
    // Cursors of the pages after the first that led here; the last one is the current page.
    let cursors = RwSignal::new(Vec::<i64>::new());
    let page = Resource::new(
        move || (applied.get(), cursors.with(|c| c.last().copied())),
        |(query, before)| list_audit_events(query, before),
    );
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        cursors.set(Vec::new());
        applied.set(draft.get_untracked());
    };

    view! {
        <Title text="Audit log" />
        <PageHeader
            title="Audit log"
            subtitle="Every console action, API call, sign-in and sign-out in this account, newest first. Reading it needs cloudtrail:LookupEvents."
        />
        <section class="rounded-lg border border-slate-200 bg-white shadow-sm">
            <form class="grid grid-cols-1 gap-3 border-b border-slate-200 px-5 py-3 text-sm md:grid-cols-4" on:submit=apply>
                <Filter label="Principal" placeholder="ARN or part of one" field=|q| &mut q.principal draft />
                <Filter label="Action" placeholder="e.g. iam:CreateUser or CreateUser" field=|q| &mut q.action draft />
                <Filter label="Resource" placeholder="ARN or part of one" field=|q| &mut q.resource draft />
                <label>
                    <span class="block text-xs font-medium text-slate-500">"Result"</span>
                    <select
                        name="result"
                        class="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5"
                        on:change=move |ev| draft.update(|q| q.result = event_target_value(&ev))
                    >
                        <option value="">"Any result"</option>
                        <option value="success">"Success"</option>
                        <option value="error">"Any error"</option>
                        <option value="AccessDenied">"AccessDenied"</option>
                        <option value="NoSuchEntity">"NoSuchEntity"</option>
                        <option value="EntityAlreadyExists">"EntityAlreadyExists"</option>
                        <option value="ValidationError">"ValidationError"</option>
                        <option value="SignInFailed">"SignInFailed"</option>
                    </select>
                </label>
                <TimeFilter label="From (UTC)" field=|q| &mut q.from draft />
                <TimeFilter label="To (UTC)" field=|q| &mut q.to draft />
                <div class="flex items-end gap-3 md:col-span-2">
                    <button type="submit" class="rounded-md bg-orange-600 px-4 py-1.5 font-medium text-white hover:bg-orange-700">"Apply filters"</button>
                    <a class=BUTTON href=move || applied.with(|q| q.export_href("jsonl")) download="" data-testid="export-jsonl">"Download JSON lines"</a>
                    <a class=BUTTON href=move || applied.with(|q| q.export_href("csv")) download="" data-testid="export-csv">"Download CSV"</a>
                </div>
            </form>
            <Transition fallback=|| view! { <p class="px-5 py-4 text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <EventTable page cursors /> }.into_any(),
                        Err(error) => view! { <div class="p-5"><ApiErrorView error /></div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Filter(
    label: &'static str,
    placeholder: &'static str,
    field: fn(&mut AuditQuery) -> &mut String,
    draft: RwSignal<AuditQuery>,
) -> impl IntoView {
    view! {
        <label>
            <span class="block text-xs font-medium text-slate-500">{label}</span>
            <input
                type="search"
                name=label.to_lowercase()
                placeholder=placeholder
                class=INPUT
                on:input=move |ev| draft.update(|q| *field(q) = event_target_value(&ev))
            />
        </label>
    }
}

#[component]
fn TimeFilter(
    label: &'static str,
    field: fn(&mut AuditQuery) -> &mut String,
    draft: RwSignal<AuditQuery>,
) -> impl IntoView {
    view! {
        <label>
            <span class="block text-xs font-medium text-slate-500">{label}</span>
            <input
                type="datetime-local"
                class=INPUT
                on:input=move |ev| draft.update(|q| *field(q) = event_target_value(&ev))
            />
        </label>
    }
}

#[component]
fn EventTable(page: AuditPage, cursors: RwSignal<Vec<i64>>) -> impl IntoView {
    let next = page.next_before;
    let empty = page.events.is_empty();
    view! {
        <table class="w-full table-fixed text-left text-sm">
            <thead class="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                    <th class="w-40 px-5 py-2 font-semibold">"Time"</th>
                    <th class="px-5 py-2 font-semibold">"Principal"</th>
                    <th class="w-52 px-5 py-2 font-semibold">"Action"</th>
                    <th class="px-5 py-2 font-semibold">"Resource"</th>
                    <th class="w-40 px-5 py-2 font-semibold">"Result"</th>
                    <th class="w-32 px-5 py-2 font-semibold">"Source IP"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {empty.then(|| view! {
                    <tr><td colspan="6" class="px-5 py-6 text-center text-slate-500">"No events match."</td></tr>
                })}
                {page.events.into_iter().map(|event| view! { <EventRow event /> }).collect_view()}
            </tbody>
        </table>
        <div class="flex items-center justify-end gap-3 border-t border-slate-200 px-5 py-3 text-sm">
            <button
                type="button"
                class=BUTTON
                disabled=move || cursors.with(Vec::is_empty)
                on:click=move |_| cursors.update(|c| { c.pop(); })
            >
                "Newer events"
            </button>
            <button
                type="button"
                class=BUTTON
                disabled=next.is_none()
                on:click=move |_| {
                    if let Some(before) = next {
                        cursors.update(|c| c.push(before));
                    }
                }
            >
                "Older events"
            </button>
        </div>
    }
}

#[component]
fn EventRow(event: AuditEventView) -> impl IntoView {
    let ok = event.result == "Success";
    let result_class = if ok {
        "text-green-700"
    } else {
        "font-medium text-red-700"
    };
    let title = event.error_message.clone().unwrap_or_default();
    let details = format!(
        "Request ID {}{}{}",
        event.request_id,
        event
            .access_key_id
            .as_deref()
            .map(|k| format!(" · access key {k}"))
            .unwrap_or_default(),
        event
            .user_agent
            .as_deref()
            .map(|a| format!(" · {a}"))
            .unwrap_or_default(),
    );
    view! {
        <tr data-testid="audit-row" class="align-top hover:bg-slate-50" title=details>
            <td class="px-5 py-2 text-slate-700">{format_millis(event.event_time)}</td>
            <td class="break-all px-5 py-2 text-slate-800" data-testid="audit-principal">{event.principal_arn}</td>
            <td class="break-all px-5 py-2 font-mono text-xs text-slate-800" data-testid="audit-action">{event.action}</td>
            <td class="break-all px-5 py-2 text-slate-700" data-testid="audit-resource">{event.resource_arn}</td>
            <td class=format!("px-5 py-2 {result_class}") title=title data-testid="audit-result">{event.result}</td>
            <td class="px-5 py-2 text-slate-600">{event.source_ip.unwrap_or_default()}</td>
        </tr>
    }
}
