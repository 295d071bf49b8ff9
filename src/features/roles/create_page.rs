//! `/new/role`: a role with its trust policy (from a template or written by hand), details,
//! managed policies, boundary and tags, saved in one step.

use leptos::prelude::*;

use super::api::{CreateRole, NewRole};
use super::session_duration::SessionDurationSelect;
use super::trust_templates::{
    trust_document, TrustChoice, ACCOUNT_FIELD, AUDIENCE_FIELD, PROVIDER_FIELD,
};
use super::web_identity_fields::WebIdentityFields;
use crate::api_error::field_message;
use crate::domain::read_models::SignedInPrincipal;
use crate::domain::{AccountId, EntityKind};
use crate::features::entities::create_form::{
    BoundaryStep, CreateFrame, Draft, NameAndPath, Outcome, PoliciesStep, Submission, TagsStep,
};
use crate::features::ui::policy_textarea::{is_valid_policy, PolicyTextarea};
use crate::features::ui::{dashed_account_id, Panel, PolicyJson, TextField};
use crate::policy::PolicyKind;

const TRUST_FIELD: &str = "AssumeRolePolicyDocument";
const FIELDS: &[&str] = &[
    "RoleName",
    "Path",
    "Description",
    "MaxSessionDuration",
    ACCOUNT_FIELD,
    PROVIDER_FIELD,
    AUDIENCE_FIELD,
    TRUST_FIELD,
    "Tags",
    "PolicyArn",
    "PermissionsBoundary",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Trusted {
    ThisAccount,
    AnotherAccount,
    WebIdentity,
    Saml,
    Custom,
}

#[component]
pub fn CreateRolePage() -> impl IntoView {
    let action = ServerAction::<CreateRole>::new();
    let submission = Submission::new(action.value().into());
    let result: Outcome = submission.outcome;
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
    let provider = RwSignal::new(String::new());
    let audience = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let draft = Draft::default();
    let description = RwSignal::new(String::new());
    let max_session = RwSignal::new(3_600i64);

    let choice = move || match trusted.get() {
        Trusted::ThisAccount => TrustChoice::ThisAccount {
            require_mfa: require_mfa.get(),
        },
        Trusted::AnotherAccount => TrustChoice::AnotherAccount {
            account_id: other_account.get(),
            require_mfa: require_mfa.get(),
        },
        Trusted::WebIdentity => TrustChoice::WebIdentity {
            provider_arn: provider.get(),
            audience: audience.get(),
            subject: subject.get(),
        },
        Trusted::Saml => TrustChoice::Saml {
            provider_arn: provider.get(),
            audience: audience.get(),
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
        Trusted::WebIdentity | Trusted::Saml => {
            !provider.get().is_empty() && !audience.get().trim().is_empty()
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
        if matches!(next, Trusted::WebIdentity | Trusted::Saml) && next != trusted.get_untracked() {
            // The other kind's provider is no choice here: the fields pick this kind's first.
            provider.set(String::new());
            audience.set(String::new());
        }
        trusted.set(next);
    };
    let submit = move |_: ()| {
        if !submission.check(EntityKind::Role, &draft) {
            return;
        }
        action.dispatch(CreateRole {
            role: NewRole {
                role_name: draft.name.get_untracked(),
                path: draft.path.get_untracked(),
                description: description.get_untracked(),
                max_session_duration: max_session.get_untracked(),
                trust: choice(),
                policy_arns: draft.policies.get_untracked(),
                tags: draft.tags_untracked(),
                permissions_boundary: draft.boundary_untracked(),
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
        <CreateFrame
            kind=EntityKind::Role
            subtitle="Everything below is saved together: if any part is refused, nothing is created."
            result
            fields=FIELDS
            quotas=&["PoliciesPer"]
            disabled=Signal::derive(move || !trust_ready() || action.pending().get())
            on_submit=submit
        >
            <Panel title="Trusted entity">
                <div class="space-y-3">
                    <div class="grid gap-3 md:grid-cols-2 xl:grid-cols-5" role="radiogroup" aria-label="Trusted entity type">
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
                            Trusted::WebIdentity,
                            "Web identity",
                            view! { "People and workloads an OpenID Connect provider vouches for." }.into_any(),
                        )}
                        {radio(
                            Trusted::Saml,
                            "SAML 2.0 federation",
                            view! { "People a SAML 2.0 directory of this account signs in." }.into_any(),
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
                    <Show when=move || trusted.get() == Trusted::WebIdentity>
                        <WebIdentityFields provider audience subject result />
                    </Show>
                    <Show when=move || trusted.get() == Trusted::Saml>
                        <WebIdentityFields provider audience subject result saml=true />
                    </Show>
                    <Show when=move || matches!(trusted.get(), Trusted::ThisAccount | Trusted::AnotherAccount)>
                        <label class="flex items-center gap-2 text-sm text-slate-700">
                            <input
                                type="checkbox"
                                prop:checked=move || require_mfa.get()
                                on:change=move |ev| require_mfa.set(event_target_checked(&ev))
                            />
                            "Require MFA: only sessions signed in with an MFA code may assume the role"
                        </label>
                    </Show>
                    <Show when=move || trusted.get() != Trusted::Custom>
                        <div>
                            <p class="mb-1 text-sm font-medium text-slate-700">"Trust policy that will be saved"</p>
                            {move || match trust_document(&choice(), &this_account.get_value()) {
                                Ok(document) => view! { <div data-testid="trust-preview"><PolicyJson document /></div> }.into_any(),
                                Err(_) => view! { <p class="text-sm text-slate-500">"Complete the choices above to see the policy."</p> }.into_any(),
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
                    // Not focused: the trusted entity comes first.
                    <NameAndPath kind=EntityKind::Role draft result path_hint="e.g. /service-role/. Defaults to /." />
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
            <PoliciesStep about="What the role's sessions may do." draft result quota="PoliciesPer" />
            // The role's page shows no boundary error of its own: it falls to no message.
            <BoundaryStep kind=EntityKind::Role draft />
            <TagsStep draft result />
        </CreateFrame>
    }
}
