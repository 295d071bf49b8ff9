//! The centred card the signed-out pages are drawn in.

use leptos::prelude::*;

#[component]
pub fn AuthCard(
    title: &'static str,
    #[prop(optional)] subtitle: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="flex min-h-screen flex-col items-center justify-center px-4 py-12">
            <div class="mb-6 flex items-center gap-2 text-2xl font-bold tracking-tight text-slate-900">
                <span class="inline-block h-7 w-7 rounded bg-orange-600"></span>
                "Ferriam"
            </div>
            <div class="w-full max-w-md rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
                <h1 class="text-xl font-semibold text-slate-900">{title}</h1>
                {(!subtitle.is_empty()).then(|| view! { <p class="mt-1 text-sm text-slate-600">{subtitle}</p> })}
                <div class="mt-6">{children()}</div>
            </div>
        </div>
    }
}
