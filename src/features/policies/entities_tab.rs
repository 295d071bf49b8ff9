//! The Entities attached tab: the users, groups and roles a policy is attached to, each linked
//! to its page.

use leptos::prelude::*;

use super::api::AttachedEntities;
use crate::api_error::ApiError;
use crate::features::console::error_view::ApiErrorView;

#[component]
pub fn EntitiesTab(entities: Result<AttachedEntities, ApiError>) -> impl IntoView {
    match entities {
        Ok(entities) => view! { <EntityList entities /> }.into_any(),
        Err(error) => view! { <ApiErrorView error /> }.into_any(),
    }
}

#[component]
fn EntityList(entities: AttachedEntities) -> impl IntoView {
    if entities.users.is_empty() && entities.groups.is_empty() && entities.roles.is_empty() {
        return view! {
            <p data-testid="entities-empty" class="text-sm text-slate-600">
                "This policy is not attached to any user, group or role."
            </p>
        }
        .into_any();
    }
    let rows = [
        ("User", "users", entities.users),
        ("Group", "groups", entities.groups),
        ("Role", "roles", entities.roles),
    ];
    view! {
        <table class="w-full rounded-lg border border-slate-200 bg-white text-left text-sm shadow-sm">
            <thead class="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                    <th class="px-4 py-2 font-semibold">"Name"</th>
                    <th class="px-4 py-2 font-semibold">"Type"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {rows
                    .into_iter()
                    .flat_map(|(kind, folder, names)| {
                        names.into_iter().map(move |name| {
                            let href = format!("/{folder}/{name}");
                            view! {
                                <tr data-testid="attached-entity">
                                    <td class="px-4 py-2">
                                        <a href=href class="font-medium text-orange-700 hover:underline">{name}</a>
                                    </td>
                                    <td class="px-4 py-2 text-slate-600">{kind}</td>
                                </tr>
                            }
                        })
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
