//! What the create pages of users, groups and roles share: the frame (title, breadcrumb, the form
//! with its general message, Create and Cancel), the name and path fields, and the permissions
//! policies, permissions boundary and tags steps. Each page adds its own steps (a user's groups,
//! a role's trust policy and details) and saves everything in one server call.

use leptos::prelude::*;
use leptos_meta::Title;

use super::policy_chooser::{PickMode, PolicyChooser};
use super::words::words;
use crate::api_error::{field_message, form_message, ApiError};
use crate::domain::entity_requests::NewEntity;
use crate::domain::tags::Tag;
use crate::domain::{EntityKind, GroupName, RoleName, UserName};
use crate::features::ui::tag_editor::{tags_of, TagEditor, TagRow};
use crate::features::ui::{
    FormAlert, PageHeader, Panel, TextField, BUTTON_PRIMARY, BUTTON_SECONDARY,
};

/// The create call's outcome (its server action's value).
pub type Outcome = Signal<Option<Result<(), ApiError>>>;

/// A create page's outcome: the browser's own check of the name and path first (the parse the
/// server runs, `NewEntity`, so every broken constraint is named before any request), else the
/// server's answer.
#[derive(Clone, Copy)]
pub struct Submission {
    refused: RwSignal<Option<Result<(), ApiError>>>,
    pub outcome: Outcome,
}

impl Submission {
    pub fn new(server: Outcome) -> Self {
        let refused = RwSignal::new(None);
        Submission {
            refused,
            outcome: Signal::derive(move || refused.get().or_else(|| server.get())),
        }
    }

    /// Whether the draft's name and path pass the server's rules; when not, the refusal shows
    /// beside its field and nothing is sent.
    pub fn check(self, kind: EntityKind, draft: &Draft) -> bool {
        let (name, path) = (draft.name.get_untracked(), draft.path.get_untracked());
        let path = Some(path.as_str()).filter(|p| !p.trim().is_empty());
        let checked = match kind {
            EntityKind::User => NewEntity::<UserName>::parse(&name, path).map(drop),
            EntityKind::Group => NewEntity::<GroupName>::parse(&name, path).map(drop),
            EntityKind::Role => NewEntity::<RoleName>::parse(&name, path).map(drop),
        };
        let refused = checked.err().map(|invalid| Err(ApiError::from(invalid)));
        let passes = refused.is_none();
        self.refused.set(refused);
        passes
    }
}

/// What every create page collects.
#[derive(Clone, Copy)]
pub struct Draft {
    pub name: RwSignal<String>,
    pub path: RwSignal<String>,
    pub policies: RwSignal<Vec<String>>,
    pub use_boundary: RwSignal<bool>,
    pub boundary: RwSignal<Option<String>>,
    pub tags: RwSignal<Vec<TagRow>>,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            name: RwSignal::new(String::new()),
            path: RwSignal::new(String::new()),
            policies: RwSignal::new(Vec::new()),
            use_boundary: RwSignal::new(false),
            boundary: RwSignal::new(None),
            tags: RwSignal::new(Vec::new()),
        }
    }
}

impl Draft {
    /// The boundary chosen, if the box to use one is ticked.
    pub fn boundary_untracked(&self) -> Option<String> {
        self.boundary
            .get_untracked()
            .filter(|_| self.use_boundary.get_untracked())
    }

    pub fn tags_untracked(&self) -> Vec<Tag> {
        self.tags.with_untracked(|rows| tags_of(rows))
    }
}

/// A quota's message, which belongs beside the list whose quota it is (`PoliciesPer`,
/// `GroupsPer`); `""` stands for every quota.
pub fn quota_message(result: &Option<Result<(), ApiError>>, quota: &str) -> Option<String> {
    match result {
        Some(Err(error)) if error.code == "LimitExceeded" && error.message.contains(quota) => {
            Some(error.message.clone())
        }
        _ => None,
    }
}

/// The form's general message: an error of none of `fields`, unless one of the `quotas` shown
/// beside their lists.
fn general_message(
    result: &Option<Result<(), ApiError>>,
    fields: &[&str],
    quotas: &[&str],
) -> Option<String> {
    if quotas
        .iter()
        .any(|quota| quota_message(result, quota).is_some())
    {
        return None;
    }
    form_message(result, fields)
}

/// The page around a create form: its title, breadcrumb and heading, then the steps
/// (`children`), the message of an error no step shows, and Create and Cancel.
#[component]
pub fn CreateFrame(
    kind: EntityKind,
    subtitle: &'static str,
    result: Outcome,
    /// The form fields the steps show errors beside; every other error shows at the bottom.
    fields: &'static [&'static str],
    /// The quotas whose errors show beside their lists (see `quota_message`).
    quotas: &'static [&'static str],
    #[prop(into)] disabled: Signal<bool>,
    #[prop(into)] on_submit: Callback<()>,
    children: Children,
) -> impl IntoView {
    let words = words(kind);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(());
    };
    view! {
        <Title text=words.create_title />
        <nav class="mb-2 text-sm text-slate-500"><a href=words.list_href class="hover:underline">{words.list_title}</a>{format!(" / {}", words.create_label)}</nav>
        <PageHeader title=words.create_title subtitle />
        <form class="max-w-4xl space-y-6" novalidate on:submit=submit>
            {children()}
            <FormAlert message=Signal::derive(move || general_message(&result.get(), fields, quotas)) />
            <div class="flex gap-3">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || disabled.get()>{words.create_label}</button>
                <a href=words.list_href class=BUTTON_SECONDARY>"Cancel"</a>
            </div>
        </form>
    }
}

/// The name (`UserName`, `GroupName`, `RoleName`) and path fields, side by side.
#[component]
pub fn NameAndPath(
    kind: EntityKind,
    draft: Draft,
    result: Outcome,
    path_hint: &'static str,
    /// Whether the name field takes the focus (not when a step comes before it).
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let error_for =
        move |field: &'static str| Signal::derive(move || field_message(&result.get(), field));
    // AWS's limits: 64 characters for user and role names, 128 for group names.
    let (max_length, hint) = kind.pick([
        (
            64,
            "Up to 64 letters, digits and +=,.@_-. Unique in the account, ignoring case.",
        ),
        (
            128,
            "Up to 128 letters, digits and +=,.@_-. Unique in the account, ignoring case.",
        ),
        (
            64,
            "Up to 64 letters, digits and +=,.@_-. Unique in the account, ignoring case.",
        ),
    ]);
    view! {
        <div class="grid gap-4 md:grid-cols-2">
            <TextField
                label=words(kind).name_label
                name=kind.parameter()
                hint
                max_length
                required=true
                autofocus
                error=error_for(kind.parameter())
                on_input=move |text: String| draft.name.set(text)
            />
            <TextField
                label="Path (optional)"
                name="Path"
                hint=path_hint
                error=error_for("Path")
                on_input=move |text: String| draft.path.set(text)
            />
        </div>
    }
}

/// The managed policies to attach, with the error of the attachments (or of their quota).
#[component]
pub fn PoliciesStep(
    /// What the policies do for this kind.
    about: &'static str,
    draft: Draft,
    result: Outcome,
    /// The policy quota shown here (see `quota_message`).
    quota: &'static str,
) -> impl IntoView {
    view! {
        <Panel title="Permissions policies (optional)">
            <p class="mb-3 text-sm text-slate-600">{about}</p>
            <PolicyChooser mode=PickMode::Many(draft.policies) />
            <p class="mt-2 text-sm text-red-700" role="alert" id="field-PolicyArn-error">
                {move || {
                    let result = result.get();
                    field_message(&result, "PolicyArn").or_else(|| quota_message(&result, quota))
                }}
            </p>
        </Panel>
    }
}

/// A permissions boundary for a user or role, if the box is ticked.
#[component]
pub fn BoundaryStep(
    kind: EntityKind,
    draft: Draft,
    /// Where the page shows the boundary's own error beneath it.
    #[prop(optional)]
    result: Option<Outcome>,
) -> impl IntoView {
    let use_boundary = draft.use_boundary;
    view! {
        <Panel title="Permissions boundary (optional)">
            <label class="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" on:change=move |ev| use_boundary.set(event_target_checked(&ev)) />
                {format!("Use a permissions boundary to cap the {}'s permissions", kind.lower())}
            </label>
            <Show when=move || use_boundary.get()>
                <div class="mt-3">
                    <PolicyChooser mode=PickMode::One(draft.boundary) />
                </div>
            </Show>
            {result.map(|result| view! {
                <p class="mt-2 text-sm text-red-700" role="alert" id="field-PermissionsBoundary-error">
                    {move || field_message(&result.get(), "PermissionsBoundary")}
                </p>
            })}
        </Panel>
    }
}

/// The tags to give the new user or role.
#[component]
pub fn TagsStep(draft: Draft, result: Outcome) -> impl IntoView {
    view! {
        <Panel title="Tags (optional)">
            <TagEditor rows=draft.tags error=Signal::derive(move || field_message(&result.get(), "Tags")) />
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_error_shows_beside_its_list_and_nowhere_else() {
        let message = "Cannot exceed quota for PoliciesPerUser: 10.";
        let result = Some(Err(ApiError::new("LimitExceeded", message)));
        assert_eq!(
            quota_message(&result, "PoliciesPer").as_deref(),
            Some(message)
        );
        assert_eq!(quota_message(&result, "GroupsPer"), None);
        assert_eq!(quota_message(&result, "").as_deref(), Some(message));
        assert_eq!(general_message(&result, &[], &["PoliciesPer"]), None);
        assert_eq!(
            general_message(&result, &[], &["GroupsPer"]).as_deref(),
            Some(message)
        );
        let other = Some(Err(ApiError::new("ValidationError", "PoliciesPer")));
        assert_eq!(quota_message(&other, "PoliciesPer"), None);
    }
}
