//! The frame of every console page: who is signed in, in which account, and the navigation.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

use super::error_view::ApiErrorView;
use super::nav::SideNav;
use crate::domain::read_models::SignedInPrincipal;
use crate::features::auth::api::{current_principal, SignOut};
use crate::features::ui::dashed_account_id;
use crate::features::ui::server_form::ServerForm;

#[component]
pub fn ConsoleLayout() -> impl IntoView {
    // Rendered on the server, the sign-in gate has already loaded who is signed in: the page is
    // built once around it, and the value travels to the browser with the page for hydration.
    // (Built inside a `Suspend`, Leptos's server render creates the page two or three times, and
    // every read its panels make runs — and is audited — as often.)
    let known = SharedValue::new(principal_known_to_the_server).into_inner();
    match known {
        Some(me) => view! { <ConsoleFrame me /> }.into_any(),
        // Entered from a sign-in page without a page load (or the gate could not load it): ask
        // the server.
        None => view! { <ConsoleFrameOnceLoaded /> }.into_any(),
    }
}

fn principal_known_to_the_server() -> Option<SignedInPrincipal> {
    #[cfg(feature = "ssr")]
    {
        crate::server::console::signed_in_principal_of_request()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
fn ConsoleFrameOnceLoaded() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_principal());
    view! {
        <Suspense fallback=|| view! { <div class="p-8 text-sm text-slate-500">"Loading…"</div> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! { <ConsoleFrame me /> }.into_any(),
                    Ok(None) => view! { <Redirect path="/signin" /> }.into_any(),
                    Err(error) => view! { <div class="p-8"><ApiErrorView error /></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConsoleFrame(me: SignedInPrincipal) -> impl IntoView {
    // Pages read who is signed in from here, synchronously, and so create their components (and
    // resources) outside any Suspend, numbered alike on the server and in the browser.
    provide_context(me.clone());
    view! {
        <div class="flex min-h-screen flex-col">
            <TopBar me />
            <div class="flex flex-1">
                <SideNav />
                <main class="flex-1 px-8 py-6">
                    <Outlet />
                </main>
            </div>
        </div>
    }
}

#[component]
fn TopBar(me: SignedInPrincipal) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let account = dashed_account_id(me.principal.account_id.as_str());
    let alias = me.account_alias.map(|a| a.to_string());
    view! {
        <header class="flex h-14 items-center justify-between bg-slate-900 px-6 text-sm text-slate-100">
            <a href="/" class="flex items-center gap-2 text-base font-bold tracking-tight text-white">
                <span class="inline-block h-5 w-5 rounded bg-orange-500"></span>
                "Ferriam"
            </a>
            <div class="flex items-center gap-6">
                <div class="text-right leading-tight">
                    <div data-testid="principal-name" class="font-medium">{me.display_name}</div>
                    <div class="text-xs text-slate-400">
                        "Account " <span data-testid="account-id">{account}</span>
                        {alias.map(|alias| view! { " (" <span data-testid="account-alias">{alias}</span> ")" })}
                    </div>
                </div>
                <ServerForm action=sign_out>
                    <button
                        type="submit"
                        class="rounded-md border border-slate-600 px-3 py-1.5 font-medium hover:bg-slate-800"
                    >
                        "Sign out"
                    </button>
                </ServerForm>
            </div>
        </header>
    }
}
