//! A user's or role's permissions boundary: the managed policy that caps what its other
//! policies can grant. Set, change or remove it.

use leptos::prelude::*;

use super::api::{DeletePermissionsBoundary, PutPermissionsBoundary};
use super::denials::Denials;
use super::policy_chooser::{PickMode, PolicyChooser};
use crate::catalog::{DELETE_BOUNDARY, PUT_BOUNDARY};
use crate::domain::EntityKind;
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::{FormAlert, GatedButton, Panel, BUTTON_PRIMARY, BUTTON_SECONDARY};

#[component]
pub fn BoundaryPanel(
    kind: EntityKind,
    entity_name: String,
    boundary: Option<String>,
    denials: Denials,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let put = ServerAction::<PutPermissionsBoundary>::new();
    let delete = ServerAction::<DeletePermissionsBoundary>::new();
    let choosing = RwSignal::new(false);
    let chosen = RwSignal::new(boundary.clone());
    Effect::new(move |_| {
        if matches!(put.value().get(), Some(Ok(()))) || matches!(delete.value().get(), Some(Ok(())))
        {
            refresh.update(|n| *n += 1);
        }
    });
    let error = Signal::derive(move || {
        [put.value().get(), delete.value().get()]
            .into_iter()
            .find_map(|result| result.and_then(Result::err))
            .map(|error| error.message)
    });
    let put_denied = denials.reason(kind.pick(PUT_BOUNDARY));
    let delete_denied = denials.reason(kind.pick(DELETE_BOUNDARY));
    let set_label = if boundary.is_some() {
        "Change boundary"
    } else {
        "Set boundary"
    };
    let name_for_put = entity_name.clone();
    let name_for_delete = entity_name.clone();
    let has_boundary = boundary.is_some();
    view! {
        <Panel title="Permissions boundary">
            <div class="space-y-3" data-testid="boundary-panel">
                {match boundary.clone() {
                    Some(arn) => view! {
                        <p class="text-sm text-slate-700">
                            "The most this " {kind.lower()} " can be allowed is set by "
                            <span class="font-mono text-xs">{arn}</span>
                            ". Its policies grant nothing beyond it."
                        </p>
                    }
                    .into_any(),
                    None => view! {
                        <p class="text-sm text-slate-600">"No permissions boundary is set: its policies alone decide what it may do."</p>
                    }
                    .into_any(),
                }}
                <div class="flex gap-3">
                    <GatedButton
                        label=set_label
                        secondary=true
                        denied=Signal::derive(move || put_denied.clone())
                        on_click=move |_| choosing.update(|open| *open = !*open)
                    />
                    {has_boundary.then(|| view! {
                        <ConfirmButton
                            label="Remove boundary"
                            confirm_label="Remove"
                            denied=Signal::derive(move || delete_denied.clone())
                            pending=delete.pending()
                            on_confirm=move |_| {
                                delete.dispatch(DeletePermissionsBoundary { kind, name: name_for_delete.clone() });
                            }
                        />
                    })}
                </div>
                <FormAlert message=error />
                <Show when=move || choosing.get()>
                    <div class="space-y-3 rounded-lg border border-orange-200 bg-orange-50/40 p-4">
                        <PolicyChooser mode=PickMode::One(chosen) />
                        <div class="flex gap-3">
                            <button
                                type="button"
                                class=BUTTON_PRIMARY
                                disabled=move || chosen.get().is_none() || put.pending().get()
                                on:click={
                                    let name = name_for_put.clone();
                                    move |_| {
                                        if let Some(policy_arn) = chosen.get_untracked() {
                                            put.dispatch(PutPermissionsBoundary { kind, name: name.clone(), policy_arn });
                                        }
                                    }
                                }
                            >
                                "Set boundary"
                            </button>
                            <button type="button" class=BUTTON_SECONDARY on:click=move |_| choosing.set(false)>
                                "Cancel"
                            </button>
                        </div>
                    </div>
                </Show>
            </div>
        </Panel>
    }
}
