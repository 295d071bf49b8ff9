//! The Versions tab: a managed policy's versions, newest first; view any of them, make one the
//! default, delete one that is not. IAM keeps at most five.

use leptos::prelude::*;

use super::api::{DeletePolicyVersion, SetDefaultPolicyVersion};
use super::denials::PolicyDenials;
use super::page_state::PageState;

use crate::domain::iam_models::PolicyVersion;
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::{format_millis, GatedButton, PolicyJson};

/// IAM's limit of versions per managed policy.
pub const MAX_VERSIONS: usize = 5;

#[component]
pub fn VersionsTab(
    arn: String,
    versions: Vec<PolicyVersion>,
    aws_managed: bool,
    denials: PolicyDenials,
    state: PageState,
) -> impl IntoView {
    let set_default = ServerAction::<SetDefaultPolicyVersion>::new();
    let delete = ServerAction::<DeletePolicyVersion>::new();
    // The version the last action was about, for its confirmation.
    let target = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(())) = set_default.value().get() {
            state.changed(format!(
                "{} is now the default version.",
                target.get_untracked()
            ));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            state.changed(format!("Version {} was deleted.", target.get_untracked()));
        }
    });
    let default_id = versions
        .iter()
        .find(|v| v.is_default_version)
        .map(|v| v.version_id.clone());
    let viewing = RwSignal::new(default_id);
    let count = versions.len();
    let shown = versions.clone();
    let error = move || match (set_default.value().get(), delete.value().get()) {
        (Some(Err(error)), _) | (_, Some(Err(error))) => Some(view! { <ApiErrorView error /> }),
        _ => None,
    };
    view! {
        <div class="space-y-4">
            <p data-testid="versions-limit" class="text-sm text-slate-600">
                {if aws_managed {
                    "AWS managed policies have one version here, maintained by AWS.".to_string()
                } else {
                    format!("{count} of {MAX_VERSIONS} versions. A managed policy keeps at most {MAX_VERSIONS}: delete one before saving another when all are used.")
                }}
            </p>
            {error}
            <table class="w-full rounded-lg border border-slate-200 bg-white text-left text-sm shadow-sm">
                <thead class="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
                    <tr>
                        <th class="px-4 py-2 font-semibold">"Version"</th>
                        <th class="px-4 py-2 font-semibold">"Created"</th>
                        <th class="px-4 py-2 font-semibold"></th>
                        <th class="px-4 py-2 text-right font-semibold">{(!aws_managed).then_some("Actions")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {versions
                        .into_iter()
                        .map(|version| {
                            let id = version.version_id.clone();
                            let is_default = version.is_default_version;
                            let actions = (!aws_managed).then(|| {
                                let set_arn = arn.clone();
                                let delete_arn = arn.clone();
                                let set_id = id.clone();
                                let delete_id = id.clone();
                                let not_default = |denied: &Option<String>, why: &str| {
                                    if is_default { Some(why.to_string()) } else { denied.clone() }
                                };
                                view! {
                                    <div class="flex justify-end gap-2">
                                        <GatedButton
                                            label="Make default"
                                            denied=not_default(&denials.set_default_version, "This is already the default version.")
                                            on_click=Callback::new(move |()| {
                                                target.set(set_id.clone());
                                                set_default.dispatch(SetDefaultPolicyVersion { arn: set_arn.clone(), version_id: set_id.clone() });
                                            })
                                            test_id="make-default"
                                        />
                                        <GatedButton
                                            label="Delete"
                                            danger=true
                                            denied=not_default(&denials.delete_version, "The default version cannot be deleted; make another version the default first.")
                                            on_click=Callback::new(move |()| {
                                                target.set(delete_id.clone());
                                                delete.dispatch(DeletePolicyVersion { arn: delete_arn.clone(), version_id: delete_id.clone() });
                                            })
                                            test_id="delete-version"
                                        />
                                    </div>
                                }
                            });
                            let view_id = id.clone();
                            let row_id = id.clone();
                            view! {
                                <tr data-testid="version-row" data-version=row_id class="hover:bg-slate-50">
                                    <td class="px-4 py-2">
                                        <button
                                            type="button"
                                            class="font-mono font-medium text-orange-700 hover:underline"
                                            title="Show this version's document"
                                            on:click=move |_| viewing.set(Some(view_id.clone()))
                                        >
                                            {id.clone()}
                                        </button>
                                    </td>
                                    <td class="px-4 py-2 text-slate-600">{format_millis(version.create_date)}</td>
                                    <td class="px-4 py-2">
                                        {is_default.then(|| view! {
                                            <span data-testid="default-badge" class="rounded bg-green-100 px-1.5 py-0.5 text-xs font-semibold text-green-800">"Default"</span>
                                        })}
                                    </td>
                                    <td class="px-4 py-2">{actions}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            {move || {
                let id = viewing.get()?;
                let version = shown.iter().find(|v| v.version_id == id)?.clone();
                Some(view! {
                    <section data-testid="version-document">
                        <h3 class="mb-2 text-sm font-semibold text-slate-700">{format!("Version {}", version.version_id)}</h3>
                        <PolicyJson document=version.document />
                    </section>
                })
            }}
        </div>
    }
}
