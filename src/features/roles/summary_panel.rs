//! A role's summary: ARN, description and maximum session duration (editable), and the rest.

use leptos::prelude::*;

use super::api::UpdateRole;
use super::session_duration::{hours_label, SessionDurationSelect};
use crate::api_error::{field_message, form_message};
use crate::domain::iam_models::Role;
use crate::domain::EntityKind;
use crate::features::entities::summary::{fact_rows, Facts};
use crate::features::ui::{FormAlert, GatedButton, BUTTON_PRIMARY, BUTTON_SECONDARY};

#[component]
pub fn RoleSummary(
    role: Role,
    update_denied: Option<String>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let update = ServerAction::<UpdateRole>::new();
    let result = update.value();
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(()))) {
            refresh.update(|n| *n += 1);
        }
    });
    let editing = RwSignal::new(false);
    let description = RwSignal::new(role.description.clone().unwrap_or_default());
    let max_session = RwSignal::new(role.max_session_duration);
    let role_name = role.role_name.clone();
    let after_arn = view! {
        <dt class="text-slate-500">"Description"</dt>
        <dd data-testid="role-description">{role.description.clone().unwrap_or_else(|| "None".to_string())}</dd>
        <dt class="text-slate-500">"Maximum session duration"</dt>
        <dd data-testid="role-max-session">{hours_label(role.max_session_duration)}</dd>
    }
    .into_any();
    let facts = Facts {
        arn: role.arn,
        path: role.path,
        create_date: role.create_date,
        id: role.role_id,
        boundary: Some(role.permissions_boundary_arn),
    };
    let save = move |_| {
        update.dispatch(UpdateRole {
            role_name: role_name.clone(),
            description: description.get_untracked(),
            max_session_duration: max_session.get_untracked(),
        });
    };
    view! {
        <section class="mb-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <div class="mb-3 flex items-center justify-between">
                <h2 class="text-base font-semibold text-slate-800">"Summary"</h2>
                <GatedButton
                    label="Edit"
                    secondary=true
                    denied=Signal::derive(move || update_denied.clone())
                    on_click=move |_| editing.update(|open| *open = !*open)
                    test_id="edit-role"
                />
            </div>
            <dl class="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
                {fact_rows(EntityKind::Role, facts, Some(after_arn))}
            </dl>
            <Show when=move || editing.get()>
                <div class="mt-4 max-w-2xl space-y-4 rounded-lg border border-orange-200 bg-orange-50/40 p-4">
                    <div class="space-y-1">
                        <label for="field-Description" class="block text-sm font-medium text-slate-700">"Description"</label>
                        <textarea
                            id="field-Description"
                            rows="2"
                            maxlength="1000"
                            class="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
                            prop:value=move || description.get()
                            on:input=move |ev| description.set(event_target_value(&ev))
                        >
                            {description.get_untracked()}
                        </textarea>
                        <p class="text-sm text-red-700" role="alert" id="field-Description-error">{move || field_message(&result.get(), "Description")}</p>
                    </div>
                    <SessionDurationSelect value=max_session error=Signal::derive(move || field_message(&result.get(), "MaxSessionDuration")) />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), &["Description", "MaxSessionDuration"])) />
                    <div class="flex gap-3">
                        <button type="button" class=BUTTON_PRIMARY disabled=move || update.pending().get() on:click=save.clone()>"Save changes"</button>
                        <button type="button" class=BUTTON_SECONDARY on:click=move |_| editing.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </section>
    }
}
