//! `/policies`: AWS managed and customer managed policies, filtered by type and attachment on
//! the server (paged), and by name in the browser over the page shown.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::{list_policies, PolicyList};
use super::links::policy_href;
use crate::domain::iam_models::{ManagedPolicy, Page};
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::{GatedButton, PageHeader};

#[component]
pub fn PolicyListPage() -> impl IntoView {
    let scope = RwSignal::new("All".to_string());
    let only_attached = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    // Markers of the pages after the first that led here; the last one is the current page.
    let markers = RwSignal::new(Vec::<String>::new());
    let page = Resource::new(
        move || {
            (
                scope.get(),
                only_attached.get(),
                markers.with(|m| m.last().cloned()),
            )
        },
        |(scope, only_attached, marker)| list_policies(scope, only_attached, marker),
    );
    let navigate = use_navigate();
    let create = Callback::new(move |()| navigate("/policies/new", Default::default()));

    view! {
        <Title text="Policies" />
        <div class="flex items-start justify-between">
            <PageHeader title="Policies" subtitle="A policy is a document that grants or denies permissions to the users, groups and roles it is attached to." />
            <Transition fallback=move || view! { <GatedButton label="Create policy" denied=Some("Checking your permissions…".to_string()) /> }>
                {move || Suspend::new(async move {
                    let denied = page.await.map_or(None, |list| list.create_denied);
                    view! { <GatedButton label="Create policy" denied on_click=create test_id="create-policy" /> }
                })}
            </Transition>
        </div>
        <section class="rounded-lg border border-slate-200 bg-white shadow-sm">
            <div class="flex flex-wrap items-end gap-4 border-b border-slate-200 px-5 py-3 text-sm">
                <label class="flex-1 min-w-56">
                    <span class="block text-xs font-medium text-slate-500">"Search by name"</span>
                    <input
                        type="search"
                        placeholder="Filter this page by policy name"
                        class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5"
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span class="block text-xs font-medium text-slate-500">"Type"</span>
                    <select
                        class="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-1.5"
                        on:change=move |ev| {
                            markers.set(Vec::new());
                            scope.set(event_target_value(&ev));
                        }
                    >
                        <option value="All" selected=move || scope.get() == "All">"All types"</option>
                        <option value="AWS" selected=move || scope.get() == "AWS">"AWS managed"</option>
                        <option value="Local" selected=move || scope.get() == "Local">"Customer managed"</option>
                    </select>
                </label>
                <label class="flex items-center gap-2 pb-2">
                    <input
                        type="checkbox"
                        prop:checked=move || only_attached.get()
                        on:change=move |ev| {
                            markers.set(Vec::new());
                            only_attached.set(event_target_checked(&ev));
                        }
                    />
                    "Only attached"
                </label>
            </div>
            <Transition fallback=|| view! { <p class="px-5 py-4 text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(PolicyList { page, .. }) => view! { <PolicyTable page search markers /> }.into_any(),
                        Err(error) => view! { <div class="p-5"><ApiErrorView error /></div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PolicyTable(
    page: Page<ManagedPolicy>,
    search: RwSignal<String>,
    markers: RwSignal<Vec<String>>,
) -> impl IntoView {
    let next = page.marker.clone().filter(|_| page.is_truncated);
    let items = page.items;
    let shown = move || {
        let needle = search.get().trim().to_lowercase();
        items
            .iter()
            .filter(|policy| policy.policy_name.to_lowercase().contains(&needle))
            .cloned()
            .collect::<Vec<_>>()
    };
    view! {
        <table class="w-full text-left text-sm">
            <thead class="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                    <th class="px-5 py-2 font-semibold">"Policy name"</th>
                    <th class="px-5 py-2 font-semibold">"Type"</th>
                    <th class="px-5 py-2 font-semibold">"Attached entities"</th>
                    <th class="px-5 py-2 font-semibold">"Description"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {move || {
                    let rows = shown();
                    if rows.is_empty() {
                        return view! {
                            <tr><td colspan="4" class="px-5 py-6 text-center text-slate-500">"No policies match."</td></tr>
                        }.into_any();
                    }
                    rows.into_iter().map(|policy| view! { <PolicyRow policy /> }).collect_view().into_any()
                }}
            </tbody>
        </table>
        <div class="flex items-center justify-end gap-3 border-t border-slate-200 px-5 py-3 text-sm">
            <button
                type="button"
                class="rounded-md border border-slate-300 px-3 py-1.5 disabled:opacity-50"
                disabled=move || markers.with(Vec::is_empty)
                on:click=move |_| markers.update(|m| { m.pop(); })
            >
                "Previous page"
            </button>
            <button
                type="button"
                class="rounded-md border border-slate-300 px-3 py-1.5 disabled:opacity-50"
                disabled=next.is_none()
                on:click=move |_| {
                    if let Some(marker) = next.clone() {
                        markers.update(|m| m.push(marker));
                    }
                }
            >
                "Next page"
            </button>
        </div>
    }
}

#[component]
fn PolicyRow(policy: ManagedPolicy) -> impl IntoView {
    let kind = if policy.aws_managed {
        "AWS managed"
    } else {
        "Customer managed"
    };
    view! {
        <tr data-testid="policy-row" class="hover:bg-slate-50">
            <td class="px-5 py-2">
                <a href=policy_href(&policy.arn) class="font-medium text-orange-700 hover:underline">{policy.policy_name}</a>
            </td>
            <td class="px-5 py-2 text-slate-700">{kind}</td>
            <td class="px-5 py-2 text-slate-700">{policy.attachment_count}</td>
            <td class="px-5 py-2 text-slate-600">{policy.description.unwrap_or_default()}</td>
        </tr>
    }
}
