//! How a page shows a failed server call: signed-out callers go to sign-in, anything else is
//! said in place (AWS's words for denials), never a blank page.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api_error::ApiError;

#[component]
pub fn ApiErrorView(error: ApiError) -> impl IntoView {
    if error.is_not_signed_in() {
        return view! { <Redirect path="/signin" /> }.into_any();
    }
    view! {
        <div class="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800" role="alert">
            <p class="font-semibold">{error.code.clone()}</p>
            <p class="mt-1">{error.message.clone()}</p>
        </div>
    }
    .into_any()
}
