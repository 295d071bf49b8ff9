//! The console's side navigation. Areas not built yet are listed as such, not as fake pages.

use leptos::prelude::*;
use leptos_router::components::A;

const LINK: &str = "block rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-orange-50 aria-[current=page]:text-orange-800";

#[component]
pub fn SideNav() -> impl IntoView {
    view! {
        <nav aria-label="Console" class="w-60 shrink-0 border-r border-slate-200 bg-white px-3 py-4">
            <A href="/" exact=true attr:class=LINK>"Dashboard"</A>
            <p class="mt-5 px-3 text-xs font-semibold uppercase tracking-wide text-slate-500">"Access management"</p>
            <A href="/users" attr:class=LINK>"Users"</A>
            <A href="/groups" attr:class=LINK>"User groups"</A>
            <A href="/roles" attr:class=LINK>"Roles"</A>
            <A href="/policies" attr:class=LINK>"Policies"</A>
            <A href="/identity-providers" attr:class=LINK>"Identity providers"</A>
            <A href="/account" attr:class=LINK>"Account settings"</A>
            <p class="mt-5 px-3 text-xs font-semibold uppercase tracking-wide text-slate-500">"Reports"</p>
            <A href="/audit" attr:class=LINK>"Audit log"</A>
            <p class="mt-5 px-3 text-xs font-semibold uppercase tracking-wide text-slate-500">"You"</p>
            <A href="/security-credentials" attr:class=LINK>"My security credentials"</A>
        </nav>
    }
}
