//! A role's trust relationships: the trust policy saying who may assume it, and its editor.

use leptos::prelude::*;

use super::api::UpdateTrustPolicy;
use crate::api_error::{field_message, form_message};
use crate::features::ui::json_format::pretty_json;
use crate::features::ui::policy_textarea::{is_valid_policy, PolicyTextarea};
use crate::features::ui::{FormAlert, GatedButton, PolicyJson, BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::policy::PolicyKind;

const FIELD: &str = "AssumeRolePolicyDocument";

#[component]
pub fn TrustTab(
    role_name: String,
    document: String,
    update_denied: Option<String>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let update = ServerAction::<UpdateTrustPolicy>::new();
    let result = update.value();
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(()))) {
            refresh.update(|n| *n += 1);
        }
    });
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(pretty_json(&document));
    let can_save =
        move || is_valid_policy(&draft.get(), PolicyKind::Trust) && !update.pending().get();
    let save = move |_| {
        update.dispatch(UpdateTrustPolicy {
            role_name: role_name.clone(),
            document: draft.get_untracked(),
        });
    };
    view! {
        <section class="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <div class="flex items-center justify-between">
                <div>
                    <h2 class="text-base font-semibold text-slate-800">"Trusted entities"</h2>
                    <p class="text-sm text-slate-600">"Who may assume this role, and on what conditions."</p>
                </div>
                <GatedButton
                    label="Edit trust policy"
                    denied=Signal::derive(move || update_denied.clone())
                    on_click=move |_| editing.set(true)
                    test_id="edit-trust-policy"
                />
            </div>
            <Show
                when=move || editing.get()
                fallback={
                    let document = document.clone();
                    move || view! { <div data-testid="trust-policy"><PolicyJson document=document.clone() /></div> }
                }
            >
                <PolicyTextarea
                    value=draft
                    kind=PolicyKind::Trust
                    name=FIELD
                    label="Trust policy"
                    server_error=Signal::derive(move || field_message(&result.get(), FIELD))
                />
                <FormAlert message=Signal::derive(move || form_message(&result.get(), &[FIELD])) />
                <div class="flex gap-3">
                    <button type="button" class=BUTTON_PRIMARY disabled=move || !can_save() on:click=save.clone()>"Update policy"</button>
                    <button type="button" class=BUTTON_SECONDARY on:click=move |_| editing.set(false)>"Cancel"</button>
                </div>
            </Show>
        </section>
    }
}
