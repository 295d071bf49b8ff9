//! The page for a path that leads nowhere.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Page not found" />
        <div class="mx-auto max-w-lg px-4 py-24 text-center">
            <h1 class="text-2xl font-semibold">"Page not found"</h1>
            <p class="mt-2 text-slate-600">"Nothing lives at this address."</p>
            <a href="/" class="mt-6 inline-block font-medium text-orange-700 hover:underline">"Go to the dashboard"</a>
        </div>
    }
}
