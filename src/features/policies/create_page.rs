//! `/policies/new`: a customer managed policy from a name, an optional path and description and
//! its JSON document; on success the server sends the browser to the new policy's page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::CreatePolicy;
use super::editor::PolicyEditor;
use super::form_errors::{document_message, other_message};
use crate::api_error::field_message;
use crate::catalog::Op;
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{FormAlert, PageHeader, Panel, TextField};
use crate::policy::PolicyKind;

/// A minimal document IAM accepts, for the person to change.
fn template() -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Action": "{}",
      "Resource": "*"
    }}
  ]
}}"#,
        Op::ListUsers.action()
    )
}

/// The fields the service names in its errors (AWS's parameter names).
const FIELDS: [&str; 4] = ["PolicyName", "Path", "Description", "PolicyDocument"];

#[component]
pub fn CreatePolicyPage() -> impl IntoView {
    let action = ServerAction::<CreatePolicy>::new();
    let result = action.value();
    let document = RwSignal::new(template());
    let valid = RwSignal::new(true);
    let error_for =
        move |field: &'static str| Signal::derive(move || field_message(&result.get(), field));
    view! {
        <Title text="Create policy" />
        <nav class="mb-2 text-sm"><a href="/policies" class="text-orange-700 hover:underline">"Policies"</a></nav>
        <PageHeader title="Create policy" subtitle="A customer managed policy: you can attach it to users, groups and roles of this account." />
        <ServerForm action=action>
            <div class="grid max-w-4xl gap-6">
                <Panel title="Policy details">
                    <div class="grid gap-4">
                        <TextField
                            label="Policy name"
                            name="policy_name"
                            hint="Up to 128 letters, digits and +=,.@_- characters. Unique in the account, ignoring case."
                            max_length=128
                            required=true
                            autofocus=true
                            error=error_for("PolicyName")
                        />
                        <TextField
                            label="Path (optional)"
                            name="path"
                            hint="Groups policies, like a folder: / or /segment/…/ (defaults to /)."
                            error=error_for("Path")
                        />
                        <TextField
                            label="Description (optional)"
                            name="description"
                            hint="Up to 1,000 characters. It cannot be changed later."
                            max_length=1000
                            error=error_for("Description")
                        />
                    </div>
                </Panel>
                <Panel title="Permissions">
                    <PolicyEditor value=document kind=PolicyKind::Managed name="document" label="Policy document (JSON)" valid />
                    <div class="mt-2">
                        <FormAlert message=Signal::derive(move || document_message(&result.get())) />
                    </div>
                </Panel>
                <FormAlert message=Signal::derive(move || other_message(&result.get(), &FIELDS)) />
                <div class="flex justify-end gap-3">
                    <a href="/policies" class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">"Cancel"</a>
                    <button
                        type="submit"
                        disabled=move || !valid.get() || action.pending().get()
                        title=move || (!valid.get()).then_some("Fix the errors in the policy document first.")
                        class="rounded-md bg-orange-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-orange-700 disabled:cursor-not-allowed disabled:opacity-50"
                    >
                        "Create policy"
                    </button>
                </div>
            </div>
        </ServerForm>
    }
}
