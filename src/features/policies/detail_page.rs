//! `/policies/details?arn=…`: one managed policy — its summary, then tabs for its permissions,
//! versions, the entities it is attached to and (customer managed only) a new version; and the
//! console's delete, which detaches the policy first.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{get_policy_page, DeletePolicy, PolicyPage};
use super::edit_tab::EditTab;
use super::entities_tab::EntitiesTab;
use super::page_state::PageState;
use super::permissions_tab::PermissionsTab;
use super::versions_tab::VersionsTab;
use crate::domain::iam_models::ManagedPolicy;
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::{format_millis, CopyButton, DeleteButton, Tabs};

const PERMISSIONS: &str = "Permissions";
const VERSIONS: &str = "Versions";
const ENTITIES: &str = "Entities attached";
const EDIT: &str = "Edit";

#[component]
pub fn PolicyDetailPage() -> impl IntoView {
    let query = use_query_map();
    let arn = Memo::new(move |_| query.with(|q| q.get("arn").unwrap_or_default()));
    let state = PageState {
        tab: RwSignal::new(PERMISSIONS),
        changed: RwSignal::new(0),
        notice: RwSignal::new(None),
        draft: RwSignal::new(None),
    };
    let page = Resource::new(
        move || (arn.get(), state.changed.get()),
        |(arn, _)| get_policy_page(arn),
    );
    view! {
        <Title text="Policy" />
        <nav class="mb-2 text-sm"><a href="/policies" class="text-orange-700 hover:underline">"Policies"</a></nav>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <PolicyView page state /> }.into_any(),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PolicyView(page: PolicyPage, state: PageState) -> impl IntoView {
    let PolicyPage {
        policy,
        document,
        versions,
        entities,
        denials,
    } = page;
    let aws_managed = policy.aws_managed;
    let mut labels = vec![PERMISSIONS, VERSIONS, ENTITIES];
    if !aws_managed {
        labels.push(EDIT);
    }
    let arn = policy.arn.clone();
    let tab_view = {
        let arn = arn.clone();
        let denials = denials.clone();
        move || {
            match state.tab.get() {
            VERSIONS => match versions.clone() {
                Ok(versions) => view! {
                    <VersionsTab arn=arn.clone() versions aws_managed denials=denials.clone() state />
                }
                .into_any(),
                Err(error) => view! { <ApiErrorView error /> }.into_any(),
            },
            ENTITIES => view! { <EntitiesTab entities=entities.clone() /> }.into_any(),
            EDIT if !aws_managed => view! {
                <EditTab
                    arn=arn.clone()
                    document=document.clone()
                    version_count=versions.as_ref().ok().map(Vec::len)
                    denied=denials.create_version.clone()
                    state
                />
            }
            .into_any(),
            _ => view! { <PermissionsTab document=document.clone() /> }.into_any(),
        }
        }
    };
    // Erased (`into_any`), here and in the parts: nested, their view types exceed the
    // compiler's query depth limit in release builds.
    view! {
        <Title text=policy.policy_name.clone() />
        <div class="mb-6 flex items-start justify-between gap-4">
            <div>
                <h1 data-testid="policy-name" class="text-2xl font-semibold text-slate-900">{policy.policy_name.clone()}</h1>
                {aws_managed.then(|| view! {
                    <p data-testid="read-only-notice" class="mt-1 text-sm text-slate-600">
                        "AWS managed policy: AWS maintains it, so it is read-only here — it cannot be edited or deleted."
                    </p>
                })}
            </div>
            {(!aws_managed).then(|| view! {
                <DeletePolicyButton name=policy.policy_name.clone() arn=arn.clone() denied=denials.delete.clone()
                    attachments=policy.attachment_count + policy.permissions_boundary_usage_count />
            })}
        </div>
        {move || state.notice.get().map(|notice| view! {
            <div data-testid="policy-notice" role="status" class="mb-4 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">{notice}</div>
        })}
        <Summary policy />
        <div class="mt-6">
            <Tabs labels selected=state.tab />
            {tab_view}
        </div>
    }
    .into_any()
}

/// The policy's facts, as AWS's console shows them above the tabs.
#[component]
fn Summary(policy: ManagedPolicy) -> impl IntoView {
    let arn = policy.arn.clone();
    let kind = if policy.aws_managed {
        "AWS managed"
    } else {
        "Customer managed"
    };
    view! {
        <section class="rounded-lg border border-slate-200 bg-white px-5 py-4 shadow-sm">
            <dl class="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
                <dt class="text-slate-500">"ARN"</dt>
                <dd class="flex items-center gap-3">
                    <code data-testid="policy-arn" class="break-all font-mono text-xs">{arn.clone()}</code>
                    <CopyButton text=arn label="Copy ARN" />
                </dd>
                <dt class="text-slate-500">"Type"</dt>
                <dd data-testid="policy-type">{kind}</dd>
                <dt class="text-slate-500">"Description"</dt>
                <dd data-testid="policy-description">{policy.description.unwrap_or_else(|| "—".to_string())}</dd>
                <dt class="text-slate-500">"Path"</dt>
                <dd class="font-mono text-xs">{policy.path}</dd>
                <dt class="text-slate-500">"Created"</dt>
                <dd>{format_millis(policy.create_date)}</dd>
                <dt class="text-slate-500">"Last updated"</dt>
                <dd>{format_millis(policy.update_date)}</dd>
                <dt class="text-slate-500">"Default version"</dt>
                <dd data-testid="default-version">{policy.default_version_id}</dd>
                <dt class="text-slate-500">"Attached entities"</dt>
                <dd data-testid="attachment-count">{policy.attachment_count}</dd>
                <dt class="text-slate-500">"Used as permissions boundary"</dt>
                <dd data-testid="boundary-count">{policy.permissions_boundary_usage_count}</dd>
            </dl>
        </section>
    }
    .into_any()
}

/// Delete, after typing the policy's name; the server detaches it everywhere first.
#[component]
fn DeletePolicyButton(
    name: String,
    arn: String,
    denied: Option<String>,
    attachments: i64,
) -> impl IntoView {
    let delete = ServerAction::<DeletePolicy>::new();
    let result = delete.value();
    let consequence = if attachments > 0 {
        format!("It is first detached from the {attachments} users, groups and roles that use it (as a policy or permissions boundary). All its versions are deleted.")
    } else {
        "All its versions are deleted. This cannot be undone.".to_string()
    };
    view! {
        <div class="flex flex-col items-end gap-2">
            <DeleteButton
                name
                what="policy"
                denied
                test_id="delete-policy"
                consequence
                refused=Signal::derive(move || matches!(result.get(), Some(Err(_))))
                pending=delete.pending()
                on_confirm=move |()| { delete.dispatch(DeletePolicy { arn: arn.clone() }); }
            />
            {move || match result.get() {
                Some(Err(error)) => Some(view! { <div class="max-w-md"><ApiErrorView error /></div> }),
                _ => None,
            }}
        </div>
    }
    .into_any()
}
