//! The facts at the top of a user's, group's or role's page: ARN (with a copy button), path,
//! creation date, unique ID and permissions boundary.

use leptos::prelude::*;

use super::words::words;
use crate::domain::EntityKind;
use crate::features::ui::{format_millis, CopyButton};

pub struct Facts {
    pub arn: String,
    pub path: String,
    pub create_date: i64,
    pub id: String,
    /// `None` for a group, which cannot have a boundary.
    pub boundary: Option<Option<String>>,
}

/// The `<dl>` rows; `after_arn` (a role's description and session length) goes under the ARN.
pub fn fact_rows(kind: EntityKind, facts: Facts, after_arn: Option<AnyView>) -> impl IntoView {
    let arn = facts.arn;
    view! {
        <dt class="text-slate-500">"ARN"</dt>
        <dd class="flex items-center gap-3">
            <code class="font-mono text-xs" data-testid="entity-arn">{arn.clone()}</code>
            <CopyButton text=arn label="Copy ARN" />
        </dd>
        {after_arn}
        <dt class="text-slate-500">"Path"</dt>
        <dd class="font-mono text-xs">{facts.path}</dd>
        <dt class="text-slate-500">"Created"</dt>
        <dd>{format_millis(facts.create_date)}</dd>
        <dt class="text-slate-500">{words(kind).id_label}</dt>
        <dd class="font-mono text-xs">{facts.id}</dd>
        {facts.boundary.map(|boundary| view! {
            <dt class="text-slate-500">"Permissions boundary"</dt>
            <dd class="font-mono text-xs">{boundary.unwrap_or_else(|| "Not set".to_string())}</dd>
        })}
    }
}

/// The summary panel of a user or group (a role's, editable, is `roles::summary_panel`).
#[component]
pub fn EntitySummary(kind: EntityKind, facts: Facts) -> impl IntoView {
    view! {
        <section class="mb-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="mb-3 text-base font-semibold text-slate-800">"Summary"</h2>
            <dl class="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
                {fact_rows(kind, facts, None)}
            </dl>
        </section>
    }
}
