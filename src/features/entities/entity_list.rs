//! The list page users, groups and roles share: a name-prefix search served by the server, a
//! Create button gated by the principal's permissions, the table of one page and the pager.

use std::future::Future;

use leptos::prelude::*;

use crate::catalog::Op;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api_error::ApiError;
use crate::domain::iam_models::Page;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::Gated;
use crate::features::ui::pager::{Pager, Paging};
use crate::features::ui::search_box::SearchBox;
use crate::features::ui::table::{EmptyRow, Table};
use crate::features::ui::{GatedButton, PageHeader};

/// What differs between the list pages: their words, the Create button and the columns.
#[derive(Clone, Copy)]
pub struct ListSpec {
    pub title: &'static str,
    pub subtitle: &'static str,
    pub search_label: &'static str,
    /// The IAM action that gates the Create button (`iam:CreateUser`).
    pub create_op: Op,
    pub create_label: &'static str,
    pub create_path: &'static str,
    pub create_test_id: &'static str,
    /// The empty table's message with no search, and with one.
    pub empty: &'static str,
    pub no_match: &'static str,
    pub headings: &'static [&'static str],
}

#[component]
pub fn EntityList<T, Fut>(
    spec: ListSpec,
    /// The listing server function: name prefix and marker in, one page out.
    fetch: fn(String, Option<String>) -> Fut,
    /// One table row for an item.
    row: fn(T) -> AnyView,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<Gated<Page<T>>, ApiError>> + Send + 'static,
{
    let search = RwSignal::new(String::new());
    let paging = Paging::new();
    let listing = Resource::new(
        move || (search.get(), paging.marker()),
        move |(prefix, marker)| fetch(prefix, marker),
    );
    let navigate = use_navigate();
    let on_search = Callback::new(move |text: String| {
        paging.reset();
        search.set(text);
    });
    view! {
        <Title text=spec.title />
        <PageHeader title=spec.title subtitle=spec.subtitle />
        <div class="mb-3 flex items-center justify-between gap-4">
            <SearchBox label=spec.search_label on_search />
            <Transition fallback=|| ()>
                {move || {
                    let navigate = navigate.clone();
                    Suspend::new(async move {
                        let denied = listing.await.ok().and_then(|listing| listing.denials.reason(spec.create_op));
                        view! {
                            <GatedButton
                                label=spec.create_label
                                denied=denied
                                on_click=move |_| navigate(spec.create_path, Default::default())
                                test_id=spec.create_test_id
                            />
                        }
                    })
                }}
            </Transition>
        </div>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(listing) => {
                        let page = listing.value;
                        let empty_message = if search.get_untracked().is_empty() { spec.empty } else { spec.no_match };
                        view! {
                            <Table headings=spec.headings.to_vec()>
                                {if page.items.is_empty() {
                                    view! { <EmptyRow columns=spec.headings.len() message=empty_message.to_string() /> }.into_any()
                                } else {
                                    page.items.into_iter().map(row).collect_view().into_any()
                                }}
                            </Table>
                            <Pager paging next_marker=page.marker.filter(|_| page.is_truncated) />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
