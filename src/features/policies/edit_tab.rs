//! The Edit tab (customer managed policies): a new version of the document, by default made the
//! one in force. IAM keeps five versions; the sixth is refused with AWS's LimitExceeded message.

use leptos::prelude::*;

use super::api::CreatePolicyVersion;
use super::editor::PolicyEditor;
use super::form_errors::{document_message, other_message};
use super::page_state::PageState;
use super::versions_tab::MAX_VERSIONS;
use crate::features::ui::FormAlert;
use crate::policy::PolicyKind;

#[component]
pub fn EditTab(
    arn: String,
    /// The default version's document: where editing starts.
    document: String,
    /// How many versions the policy keeps, when known.
    version_count: Option<usize>,
    /// Why the principal may not create a version, if it may not.
    denied: Option<String>,
    state: PageState,
) -> impl IntoView {
    let save = ServerAction::<CreatePolicyVersion>::new();
    let result = save.value();
    // The draft outlives this tab, which is rebuilt each time the policy reloads.
    let value = RwSignal::new(state.draft.get_untracked().unwrap_or(document));
    Effect::new(move |_| state.draft.set(Some(value.get())));
    let valid = RwSignal::new(true);
    let set_as_default = RwSignal::new(true);
    Effect::new(move |_| {
        if let Some(Ok(version)) = result.get() {
            let notice = if version.is_default_version {
                format!(
                    "Saved as version {}, now the default version.",
                    version.version_id
                )
            } else {
                format!(
                    "Saved as version {}. The default version is unchanged.",
                    version.version_id
                )
            };
            state.changed(notice);
        }
    });
    let blocked = denied.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(CreatePolicyVersion {
            arn: arn.clone(),
            document: value.get_untracked(),
            set_as_default: set_as_default.get_untracked(),
        });
    };
    view! {
        <form on:submit=on_submit novalidate class="space-y-4">
            <p class="text-sm text-slate-600">
                {match version_count {
                    Some(count) => format!("Saving creates a new version ({count} of {MAX_VERSIONS} used). "),
                    None => format!("Saving creates a new version (at most {MAX_VERSIONS} are kept). "),
                }}
                "Users, groups and roles with this policy get the default version's permissions."
            </p>
            <PolicyEditor value kind=PolicyKind::Managed name="document" valid />
            <FormAlert message=Signal::derive(move || document_message(&result.get())) />
            <FormAlert message=Signal::derive(move || other_message(&result.get(), &[])) />
            <div class="flex items-center justify-end gap-6">
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input
                        type="checkbox"
                        prop:checked=move || set_as_default.get()
                        on:change=move |ev| set_as_default.set(event_target_checked(&ev))
                    />
                    "Set as default"
                </label>
                <button
                    type="submit"
                    disabled=move || blocked.is_some() || !valid.get() || save.pending().get()
                    title=move || denied.clone().or_else(|| (!valid.get()).then(|| "Fix the errors in the policy document first.".to_string()))
                    class="rounded-md bg-orange-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-orange-700 disabled:cursor-not-allowed disabled:opacity-50"
                >
                    "Save as new version"
                </button>
            </div>
        </form>
    }
}
