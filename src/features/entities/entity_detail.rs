//! The frame users', groups' and roles' pages share: the name from the address, the page's data
//! (reloaded when `refresh` moves), the title and breadcrumb, and the loading and error states.

use std::future::Future;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api_error::ApiError;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::{Denials, Gated};

/// What differs between the detail pages' frames.
#[derive(Clone, Copy)]
pub struct DetailSpec {
    /// The word before the name in the window title (`User alice`).
    pub title_word: &'static str,
    /// The breadcrumb back to the list.
    pub list_label: &'static str,
    pub list_href: &'static str,
    /// The tab open at first.
    pub first_tab: &'static str,
}

/// The page's body once its data is in: the detail, the answers for its buttons, the open tab
/// and the counter that reloads the page.
pub type DetailBody<T> = fn(T, Denials, RwSignal<&'static str>, RwSignal<u32>) -> AnyView;

#[component]
pub fn EntityDetail<T, Fut>(
    spec: DetailSpec,
    /// The page's server function, given the name.
    fetch: fn(String) -> Fut,
    body: DetailBody<T>,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<Gated<T>, ApiError>> + Send + 'static,
{
    let params = use_params_map();
    // `try_with`: a response abandoned mid-stream may still ask after its page is gone.
    let name = move || {
        params
            .try_with(|params| params.get("name"))
            .flatten()
            .unwrap_or_default()
    };
    let refresh = RwSignal::new(0u32);
    let page = Resource::new(
        move || (name(), refresh.get()),
        move |(name, _)| fetch(name),
    );
    let tab = RwSignal::new(spec.first_tab);
    view! {
        <Title text=move || format!("{} {}", spec.title_word, name()) />
        <nav class="mb-2 text-sm text-slate-500">
            <a href=spec.list_href class="hover:underline">{spec.list_label}</a>
            " / "
            {name}
        </nav>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    // As a component would be: the body's own reads do not re-run this.
                    Ok(gated) => untrack(move || body(gated.value, gated.denials, tab, refresh)),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
