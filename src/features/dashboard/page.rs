//! `/`: the IAM dashboard.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::get_account_overview;
use crate::domain::read_models::AccountOverview;
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::{dashed_account_id, CopyButton, PageHeader, Panel};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_account_overview());
    view! {
        <Title text="IAM dashboard" />
        <PageHeader title="IAM dashboard" />
        <Suspense fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Overview overview /> }.into_any(),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(overview: AccountOverview) -> impl IntoView {
    // The browser knows the address it reached us at; the server may sit behind a proxy.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        origin.set(window().location().origin().unwrap_or_default());
    });
    let path = overview.sign_in_path();
    let sign_in_url = Signal::derive(move || format!("{}{}", origin.get(), path));
    let account_id = dashed_account_id(overview.account_id.as_str());
    let alias = overview.alias.as_ref().map(|a| a.to_string());
    view! {
        <div class="grid max-w-4xl gap-6">
            <Panel title="Account">
                <dl class="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
                    <dt class="text-slate-500">"Account ID"</dt>
                    <dd data-testid="dashboard-account-id" class="font-mono">{account_id}</dd>
                    <dt class="text-slate-500">"Account alias"</dt>
                    <dd>{alias.unwrap_or_else(|| "None".to_string())}</dd>
                </dl>
            </Panel>
            <Panel title="Sign-in URL for IAM users in this account">
                <div class="flex items-center gap-3">
                    <code data-testid="signin-url" class="flex-1 truncate rounded bg-slate-100 px-3 py-2 text-sm">
                        {move || sign_in_url.get()}
                    </code>
                    <CopyButton text=sign_in_url label="Copy URL" />
                </div>
            </Panel>
            <Panel title="Security recommendations">
                <RootMfaRecommendation enabled=overview.root_mfa_enabled />
            </Panel>
        </div>
    }
}

#[component]
fn RootMfaRecommendation(enabled: bool) -> impl IntoView {
    if enabled {
        view! {
            <p data-testid="root-mfa-status" class="flex items-center gap-2 text-sm text-green-800">
                <span aria-hidden="true" class="inline-flex h-5 w-5 items-center justify-center rounded-full bg-green-100">"✓"</span>
                "The root user has MFA."
            </p>
        }
        .into_any()
    } else {
        view! {
            <div class="flex items-center justify-between gap-4">
                <p data-testid="root-mfa-status" class="flex items-center gap-2 text-sm text-amber-800">
                    <span aria-hidden="true" class="inline-flex h-5 w-5 items-center justify-center rounded-full bg-amber-100">"!"</span>
                    "Add MFA for the root user: a password alone protects the whole account."
                </p>
                <a
                    href="/security-credentials"
                    class="shrink-0 rounded-md bg-orange-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-orange-700"
                >
                    "Add MFA"
                </a>
            </div>
        }
        .into_any()
    }
}
