//! The permissions of a user, group or role: every policy that reaches it and where from, with
//! attach, detach and the inline policy editor.

use leptos::prelude::*;

use super::api::{AttachPolicy, DeleteInlinePolicy, DetachPolicy, ManagedPolicyDocument};
use super::denials::Denials;
use super::inline_editor::InlinePolicyEditor;
use super::policy_chooser::{PickMode, PolicyChooser};
use super::policy_rows::{Origin, PolicyRow};
use crate::api_error::ApiError;
use crate::catalog::{ATTACH_POLICY, DELETE_POLICY, DETACH_POLICY, PUT_POLICY};
use crate::domain::EntityKind;
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{FormAlert, GatedButton, PolicyJson, BUTTON_SECONDARY, LINK};

/// The message of a failed call, if the last one failed.
pub fn failure<T>(result: Option<Result<T, ApiError>>) -> Option<String> {
    result.and_then(Result::err).map(|error| error.message)
}

#[component]
pub fn PermissionsTab(
    kind: EntityKind,
    entity_name: String,
    rows: Vec<PolicyRow>,
    denials: Denials,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let attach = ServerAction::<AttachPolicy>::new();
    let detach = ServerAction::<DetachPolicy>::new();
    let delete = ServerAction::<DeleteInlinePolicy>::new();
    Effect::new(move |_| {
        let done = [
            attach.value().get().map(|r| r.is_ok()),
            detach.value().get().map(|r| r.is_ok()),
            delete.value().get().map(|r| r.is_ok()),
        ];
        if done.contains(&Some(true)) {
            refresh.update(|n| *n += 1);
        }
    });
    let adding = RwSignal::new(false);
    // None: closed; Some(None): a new policy; Some(Some((name, document))): editing one.
    let editor = RwSignal::new(None::<Option<(String, String)>>);

    let attach_denied = denials.reason(kind.pick(ATTACH_POLICY));
    let put_denied = denials.reason(kind.pick(PUT_POLICY));
    let row_gates = RowGates {
        detach: denials.reason(kind.pick(DETACH_POLICY)),
        put: put_denied.clone(),
        delete: denials.reason(kind.pick(DELETE_POLICY)),
    };
    let attached: Vec<String> = rows
        .iter()
        .filter(|row| row.origin == Origin::Direct)
        .filter_map(|row| row.arn.clone())
        .collect();
    let count = rows.len();
    let on_attach = {
        let name = entity_name.clone();
        Callback::new(move |policy_arn: String| {
            attach.dispatch(AttachPolicy {
                kind,
                name: name.clone(),
                policy_arn,
            });
        })
    };
    let on_detach = {
        let name = entity_name.clone();
        Callback::new(move |policy_arn: String| {
            detach.dispatch(DetachPolicy {
                kind,
                name: name.clone(),
                policy_arn,
            });
        })
    };
    let on_delete = {
        let name = entity_name.clone();
        Callback::new(move |policy_name: String| {
            delete.dispatch(DeleteInlinePolicy {
                kind,
                name: name.clone(),
                policy_name,
            });
        })
    };
    let on_edit = Callback::new(move |existing: (String, String)| editor.set(Some(Some(existing))));
    let editor_name = entity_name.clone();
    view! {
        <section class="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <div class="flex items-center justify-between">
                <div>
                    <h2 class="text-base font-semibold text-slate-800">{format!("Permissions policies ({count})")}</h2>
                    <p class="text-sm text-slate-600">
                        {match kind {
                            EntityKind::User => "Policies attached to the user, embedded in it, or reaching it through its groups.",
                            _ => "Managed policies attached directly and inline policies embedded here.",
                        }}
                    </p>
                </div>
                <div class="flex gap-2">
                    <GatedButton
                        label="Attach policies"
                        denied=Signal::derive(move || attach_denied.clone())
                        on_click=move |_| adding.update(|open| *open = !*open)
                        test_id="attach-policies"
                    />
                    <GatedButton
                        label="Create inline policy"
                        denied=Signal::derive(move || put_denied.clone())
                        on_click=move |_| editor.set(Some(None))
                        test_id="create-inline-policy"
                    />
                </div>
            </div>
            <FormAlert message=Signal::derive(move || failure(detach.value().get()).or_else(|| failure(delete.value().get()))) />
            <Show when=move || adding.get()>
                <div class="space-y-3 rounded-lg border border-orange-200 bg-orange-50/40 p-4">
                    <div class="flex items-center justify-between">
                        <h3 class="text-sm font-semibold text-slate-800">"Attach managed policies"</h3>
                        <button type="button" class=BUTTON_SECONDARY on:click=move |_| adding.set(false)>"Done"</button>
                    </div>
                    <FormAlert message=Signal::derive(move || failure(attach.value().get())) />
                    <PolicyChooser
                        mode=PickMode::Attach { on_attach, pending: attach.pending().into() }
                        exclude=attached.clone()
                    />
                </div>
            </Show>
            {move || editor.get().map(|existing| view! {
                <InlinePolicyEditor
                    kind
                    entity_name=editor_name.clone()
                    existing
                    on_saved=move |_| refresh.update(|n| *n += 1)
                    on_cancel=move |_| editor.set(None)
                />
            })}
            <div data-testid="permissions-table">
                <Table headings=vec!["Policy name", "Type", "Attached via", ""]>
                    {if rows.is_empty() {
                        view! { <EmptyRow columns=4 message=format!("No policies reach this {} yet.", kind.lower()) /> }.into_any()
                    } else {
                        rows.into_iter()
                            .map(|row| view! {
                                <PolicyTableRow row gates=row_gates.clone() on_detach on_delete on_edit pending=Signal::derive(move || detach.pending().get() || delete.pending().get()) />
                            })
                            .collect_view()
                            .into_any()
                    }}
                </Table>
            </div>
        </section>
    }
}

#[derive(Clone)]
struct RowGates {
    detach: Option<String>,
    put: Option<String>,
    delete: Option<String>,
}

#[component]
fn PolicyTableRow(
    row: PolicyRow,
    gates: RowGates,
    on_detach: Callback<String>,
    on_delete: Callback<String>,
    on_edit: Callback<(String, String)>,
    pending: Signal<bool>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let fetch = ServerAction::<ManagedPolicyDocument>::new();
    let known_document = row.document.clone();
    let toggle = {
        let arn = row.arn.clone();
        let known = known_document.is_some();
        move |_| {
            open.update(|o| *o = !*o);
            if let (false, Some(policy_arn)) = (known, arn.clone()) {
                if open.get_untracked() && fetch.value().get_untracked().is_none() {
                    fetch.dispatch(ManagedPolicyDocument { policy_arn });
                }
            }
        }
    };
    let inline = row.arn.is_none();
    let document_view = move || {
        match known_document.clone() {
        Some(document) => view! { <PolicyJson document /> }.into_any(),
        // The server leaves an inline policy's document out when the caller may not read it.
        None if inline => view! {
            <p class="text-sm text-slate-600">
                "The document is not shown: your permissions do not allow reading this inline policy."
            </p>
        }
        .into_any(),
        None => match fetch.value().get() {
            Some(Ok(document)) => view! { <PolicyJson document /> }.into_any(),
            Some(Err(error)) => {
                view! { <p class="text-sm text-red-700">{error.message}</p> }.into_any()
            }
            None => view! { <p class="text-sm text-slate-500">"Loading…"</p> }.into_any(),
        },
    }
    };
    let type_label = row.type_label();
    let origin_label = row.origin_label();
    let controls = match (&row.origin, &row.arn) {
        (Origin::Direct, Some(arn)) => {
            let arn = arn.clone();
            let denied = gates.detach.clone();
            view! {
                <ConfirmButton
                    label="Detach"
                    confirm_label="Detach"
                    denied=Signal::derive(move || denied.clone())
                    pending
                    on_confirm=move |_| on_detach.run(arn.clone())
                />
            }
            .into_any()
        }
        (Origin::Direct, None) => {
            let name = row.name.clone();
            let document = row.document.clone().unwrap_or_default();
            let put_denied = gates.put.clone();
            let delete_denied = gates.delete.clone();
            let edit_name = name.clone();
            view! {
                <span class="inline-flex gap-2">
                    <button
                        type="button"
                        class=BUTTON_SECONDARY
                        disabled=put_denied.is_some()
                        title=put_denied.clone()
                        on:click=move |_| on_edit.run((edit_name.clone(), document.clone()))
                    >
                        "Edit"
                    </button>
                    <ConfirmButton
                        label="Delete"
                        confirm_label="Delete"
                        denied=Signal::derive(move || delete_denied.clone())
                        pending
                        on_confirm=move |_| on_delete.run(name.clone())
                    />
                </span>
            }
            .into_any()
        }
        (Origin::Group(group), _) => view! {
            <a href=format!("/groups/{group}") class=LINK>"View group"</a>
        }
        .into_any(),
    };
    view! {
        <tr data-testid="policy-row">
            <td class=CELL>
                <button type="button" class="text-left font-medium text-slate-900 hover:underline" aria-expanded=move || open.get().to_string() on:click=toggle>
                    <span aria-hidden="true" class="mr-1 inline-block w-3 text-slate-400">{move || if open.get() { "▾" } else { "▸" }}</span>
                    {row.name.clone()}
                </button>
                {row.arn.clone().map(|arn| view! { <span class="block pl-4 font-mono text-xs text-slate-500">{arn}</span> })}
            </td>
            <td class=CELL>{type_label}</td>
            <td class=CELL>{origin_label}</td>
            <td class="px-4 py-2 text-right align-top">{controls}</td>
        </tr>
        <Show when=move || open.get()>
            <tr>
                <td colspan="4" class="bg-slate-50 px-4 py-3">{document_view.clone()}</td>
            </tr>
        </Show>
    }
}
