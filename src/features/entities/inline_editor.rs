//! Creating or editing one inline policy: its name and its JSON, validated as it is typed.

use leptos::prelude::*;

use super::api::PutInlinePolicy;
use crate::api_error::{field_message, form_message};
use crate::domain::EntityKind;
use crate::features::ui::json_format::pretty_json;
use crate::features::ui::policy_textarea::{is_valid_policy, PolicyTextarea};
use crate::features::ui::{FormAlert, TextField, BUTTON_PRIMARY, BUTTON_SECONDARY};

/// What a new inline policy starts from: the shape, with the actions left to fill in.
pub const NEW_POLICY_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [],
      "Resource": "*"
    }
  ]
}"#;

#[component]
pub fn InlinePolicyEditor(
    kind: EntityKind,
    entity_name: String,
    /// The policy being edited (name and document); `None` for a new one.
    existing: Option<(String, String)>,
    #[prop(into)] on_saved: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let action = ServerAction::<PutInlinePolicy>::new();
    let result = action.value();
    let editing = existing.as_ref().map(|(name, _)| name.clone());
    let policy_name = RwSignal::new(editing.clone().unwrap_or_default());
    let document = RwSignal::new(
        existing
            .map(|(_, document)| pretty_json(&document))
            .unwrap_or_else(|| NEW_POLICY_TEMPLATE.to_string()),
    );
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(()))) {
            on_saved.run(());
        }
    });
    let can_save = move || {
        !policy_name.get().trim().is_empty()
            && is_valid_policy(&document.get(), kind.inline_kind())
            && !action.pending().get()
    };
    let save = move |_| {
        action.dispatch(PutInlinePolicy {
            kind,
            name: entity_name.clone(),
            policy_name: policy_name.get_untracked(),
            document: document.get_untracked(),
        });
    };
    let title = match &editing {
        Some(name) => format!("Edit inline policy {name}"),
        None => "Create inline policy".to_string(),
    };
    let label = title.clone();
    view! {
        <section class="space-y-4 rounded-lg border border-orange-200 bg-orange-50/40 p-4" aria-label=label>
            <h3 class="text-sm font-semibold text-slate-800">{title}</h3>
            {match editing {
                Some(_) => None,
                None => Some(view! {
                    <div class="max-w-md">
                        <TextField
                            label="Policy name"
                            name="PolicyName"
                            hint="Up to 128 letters, digits and +=,.@_-"
                            max_length=128
                            error=Signal::derive(move || field_message(&result.get(), "PolicyName"))
                            on_input=move |text: String| policy_name.set(text)
                        />
                    </div>
                }),
            }}
            <PolicyTextarea
                value=document
                kind=kind.inline_kind()
                name="PolicyDocument"
                server_error=Signal::derive(move || field_message(&result.get(), "PolicyDocument"))
            />
            <FormAlert message=Signal::derive(move || form_message(&result.get(), &["PolicyName", "PolicyDocument"])) />
            <div class="flex gap-3">
                <button type="button" class=BUTTON_PRIMARY disabled=move || !can_save() on:click=save>
                    "Save policy"
                </button>
                <button type="button" class=BUTTON_SECONDARY on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </section>
    }
}
