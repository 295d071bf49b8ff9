//! A filterable list of the managed policies (AWS managed and the account's own) to pick from:
//! several for a new entity, one as a permissions boundary, or one at a time to attach.

use leptos::prelude::*;

use super::api::policy_choices;
use crate::domain::iam_models::ManagedPolicy;
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::BUTTON_SECONDARY;

#[derive(Clone, Copy)]
pub enum PickMode {
    /// Checkboxes: the ARNs chosen.
    Many(RwSignal<Vec<String>>),
    /// Radio buttons: the one ARN chosen.
    One(RwSignal<Option<String>>),
    /// An "Attach" button on every policy.
    Attach {
        on_attach: Callback<String>,
        pending: Signal<bool>,
    },
}

#[component]
pub fn PolicyChooser(
    mode: PickMode,
    /// Policies not to offer (those already attached).
    #[prop(optional)]
    exclude: Vec<String>,
) -> impl IntoView {
    let choices = Resource::new(|| (), |_| policy_choices());
    let filter = RwSignal::new(String::new());
    view! {
        <div class="space-y-2">
            <input
                type="search"
                aria-label="Filter policies by name"
                placeholder="Filter policies by name"
                autocomplete="off"
                class="w-80 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500">"Loading policies…"</p> }>
                {move || {
                    let exclude = exclude.clone();
                    Suspend::new(async move {
                        match choices.await {
                            Ok(policies) => {
                                let policies: Vec<ManagedPolicy> = policies
                                    .into_iter()
                                    .filter(|policy| !exclude.contains(&policy.arn))
                                    .collect();
                                view! { <ChoiceTable policies filter mode /> }.into_any()
                            }
                            Err(error) => view! { <ApiErrorView error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn ChoiceTable(
    policies: Vec<ManagedPolicy>,
    filter: RwSignal<String>,
    mode: PickMode,
) -> impl IntoView {
    let shown = move || {
        let needle = filter.get().trim().to_lowercase();
        policies
            .iter()
            .filter(|policy| policy.policy_name.to_lowercase().contains(&needle))
            .cloned()
            .collect::<Vec<_>>()
    };
    let headings = match mode {
        PickMode::Attach { .. } => vec!["Policy name", "Type", "Description", ""],
        _ => vec!["", "Policy name", "Type", "Description"],
    };
    view! {
        <div class="max-h-80 overflow-y-auto">
            <Table headings>
                {move || {
                    let rows = shown();
                    if rows.is_empty() {
                        return view! { <EmptyRow columns=4 message="No policies match.".to_string() /> }.into_any();
                    }
                    rows.into_iter()
                        .map(|policy| view! { <ChoiceRow policy mode /> })
                        .collect_view()
                        .into_any()
                }}
            </Table>
        </div>
        {match mode {
            PickMode::Many(selected) => Some(view! {
                <p class="text-xs text-slate-500">
                    {move || format!("{} selected. AWS allows at most 10 managed policies per entity.", selected.with(Vec::len))}
                </p>
            }),
            _ => None,
        }}
    }
}

/// Ticks (`on`) or unticks `item` among the `selected`, keeping the order they were ticked in.
pub fn toggle(selected: RwSignal<Vec<String>>, item: String, on: bool) {
    selected.update(|chosen| {
        chosen.retain(|chosen| chosen != &item);
        if on {
            chosen.push(item);
        }
    });
}

#[component]
fn ChoiceRow(policy: ManagedPolicy, mode: PickMode) -> impl IntoView {
    let arn = policy.arn.clone();
    let name = policy.policy_name.clone();
    let kind = if policy.aws_managed {
        "AWS managed"
    } else {
        "Customer managed"
    };
    let description = policy.description.clone().unwrap_or_default();
    let cells = view! {
        <td class=CELL>
            <span class="font-medium">{name.clone()}</span>
            <span class="block font-mono text-xs text-slate-500">{arn.clone()}</span>
        </td>
        <td class=CELL>{kind}</td>
        <td class="px-4 py-2 align-top text-xs text-slate-600">{description}</td>
    };
    match mode {
        PickMode::Many(selected) => {
            let checked_arn = arn.clone();
            view! {
                <tr>
                    <td class=CELL>
                        <input
                            type="checkbox"
                            aria-label=name
                            prop:checked=move || selected.with(|chosen| chosen.contains(&checked_arn))
                            on:change=move |ev| toggle(selected, arn.clone(), event_target_checked(&ev))
                        />
                    </td>
                    {cells}
                </tr>
            }
            .into_any()
        }
        PickMode::One(selected) => {
            let checked_arn = arn.clone();
            view! {
                <tr>
                    <td class=CELL>
                        <input
                            type="radio"
                            name="boundary-choice"
                            aria-label=name
                            prop:checked=move || selected.with(|chosen| chosen.as_deref() == Some(checked_arn.as_str()))
                            on:change=move |_| selected.set(Some(arn.clone()))
                        />
                    </td>
                    {cells}
                </tr>
            }
            .into_any()
        }
        PickMode::Attach { on_attach, pending } => view! {
            <tr>
                {cells}
                <td class=CELL>
                    <button
                        type="button"
                        class=BUTTON_SECONDARY
                        aria-label=format!("Attach {name}")
                        disabled=move || pending.get()
                        on:click=move |_| on_attach.run(arn.clone())
                    >
                        "Attach"
                    </button>
                </td>
            </tr>
        }
        .into_any(),
    }
}
