//! The frame users', groups' and roles' pages share: the name from the address, the page's data
//! (reloaded when `refresh` moves), the title and breadcrumb, the loading and error states, and
//! the header with Rename and Delete; each kind plugs in its summary and tabs.

use std::future::Future;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::entity_header::EntityHeader;
use super::words::words;
use crate::api_error::ApiError;
use crate::domain::EntityKind;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::{Denials, Gated};
use crate::features::ui::Tabs;

/// What a kind's page shows once its data is in, within the frame.
pub struct DetailParts {
    /// The entity's name as stored, which the header shows.
    pub name: String,
    /// What deleting it takes with it, said in the confirmation.
    pub consequence: String,
    /// The summary panel under the header.
    pub summary: AnyView,
    pub tabs: Vec<&'static str>,
    /// One `role="tabpanel"` element for each tab.
    pub panels: AnyView,
}

/// The page's parts once its data is in: given the detail, the answers for its buttons, the
/// open tab and the counter that reloads the page.
pub type DetailBody<T> = fn(T, Denials, RwSignal<&'static str>, RwSignal<u32>) -> DetailParts;

/// A user's, group's or role's page: the frame (title, breadcrumb, loading and errors), the
/// header with Rename and Delete, then the kind's summary, tabs and panels.
#[component]
pub fn EntityDetail<T, Fut>(
    kind: EntityKind,
    /// The page's server function, given the name.
    fetch: fn(String) -> Fut,
    body: DetailBody<T>,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<Gated<T>, ApiError>> + Send + 'static,
{
    let words = words(kind);
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
    let tab = RwSignal::new(words.first_tab);
    view! {
        <Title text=move || format!("{} {}", kind.word(), name()) />
        <nav class="mb-2 text-sm text-slate-500">
            <a href=words.list_href class="hover:underline">{words.list_title}</a>
            " / "
            {name}
        </nav>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    // As a component would be: the body's own reads do not re-run this.
                    Ok(gated) => untrack(move || {
                        let denials = gated.denials;
                        let parts = body(gated.value, denials.clone(), tab, refresh);
                        view! {
                            <EntityHeader kind name=parts.name consequence=parts.consequence denials />
                            {parts.summary}
                            <Tabs labels=parts.tabs selected=tab />
                            {parts.panels}
                        }
                        .into_any()
                    }),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
