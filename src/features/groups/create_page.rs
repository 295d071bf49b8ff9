//! `/new/group`: a new group and the managed policies attached to it, saved together.

use leptos::prelude::*;

use super::api::{CreateGroup, NewGroup};
use crate::domain::EntityKind;
use crate::features::entities::create_form::{
    CreateFrame, Draft, NameAndPath, Outcome, PoliciesStep, Submission,
};
use crate::features::ui::Panel;

const FIELDS: &[&str] = &["GroupName", "Path", "PolicyArn"];

#[component]
pub fn CreateGroupPage() -> impl IntoView {
    let action = ServerAction::<CreateGroup>::new();
    let submission = Submission::new(action.value().into());
    let result: Outcome = submission.outcome;
    let draft = Draft::default();
    let submit = move |_: ()| {
        if !submission.check(EntityKind::Group, &draft) {
            return;
        }
        action.dispatch(CreateGroup {
            group: NewGroup {
                group_name: draft.name.get_untracked(),
                path: draft.path.get_untracked(),
                policy_arns: draft.policies.get_untracked(),
            },
        });
    };
    // A group's only quota on this page is its policies': every quota error shows beside them.
    view! {
        <CreateFrame
            kind=EntityKind::Group
            subtitle="Add users to it from its page once it exists."
            result
            fields=FIELDS
            quotas=&[""]
            disabled=Signal::derive(move || action.pending().get())
            on_submit=submit
        >
            <Panel title="Group details">
                <NameAndPath kind=EntityKind::Group draft result path_hint="e.g. /engineering/. Defaults to /." autofocus=true />
            </Panel>
            <PoliciesStep about="Every member gets these permissions." draft result quota="" />
        </CreateFrame>
    }
}
