//! `/new/role`: a role with its trust policy (from a template or written by hand), details,
//! managed policies, boundary and tags, saved in one step.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{CreateRole, NewRole};
use super::session_duration::SessionDurationSelect;
use super::trust_templates::{trust_document, TrustChoice, ACCOUNT_FIELD};
use crate::api_error::{field_message, form_message, ApiError};
use crate::domain::read_models::SignedInPrincipal;
use crate::domain::AccountId;
use crate::features::entities::policy_chooser::{PickMode, PolicyChooser};
use crate::features::ui::policy_textarea::{is_valid_policy, PolicyTextarea};
use crate::features::ui::tag_editor::{tags_of, TagEditor};
use crate::features::ui::{
    dashed_account_id, FormAlert, PageHeader, Panel, PolicyJson, TextField, BUTTON_PRIMARY,
    BUTTON_SECONDARY,
};
use crate::policy::PolicyKind;

const TRUST_FIELD: &str = "AssumeRolePolicyDocument";
const FIELDS: [&str; 9] = [
    "RoleName",
    "Path",
    "Description",
    "MaxSessionDuration",
    ACCOUNT_FIELD,
    TRUST_FIELD,
    "Tags",
    "PolicyArn",
    "PermissionsBoundary",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Trusted {
    ThisAccount,
    AnotherAccount,
    Custom,
}

fn policies_message(result: &Option<Result<(), ApiError>>) -> Option<String> {
    match result {
        Some(Err(error))
            if error.code == "LimitExceeded" && error.message.contains("PoliciesPer") =>
        {
            Some(error.message.clone())
        }
        _ => field_message(result, "PolicyArn"),
    }
}

#[component]
pub fn CreateRolePage() -> impl IntoView {
    let action = ServerAction::<CreateRole>::new();
    let result = action.value();
    // The console layout provides who is signed in: "This account" is theirs.
    let this_account = StoredValue::new(
        use_context::<SignedInPrincipal>()
            .map(|me| me.principal.account_id.to_string())
            .unwrap_or_default(),
    );

    let trusted = RwSignal::new(Trusted::ThisAccount);
    let other_account = RwSignal::new(String::new());
    let require_mfa = RwSignal::new(false);
    let custom = RwSignal::new(String::new());
    let role_name = RwSignal::new(String::new());
    let path = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let max_session = RwSignal::new(3_600i64);
    let policies = RwSignal::new(Vec::<String>::new());
    let use_boundary = RwSignal::new(false);
    let boundary = RwSignal::new(None::<String>);
    let tags = RwSignal::new(Vec::new());

    let choice = move || match trusted.get() {
        Trusted::ThisAccount => TrustChoice::ThisAccount {
            require_mfa: require_mfa.get(),
        },
        Trusted::AnotherAccount => TrustChoice::AnotherAccount {
            account_id: other_account.get(),
            require_mfa: require_mfa.get(),
        },
        Trusted::Custom => TrustChoice::Custom {
            document: custom.get(),
        },
    };
    let account_error = Signal::derive(move || {
        let typed = other_account.get();
        let live = (!typed.trim().is_empty())
            .then(|| AccountId::parse(ACCOUNT_FIELD, typed.trim()).err())
            .flatten()
            .map(|invalid| invalid.message);
        live.or_else(|| field_message(&result.get(), ACCOUNT_FIELD))
    });
    let trust_ready = move || match trusted.get() {
        Trusted::Custom => is_valid_policy(&custom.get(), PolicyKind::Trust),
        Trusted::AnotherAccount => {
            AccountId::parse(ACCOUNT_FIELD, other_account.get().trim()).is_ok()
        }
        Trusted::ThisAccount => true,
    };
    let choose = move |next: Trusted| {
        if next == Trusted::Custom && custom.with_untracked(String::is_empty) {
            // Start the hand-written policy from the template chosen so far.
            if let Ok(document) = trust_document(&choice(), &this_account.get_value()) {
                custom.set(document);
            }
        }
        trusted.set(next);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(CreateRole {
            role: NewRole {
                role_name: role_name.get_untracked(),
                path: path.get_untracked(),
                description: description.get_untracked(),
                max_session_duration: max_session.get_untracked(),
                trust: choice(),
                policy_arns: policies.get_untracked(),
                tags: tags.with_untracked(|rows| tags_of(rows)),
                permissions_boundary: boundary
                    .get_untracked()
                    .filter(|_| use_boundary.get_untracked()),
            },
        });
    };
    let error_for =
        move |field: &'static str| Signal::derive(move || field_message(&result.get(), field));
    let radio = move |value: Trusted, label: &'static str, help: AnyView| {
        view! {
            <label class="flex cursor-pointer gap-3 rounded-md border border-slate-200 p-3 has-[:checked]:border-orange-400 has-[:checked]:bg-orange-50/50">
                <input
                    type="radio"
                    name="trusted-entity"
                    class="mt-1"
                    prop:checked=move || trusted.get() == value
                    on:change=move |_| choose(value)
                />
                <span>
                    <span class="block text-sm font-medium text-slate-800">{label}</span>
                    <span class="block text-xs text-slate-600">{help}</span>
                </span>
            </label>
        }
    };
    view! {
        <Title text="Create role" />
        <nav class="mb-2 text-sm text-slate-500"><a href="/roles" class="hover:underline">"Roles"</a>" / Create role"</nav>
        <PageHeader title="Create role" subtitle="Everything below is saved together: if any part is refused, nothing is created." />
        <form class="max-w-4xl space-y-6" novalidate on:submit=submit>
            <Panel title="Trusted entity">
                <div class="space-y-3">
                    <div class="grid gap-3 md:grid-cols-3" role="radiogroup" aria-label="Trusted entity type">
                        {radio(
                            Trusted::ThisAccount,
                            "This account",
                            view! {
                                "Users and roles of this account "
                                {format!("({}) ", dashed_account_id(&this_account.get_value()))}
                                "whose own policies allow them to assume the role."
                            }
                            .into_any(),
                        )}
                        {radio(
                            Trusted::AnotherAccount,
                            "Another AWS account",
                            view! { "Principals of another account, as its administrators allow." }.into_any(),
                        )}
                        {radio(
                            Trusted::Custom,
                            "Custom trust policy",
                            view! { "Write the trust policy yourself." }.into_any(),
                        )}
                    </div>
                    <Show when=move || trusted.get() == Trusted::AnotherAccount>
                        <div class="max-w-xs">
                            <TextField
                                label="Account ID"
                                name=ACCOUNT_FIELD
                                hint="The 12-digit ID of the account to trust."
                                input_mode="numeric"
                                max_length=14
                                value=other_account.get_untracked()
                                error=account_error
                                on_input=move |text: String| other_account.set(text)
                            />
                        </div>
                    </Show>
                    <Show when=move || trusted.get() != Trusted::Custom>
                        <label class="flex items-center gap-2 text-sm text-slate-700">
                            <input
                                type="checkbox"
                                prop:checked=move || require_mfa.get()
                                on:change=move |ev| require_mfa.set(event_target_checked(&ev))
                            />
                            "Require MFA: only sessions signed in with an MFA code may assume the role"
                        </label>
                        <div>
                            <p class="mb-1 text-sm font-medium text-slate-700">"Trust policy that will be saved"</p>
                            {move || match trust_document(&choice(), &this_account.get_value()) {
                                Ok(document) => view! { <div data-testid="trust-preview"><PolicyJson document /></div> }.into_any(),
                                Err(_) => view! { <p class="text-sm text-slate-500">"Type a valid account ID to see the policy."</p> }.into_any(),
                            }}
                        </div>
                    </Show>
                    <Show when=move || trusted.get() == Trusted::Custom>
                        <PolicyTextarea value=custom kind=PolicyKind::Trust name=TRUST_FIELD label="Trust policy" />
                    </Show>
                    <p class="text-sm text-red-700" role="alert">
                        {move || if trusted.get() == Trusted::Custom { None } else { field_message(&result.get(), TRUST_FIELD) }}
                    </p>
                </div>
            </Panel>
            <Panel title="Role details">
                <div class="space-y-4">
                    <div class="grid gap-4 md:grid-cols-2">
                        <TextField
                            label="Role name"
                            name="RoleName"
                            hint="Up to 64 letters, digits and +=,.@_-. Unique in the account, ignoring case."
                            max_length=64
                            required=true
                            error=error_for("RoleName")
                            on_input=move |text: String| role_name.set(text)
                        />
                        <TextField
                            label="Path (optional)"
                            name="Path"
                            hint="e.g. /service-role/. Defaults to /."
                            error=error_for("Path")
                            on_input=move |text: String| path.set(text)
                        />
                    </div>
                    <div class="space-y-1">
                        <label for="field-Description" class="block text-sm font-medium text-slate-700">"Description (optional)"</label>
                        <textarea
                            id="field-Description"
                            rows="2"
                            maxlength="1000"
                            class="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
                            on:input=move |ev| description.set(event_target_value(&ev))
                        ></textarea>
                        <p class="text-sm text-red-700" role="alert" id="field-Description-error">{move || error_for("Description").get()}</p>
                    </div>
                    <SessionDurationSelect value=max_session error=error_for("MaxSessionDuration") />
                </div>
            </Panel>
            <Panel title="Permissions policies (optional)">
                <p class="mb-3 text-sm text-slate-600">"What the role's sessions may do."</p>
                <PolicyChooser mode=PickMode::Many(policies) />
                <p class="mt-2 text-sm text-red-700" role="alert" id="field-PolicyArn-error">{move || policies_message(&result.get())}</p>
            </Panel>
            <Panel title="Permissions boundary (optional)">
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" on:change=move |ev| use_boundary.set(event_target_checked(&ev)) />
                    "Use a permissions boundary to cap the role's permissions"
                </label>
                <Show when=move || use_boundary.get()>
                    <div class="mt-3">
                        <PolicyChooser mode=PickMode::One(boundary) />
                    </div>
                </Show>
            </Panel>
            <Panel title="Tags (optional)">
                <TagEditor rows=tags error=error_for("Tags") />
            </Panel>
            <FormAlert message=Signal::derive(move || {
                let result = result.get();
                if policies_message(&result).is_some() { None } else { form_message(&result, &FIELDS) }
            }) />
            <div class="flex gap-3">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || !trust_ready() || action.pending().get()>"Create role"</button>
                <a href="/roles" class=BUTTON_SECONDARY>"Cancel"</a>
            </div>
        </form>
    }
}
