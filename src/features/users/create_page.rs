//! `/new/user`: a new user with its groups, managed policies, permissions boundary and tags,
//! saved in one step — a refused part saves nothing, and its message shows beside it.

use leptos::prelude::*;

use super::api::{CreateUser, NewUser};
use crate::api_error::field_message;
use crate::domain::EntityKind;
use crate::features::entities::create_form::{
    quota_message, BoundaryStep, CreateFrame, Draft, NameAndPath, Outcome, PoliciesStep,
    Submission, TagsStep,
};
use crate::features::entities::member_picker::{MemberPick, MemberPicker};
use crate::features::ui::Panel;

const FIELDS: &[&str] = &[
    "UserName",
    "Path",
    "Tags",
    "Groups",
    "PolicyArn",
    "PermissionsBoundary",
];

#[component]
pub fn CreateUserPage() -> impl IntoView {
    let action = ServerAction::<CreateUser>::new();
    let submission = Submission::new(action.value().into());
    let result: Outcome = submission.outcome;
    let draft = Draft::default();
    let groups = RwSignal::new(Vec::<String>::new());
    let submit = move |_: ()| {
        if !submission.check(EntityKind::User, &draft) {
            return;
        }
        action.dispatch(CreateUser {
            user: NewUser {
                user_name: draft.name.get_untracked(),
                path: draft.path.get_untracked(),
                tags: draft.tags_untracked(),
                groups: groups.get_untracked(),
                policy_arns: draft.policies.get_untracked(),
                permissions_boundary: draft.boundary_untracked(),
            },
        });
    };
    view! {
        <CreateFrame
            kind=EntityKind::User
            subtitle="Everything below is saved together: if any part is refused, nothing is created."
            result
            fields=FIELDS
            quotas=&["PoliciesPer", "GroupsPer"]
            disabled=Signal::derive(move || action.pending().get())
            on_submit=submit
        >
            <Panel title="User details">
                <NameAndPath
                    kind=EntityKind::User
                    draft
                    result
                    path_hint="Groups users by team or purpose, e.g. /engineering/. Defaults to /."
                    autofocus=true
                />
            </Panel>
            <Panel title="Groups (optional)">
                <p class="mb-3 text-sm text-slate-600">"The user gets every permission of its groups. A user can be in at most 10 groups."</p>
                <MemberPicker kind=EntityKind::Group mode=MemberPick::Many(groups) />
                <p class="mt-2 text-sm text-red-700" role="alert" id="field-Groups-error">
                    {move || field_message(&result.get(), "Groups").or_else(|| quota_message(&result.get(), "GroupsPer"))}
                </p>
            </Panel>
            <PoliciesStep about="Managed policies to attach to the user directly." draft result quota="PoliciesPer" />
            <BoundaryStep kind=EntityKind::User draft result />
            <TagsStep draft result />
        </CreateFrame>
    }
}
