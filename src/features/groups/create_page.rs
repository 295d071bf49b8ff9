//! `/groups/create`: a new group and the managed policies attached to it, saved together.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{CreateGroup, NewGroup};
use crate::api_error::{field_message, form_message, ApiError};
use crate::features::entities::policy_chooser::{PickMode, PolicyChooser};
use crate::features::ui::{
    FormAlert, PageHeader, Panel, TextField, BUTTON_PRIMARY, BUTTON_SECONDARY,
};

const FIELDS: [&str; 3] = ["GroupName", "Path", "PolicyArn"];

fn policies_message(result: &Option<Result<(), ApiError>>) -> Option<String> {
    match result {
        Some(Err(error)) if error.code == "LimitExceeded" => Some(error.message.clone()),
        _ => field_message(result, "PolicyArn"),
    }
}

#[component]
pub fn CreateGroupPage() -> impl IntoView {
    let action = ServerAction::<CreateGroup>::new();
    let result = action.value();
    let group_name = RwSignal::new(String::new());
    let path = RwSignal::new(String::new());
    let policies = RwSignal::new(Vec::<String>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(CreateGroup {
            group: NewGroup {
                group_name: group_name.get_untracked(),
                path: path.get_untracked(),
                policy_arns: policies.get_untracked(),
            },
        });
    };
    view! {
        <Title text="Create user group" />
        <nav class="mb-2 text-sm text-slate-500"><a href="/groups" class="hover:underline">"User groups"</a>" / Create group"</nav>
        <PageHeader title="Create user group" subtitle="Add users to it from its page once it exists." />
        <form class="max-w-4xl space-y-6" novalidate on:submit=submit>
            <Panel title="Group details">
                <div class="grid gap-4 md:grid-cols-2">
                    <TextField
                        label="Group name"
                        name="GroupName"
                        hint="Up to 128 letters, digits and +=,.@_-. Unique in the account, ignoring case."
                        max_length=128
                        required=true
                        autofocus=true
                        error=Signal::derive(move || field_message(&result.get(), "GroupName"))
                        on_input=move |text: String| group_name.set(text)
                    />
                    <TextField
                        label="Path (optional)"
                        name="Path"
                        hint="e.g. /engineering/. Defaults to /."
                        error=Signal::derive(move || field_message(&result.get(), "Path"))
                        on_input=move |text: String| path.set(text)
                    />
                </div>
            </Panel>
            <Panel title="Permissions policies (optional)">
                <p class="mb-3 text-sm text-slate-600">"Every member gets these permissions."</p>
                <PolicyChooser mode=PickMode::Many(policies) />
                <p class="mt-2 text-sm text-red-700" role="alert" id="field-PolicyArn-error">
                    {move || policies_message(&result.get())}
                </p>
            </Panel>
            <FormAlert message=Signal::derive(move || {
                let result = result.get();
                if matches!(&result, Some(Err(error)) if error.code == "LimitExceeded") {
                    None
                } else {
                    form_message(&result, &FIELDS)
                }
            }) />
            <div class="flex gap-3">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || action.pending().get()>"Create group"</button>
                <a href="/groups" class=BUTTON_SECONDARY>"Cancel"</a>
            </div>
        </form>
    }
}
