//! Access keys of one owner: the table (status, age with keys past 90 days flagged, last use),
//! activate/deactivate, delete by typing the key ID, and create (at most two), whose secret is
//! shown once in a dialog.

use crate::catalog::Op;
use leptos::prelude::*;

use super::keys_api::{list_access_keys, CreateAccessKey, DeleteAccessKey, UpdateAccessKey};
use super::model::{AccessKeyView, CreatedAccessKey, OLD_KEY_DAYS};
use super::new_key_dialog::NewKeyDialog;
use crate::api_error::ApiError;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, ConfirmDelete, FormAlert, GatedButton};

/// AWS's quota, and its sentence when the quota is reached.
const MAX_KEYS: usize = 2;
const AT_LIMIT: &str = "Cannot exceed quota for AccessKeysPerUser: 2. Delete or deactivate a key you no longer use before you create another.";

#[component]
pub fn AccessKeysPanel(
    /// `None`: the signed-in principal's own keys.
    user_name: Option<String>,
    /// Shown above the table (the root user's warning).
    #[prop(optional)]
    warning: Option<&'static str>,
) -> impl IntoView {
    let create = ServerAction::<CreateAccessKey>::new();
    let update = ServerAction::<UpdateAccessKey>::new();
    let delete = ServerAction::<DeleteAccessKey>::new();
    let owner = user_name.clone();
    let keys = Resource::new(
        move || {
            (
                owner.clone(),
                create.version().get(),
                update.version().get(),
                delete.version().get(),
            )
        },
        |(owner, ..)| list_access_keys(owner),
    );
    // The secret lives only in this signal while the dialog is open.
    let new_key = RwSignal::new(None::<CreatedAccessKey>);
    Effect::new(move |_| {
        if let Some(Ok(key)) = create.value().get() {
            new_key.set(Some(key));
            create.value().set(None);
        }
    });
    let action_error = Signal::derive(move || {
        failure(create.value().get())
            .or_else(|| failure(update.value().get()))
            .or_else(|| failure(delete.value().get()))
    });
    view! {
        <section class="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="access-keys-panel">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {
                    let user_name = user_name.clone();
                    move || {
                        let user_name = user_name.clone();
                        Suspend::new(async move {
                            match keys.await {
                                Ok(gated) => view! {
                                    <KeysView user_name keys=gated.value denials=gated.denials warning create update delete />
                                }.into_any(),
                                Err(error) => view! { <KeysUnavailable error /> }.into_any(),
                            }
                        })
                    }
                }
            </Transition>
            <FormAlert message=action_error />
            {move || new_key.get().map(|key| view! {
                <NewKeyDialog key on_close=move |_| new_key.set(None) />
            })}
        </section>
    }
}

#[component]
fn KeysUnavailable(error: ApiError) -> impl IntoView {
    view! {
        <h2 class="text-base font-semibold text-slate-800">"Access keys"</h2>
        <ApiErrorView error />
    }
}

#[component]
fn KeysView(
    user_name: Option<String>,
    keys: Vec<AccessKeyView>,
    denials: Denials,
    warning: Option<&'static str>,
    create: ServerAction<CreateAccessKey>,
    update: ServerAction<UpdateAccessKey>,
    delete: ServerAction<DeleteAccessKey>,
) -> impl IntoView {
    let create_denied = denials
        .reason(Op::CreateAccessKey)
        .or_else(|| (keys.len() >= MAX_KEYS).then(|| AT_LIMIT.to_string()));
    let update_denied = denials.reason(Op::UpdateAccessKey);
    let delete_denied = denials.reason(Op::DeleteAccessKey);
    let deleting = RwSignal::new(None::<String>);
    let count = keys.len();
    let create_owner = user_name.clone();
    let delete_owner = user_name.clone();
    view! {
        <div class="flex items-start justify-between gap-4">
            <div>
                <h2 class="text-base font-semibold text-slate-800">{format!("Access keys ({count})")}</h2>
                <p class="text-sm text-slate-600">"Use access keys to send signed requests to the AWS API (the CLI, SDKs). At most two, so that one can be rotated."</p>
            </div>
            <GatedButton
                label="Create access key"
                denied=Signal::derive(move || create_denied.clone())
                on_click=move |_| {
                    create.dispatch(CreateAccessKey { user_name: create_owner.clone() });
                }
                test_id="create-access-key"
            />
        </div>
        {warning.map(|text| view! {
            <p class="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="root-keys-warning">{text}</p>
        })}
        <Table headings=vec!["Access key ID", "Status", "Created", "Age", "Last used", ""]>
            {if keys.is_empty() {
                view! { <EmptyRow columns=6 message="No access keys.".to_string() /> }.into_any()
            } else {
                keys.into_iter()
                    .map(|key| {
                        let update_denied = update_denied.clone();
                        let delete_denied = delete_denied.clone();
                        let user_name = user_name.clone();
                        view! { <KeyRow key user_name update_denied delete_denied update deleting /> }
                    })
                    .collect_view()
                    .into_any()
            }}
        </Table>
        {move || deleting.get().map(|access_key_id| {
            let user_name = delete_owner.clone();
            let id = access_key_id.clone();
            view! {
                <ConfirmDelete
                    name=access_key_id.clone()
                    what="access key"
                    consequence="Requests signed with this key will fail from now on. Deactivate it first to check that nothing still uses it. This cannot be undone."
                    pending=delete.pending()
                    on_confirm=move |_| {
                        delete.dispatch(DeleteAccessKey { user_name: user_name.clone(), access_key_id: id.clone() });
                        deleting.set(None);
                    }
                    on_cancel=move |_| deleting.set(None)
                />
            }
        })}
    }
}

#[component]
fn KeyRow(
    key: AccessKeyView,
    user_name: Option<String>,
    update_denied: Option<String>,
    delete_denied: Option<String>,
    update: ServerAction<UpdateAccessKey>,
    deleting: RwSignal<Option<String>>,
) -> impl IntoView {
    let active = key.status == "Active";
    let id = key.access_key_id.clone();
    let toggle_id = id.clone();
    let old = key.age_days > OLD_KEY_DAYS;
    let age = format!("{} days", key.age_days);
    let last_used = match key.last_used {
        Some(used) => format!(
            "{} ({}, {})",
            format_millis(used.date),
            used.service.unwrap_or_else(|| "N/A".into()),
            used.region.unwrap_or_else(|| "N/A".into())
        ),
        None => "N/A".to_string(),
    };
    view! {
        <tr data-testid="access-key-row">
            <td class=CELL><span class="font-mono text-xs">{id.clone()}</span></td>
            <td class=CELL>
                <span class=if active { "rounded bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800" } else { "rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600" }>
                    {key.status.clone()}
                </span>
            </td>
            <td class=CELL>{format_millis(key.create_date)}</td>
            <td class=CELL>
                {if old {
                    view! { <span class="font-medium text-amber-800" title="Rotate access keys at least every 90 days.">{format!("⚠ {age}")}</span> }.into_any()
                } else {
                    view! { <span>{age}</span> }.into_any()
                }}
            </td>
            <td class=CELL>{last_used}</td>
            <td class="px-4 py-2 text-right">
                <span class="inline-flex gap-2">
                    <GatedButton
                        label=if active { "Deactivate" } else { "Activate" }
                        secondary=true
                        denied=Signal::derive(move || update_denied.clone())
                        on_click=move |_| {
                            update.dispatch(UpdateAccessKey {
                                user_name: user_name.clone(),
                                access_key_id: toggle_id.clone(),
                                status: if active { "Inactive" } else { "Active" }.to_string(),
                            });
                        }
                    />
                    <GatedButton
                        label="Delete"
                        danger=true
                        denied=Signal::derive(move || delete_denied.clone())
                        on_click=move |_| deleting.set(Some(id.clone()))
                    />
                </span>
            </td>
        </tr>
    }
}
