//! The MFA panel: assign a virtual device (QR code and secret), enable it with two consecutive
//! codes, or remove it with a current code.

use leptos::prelude::*;

use super::api::{mfa_status, BeginMfaSetup, EnableMfa, RemoveMfa};
use crate::api_error::{field_message, form_message};
use crate::domain::read_models::{MfaDeviceStatus, VirtualMfaSetup};
use crate::features::console::error_view::ApiErrorView;
use crate::features::credentials::mfa_setup::{QrAndSecret, TwoCodesForm};
use crate::features::credentials::refresh::count_successes;
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{format_millis, FormAlert, Panel, TextField};

#[component]
pub fn MfaPanel() -> impl IntoView {
    let begin = ServerAction::<BeginMfaSetup>::new();
    let enable = ServerAction::<EnableMfa>::new();
    let remove = ServerAction::<RemoveMfa>::new();
    // Only a change that succeeded reloads the status: refetching after a refused code would
    // redraw the form and wipe what the user is typing into it.
    let changes = RwSignal::new(0u32);
    count_successes(changes, enable.value());
    count_successes(changes, remove.value());
    let status = Resource::new(move || changes.get(), |_| mfa_status());
    view! {
        <Panel title="Multi-factor authentication (MFA)">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(Some(device)) if device.enabled_at.is_some() => {
                            view! { <EnabledDevice device remove /> }.into_any()
                        }
                        Ok(_) => view! { <AssignDevice begin enable /> }.into_any(),
                        Err(error) => view! { <ApiErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn EnabledDevice(device: MfaDeviceStatus, remove: ServerAction<RemoveMfa>) -> impl IntoView {
    let result = remove.value();
    let enabled_on = device.enabled_at.map(format_millis).unwrap_or_default();
    view! {
        <div class="space-y-4">
            <p data-testid="mfa-status" class="text-sm text-green-800">"MFA is enabled for the root user."</p>
            <dl class="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
                <dt class="text-slate-500">"Device"</dt>
                <dd class="font-mono text-xs">{device.serial_number}</dd>
                <dt class="text-slate-500">"Enabled"</dt>
                <dd>{enabled_on}</dd>
            </dl>
            <ServerForm action=remove>
                <div class="flex items-end gap-3 border-t border-slate-200 pt-4">
                    <div class="w-48">
                        <TextField
                            label="Current MFA code"
                            name="code"
                            autocomplete="one-time-code"
                            input_mode="numeric"
                            max_length=6
                            required=true
                            error=Signal::derive(move || field_message(&result.get(), "code"))
                        />
                    </div>
                    <button
                        type="submit"
                        class="mb-7 rounded-md border border-red-300 bg-white px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50"
                    >
                        "Remove MFA device"
                    </button>
                </div>
                <FormAlert message=Signal::derive(move || form_message(&result.get(), &["code"])) />
            </ServerForm>
        </div>
    }
}

#[component]
fn AssignDevice(
    begin: ServerAction<BeginMfaSetup>,
    enable: ServerAction<EnableMfa>,
) -> impl IntoView {
    let setup = begin.value();
    view! {
        <div class="space-y-4">
            <p data-testid="mfa-status" class="text-sm text-amber-800">"No MFA device is enabled for the root user."</p>
            {move || match setup.get() {
                Some(Ok(setup)) => view! { <SetupSteps setup enable /> }.into_any(),
                Some(Err(error)) => view! { <ApiErrorView error /> }.into_any(),
                None => view! {
                    <ServerForm action=begin>
                        <button
                            type="submit"
                            class="rounded-md bg-orange-600 px-4 py-2 text-sm font-semibold text-white hover:bg-orange-700"
                        >
                            "Assign MFA device"
                        </button>
                    </ServerForm>
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn SetupSteps(setup: VirtualMfaSetup, enable: ServerAction<EnableMfa>) -> impl IntoView {
    let result = enable.value();
    view! {
        <ol class="space-y-5 text-sm">
            <li>
                <p class="font-medium">"1. Install an authenticator app on your phone or computer."</p>
            </li>
            <li class="space-y-2">
                <p class="font-medium">"2. Scan this QR code with the app, or type the secret key."</p>
                <QrAndSecret setup />
            </li>
            <li class="space-y-2">
                <p class="font-medium">"3. Type two consecutive codes from the app."</p>
                <TwoCodesForm
                    submit_label="Add MFA"
                    result
                    pending=enable.pending()
                    on_submit=move |(code1, code2)| {
                        enable.dispatch(EnableMfa { code1, code2 });
                    }
                />
            </li>
        </ol>
    }
}
