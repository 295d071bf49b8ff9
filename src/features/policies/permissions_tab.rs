//! The Permissions tab: the default version read as service → actions → resources, with its
//! conditions, and the document itself.

use leptos::prelude::*;

use super::summary::{
    summarize, ConditionSummary, PolicySummary, Scope, StatementSummary, ALL_SERVICES,
};
use crate::features::ui::PolicyJson;

#[component]
pub fn PermissionsTab(document: String) -> impl IntoView {
    view! {
        <div class="space-y-6">
            {match summarize(&document) {
                Some(summary) => view! { <SummaryTable summary /> }.into_any(),
                None => view! { <p class="text-sm text-slate-600">"This document cannot be summarized; see the JSON below."</p> }.into_any(),
            }}
            <section>
                <h3 class="mb-2 text-sm font-semibold text-slate-700">"JSON (default version)"</h3>
                <PolicyJson document />
            </section>
        </div>
    }
}

#[component]
fn SummaryTable(summary: PolicySummary) -> impl IntoView {
    view! {
        <table data-testid="policy-summary" class="w-full rounded-lg border border-slate-200 bg-white text-left text-sm shadow-sm">
            <thead class="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                    <th class="px-4 py-2 font-semibold">"Service"</th>
                    <th class="px-4 py-2 font-semibold">"Effect"</th>
                    <th class="px-4 py-2 font-semibold">"Actions"</th>
                    <th class="px-4 py-2 font-semibold">"Resources"</th>
                    <th class="px-4 py-2 font-semibold">"Conditions"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100 align-top">
                {summary
                    .services
                    .into_iter()
                    .flat_map(|service| {
                        let name = if service.service == ALL_SERVICES {
                            "All services".to_string()
                        } else {
                            service.service
                        };
                        service.statements.into_iter().map(move |statement| {
                            view! { <StatementRow service=name.clone() statement /> }
                        })
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn StatementRow(service: String, statement: StatementSummary) -> impl IntoView {
    let effect_class = if statement.effect == "Deny" {
        "font-semibold text-red-700"
    } else {
        "font-semibold text-green-800"
    };
    view! {
        <tr data-testid="summary-row">
            <td class="px-4 py-2 font-medium">
                {service}
                {statement.sid.map(|sid| view! { <span class="block text-xs font-normal text-slate-500">{format!("Sid {sid}")}</span> })}
            </td>
            <td class=format!("px-4 py-2 {effect_class}")>{statement.effect}</td>
            <td class="px-4 py-2"><ScopeCell scope=statement.actions all="All actions" /></td>
            <td class="px-4 py-2">
                <ScopeCell scope=statement.resources all="All resources" />
                {(!statement.principals.is_empty()).then(|| view! {
                    <p class="mt-1 text-xs text-slate-500">"Principals:"</p>
                    <ItemList items=statement.principals />
                })}
            </td>
            <td class="px-4 py-2"><Conditions conditions=statement.conditions /></td>
        </tr>
    }
}

#[component]
fn ScopeCell(scope: Scope, all: &'static str) -> impl IntoView {
    match scope {
        Scope::All => view! { <span class="font-medium">{all}</span> }.into_any(),
        Scope::Listed(items) => view! { <ItemList items /> }.into_any(),
        Scope::AllExcept(items) => view! {
            <span class="font-medium">{format!("{all} except")}</span>
            <ItemList items />
        }
        .into_any(),
        Scope::NoneApply => view! {
            <span class="text-amber-800">"None of the listed resources belongs to this service, so this statement grants nothing here."</span>
        }
        .into_any(),
        Scope::AttachedResource => view! { <span>"The resource this policy is attached to"</span> }.into_any(),
    }
}

#[component]
fn ItemList(items: Vec<String>) -> impl IntoView {
    view! {
        <ul class="space-y-0.5 font-mono text-xs">
            {items.into_iter().map(|item| view! { <li class="break-all">{item}</li> }).collect_view()}
        </ul>
    }
}

#[component]
fn Conditions(conditions: Vec<ConditionSummary>) -> impl IntoView {
    if conditions.is_empty() {
        return view! { <span class="text-slate-400">"None"</span> }.into_any();
    }
    view! {
        <ul class="space-y-1 text-xs">
            {conditions
                .into_iter()
                .map(|c| view! {
                    <li>
                        <span class="font-semibold">{c.operator}</span>
                        " "
                        <span class="font-mono">{c.key}</span>
                        ": "
                        <span class="font-mono break-all">{c.values.join(", ")}</span>
                    </li>
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
