//! `/users/create`: a new user with its groups, managed policies, permissions boundary and
//! tags, saved in one step — a refused part saves nothing, and its message shows beside it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{CreateUser, NewUser};
use super::group_picker::{GroupPick, GroupPicker};
use crate::api_error::{field_message, form_message, ApiError};
use crate::features::entities::policy_chooser::{PickMode, PolicyChooser};
use crate::features::ui::tag_editor::{tags_of, TagEditor};
use crate::features::ui::{
    FormAlert, PageHeader, Panel, TextField, BUTTON_PRIMARY, BUTTON_SECONDARY,
};

const FIELDS: [&str; 6] = [
    "UserName",
    "Path",
    "Tags",
    "Groups",
    "PolicyArn",
    "PermissionsBoundary",
];

/// A quota message belongs beside the list whose quota it is.
fn quota_message(result: &Option<Result<(), ApiError>>, quota: &str) -> Option<String> {
    match result {
        Some(Err(error)) if error.code == "LimitExceeded" && error.message.contains(quota) => {
            Some(error.message.clone())
        }
        _ => None,
    }
}

fn general_message(result: &Option<Result<(), ApiError>>) -> Option<String> {
    if quota_message(result, "PoliciesPer").is_some()
        || quota_message(result, "GroupsPer").is_some()
    {
        return None;
    }
    form_message(result, &FIELDS)
}

#[component]
pub fn CreateUserPage() -> impl IntoView {
    let action = ServerAction::<CreateUser>::new();
    let result = action.value();
    let user_name = RwSignal::new(String::new());
    let path = RwSignal::new(String::new());
    let groups = RwSignal::new(Vec::<String>::new());
    let policies = RwSignal::new(Vec::<String>::new());
    let use_boundary = RwSignal::new(false);
    let boundary = RwSignal::new(None::<String>);
    let tags = RwSignal::new(Vec::new());
    let error_for =
        move |field: &'static str| Signal::derive(move || field_message(&result.get(), field));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(CreateUser {
            user: NewUser {
                user_name: user_name.get_untracked(),
                path: path.get_untracked(),
                tags: tags.with_untracked(|rows| tags_of(rows)),
                groups: groups.get_untracked(),
                policy_arns: policies.get_untracked(),
                permissions_boundary: boundary
                    .get_untracked()
                    .filter(|_| use_boundary.get_untracked()),
            },
        });
    };
    view! {
        <Title text="Create user" />
        <nav class="mb-2 text-sm text-slate-500"><a href="/users" class="hover:underline">"Users"</a>" / Create user"</nav>
        <PageHeader title="Create user" subtitle="Everything below is saved together: if any part is refused, nothing is created." />
        <form class="max-w-4xl space-y-6" novalidate on:submit=submit>
            <Panel title="User details">
                <div class="grid gap-4 md:grid-cols-2">
                    <TextField
                        label="User name"
                        name="UserName"
                        hint="Up to 64 letters, digits and +=,.@_-. Unique in the account, ignoring case."
                        max_length=64
                        required=true
                        autofocus=true
                        error=error_for("UserName")
                        on_input=move |text: String| user_name.set(text)
                    />
                    <TextField
                        label="Path (optional)"
                        name="Path"
                        hint="Groups users by team or purpose, e.g. /engineering/. Defaults to /."
                        error=error_for("Path")
                        on_input=move |text: String| path.set(text)
                    />
                </div>
            </Panel>
            <Panel title="Groups (optional)">
                <p class="mb-3 text-sm text-slate-600">"The user gets every permission of its groups. A user can be in at most 10 groups."</p>
                <GroupPicker mode=GroupPick::Many(groups) />
                <p class="mt-2 text-sm text-red-700" role="alert" id="field-Groups-error">
                    {move || field_message(&result.get(), "Groups").or_else(|| quota_message(&result.get(), "GroupsPer"))}
                </p>
            </Panel>
            <Panel title="Permissions policies (optional)">
                <p class="mb-3 text-sm text-slate-600">"Managed policies to attach to the user directly."</p>
                <PolicyChooser mode=PickMode::Many(policies) />
                <p class="mt-2 text-sm text-red-700" role="alert" id="field-PolicyArn-error">
                    {move || field_message(&result.get(), "PolicyArn").or_else(|| quota_message(&result.get(), "PoliciesPer"))}
                </p>
            </Panel>
            <Panel title="Permissions boundary (optional)">
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" on:change=move |ev| use_boundary.set(event_target_checked(&ev)) />
                    "Use a permissions boundary to cap the user's permissions"
                </label>
                <Show when=move || use_boundary.get()>
                    <div class="mt-3">
                        <PolicyChooser mode=PickMode::One(boundary) />
                    </div>
                </Show>
                <p class="mt-2 text-sm text-red-700" role="alert" id="field-PermissionsBoundary-error">
                    {move || field_message(&result.get(), "PermissionsBoundary")}
                </p>
            </Panel>
            <Panel title="Tags (optional)">
                <TagEditor rows=tags error=error_for("Tags") />
            </Panel>
            <FormAlert message=Signal::derive(move || general_message(&result.get())) />
            <div class="flex gap-3">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || action.pending().get()>"Create user"</button>
                <a href="/users" class=BUTTON_SECONDARY>"Cancel"</a>
            </div>
        </form>
    }
}
