//! An IAM user's virtual MFA device: assign one (named after the user; QR code, secret on
//! request, two consecutive codes), resynchronise it, or remove it.

use crate::catalog::Op;
use leptos::prelude::*;

use super::mfa_api::{user_mfa_device, BeginUserMfa, EnableUserMfa, RemoveUserMfa, ResyncUserMfa};
use super::mfa_setup::{QrAndSecret, TwoCodesForm};
use super::model::MfaDeviceView;
use super::refresh::count_successes;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::{format_millis, FormAlert, GatedButton, Panel, BUTTON_SECONDARY};

#[component]
pub fn UserMfaPanel(
    /// `None`: the signed-in user's own device.
    user_name: Option<String>,
) -> impl IntoView {
    // Owned here, so a setup in progress survives the panel's reloads.
    let begin = ServerAction::<BeginUserMfa>::new();
    let enable = ServerAction::<EnableUserMfa>::new();
    let remove = ServerAction::<RemoveUserMfa>::new();
    let changes = RwSignal::new(0u32);
    count_successes(changes, enable.value());
    count_successes(changes, remove.value());
    // SECURITY: once the device is enabled, its seed leaves the page.
    Effect::new(move |_| {
        if matches!(enable.value().get(), Some(Ok(()))) {
            begin.value().set(None);
        }
    });
    let owner = user_name.clone();
    let device = Resource::new(
        move || (owner.clone(), changes.get()),
        |(owner, _)| user_mfa_device(owner),
    );
    view! {
        <Panel title="Multi-factor authentication (MFA)">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {
                    let user_name = user_name.clone();
                    move || {
                        let user_name = user_name.clone();
                        Suspend::new(async move {
                            match device.await {
                                Ok(gated) => match gated.value {
                                    Some(device) => view! { <EnabledDevice user_name device denials=gated.denials remove /> }.into_any(),
                                    None => view! { <AssignDevice user_name denials=gated.denials begin enable /> }.into_any(),
                                },
                                Err(error) => view! { <ApiErrorView error /> }.into_any(),
                            }
                        })
                    }
                }
            </Transition>
        </Panel>
    }
}

#[component]
fn EnabledDevice(
    user_name: Option<String>,
    device: MfaDeviceView,
    denials: Denials,
    remove: ServerAction<RemoveUserMfa>,
) -> impl IntoView {
    let resync = ServerAction::<ResyncUserMfa>::new();
    let resyncing = RwSignal::new(false);
    let resynced = move || matches!(resync.value().get(), Some(Ok(())));
    let resync_denied = denials.reason(Op::ResyncMFADevice);
    let remove_denied = denials
        .reason(Op::DeactivateMFADevice)
        .or_else(|| denials.reason(Op::DeleteVirtualMFADevice));
    let serial = device.serial_number.clone();
    let remove_serial = serial.clone();
    let remove_owner = user_name.clone();
    view! {
        <div class="space-y-4">
            <p data-testid="mfa-status" class="text-sm text-green-800">"MFA is enabled."</p>
            <dl class="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
                <dt class="text-slate-500">"Device type"</dt>
                <dd>"Virtual MFA device (authenticator app)"</dd>
                <dt class="text-slate-500">"Identifier"</dt>
                <dd class="font-mono text-xs" data-testid="mfa-serial">{device.serial_number.clone()}</dd>
                <dt class="text-slate-500">"Enabled"</dt>
                <dd>{device.enable_date.map(format_millis).unwrap_or_default()}</dd>
            </dl>
            <div class="flex gap-2 border-t border-slate-200 pt-4">
                <GatedButton label="Resync" secondary=true denied=Signal::derive(move || resync_denied.clone()) on_click=move |_| resyncing.update(|open| *open = !*open) />
                <ConfirmButton
                    label="Remove"
                    confirm_label="Remove MFA device"
                    denied=Signal::derive(move || remove_denied.clone())
                    pending=remove.pending()
                    on_confirm=move |_| {
                        remove.dispatch(RemoveUserMfa { user_name: remove_owner.clone(), serial_number: remove_serial.clone() });
                    }
                />
            </div>
            <FormAlert message=Signal::derive(move || failure(remove.value().get())) />
            <Show when=move || resynced()>
                <p class="text-sm text-green-800" role="status">"The device is resynchronized."</p>
            </Show>
            <Show when=move || resyncing.get() && !resynced()>
                <div class="space-y-2 rounded-lg border border-orange-200 bg-orange-50/40 p-4 text-sm">
                    <p>"Type two consecutive codes from the app to realign the device's clock."</p>
                    <TwoCodesForm
                        submit_label="Resync MFA device"
                        result=resync.value()
                        pending=resync.pending()
                        on_submit={
                            let user_name = user_name.clone();
                            let serial = serial.clone();
                            move |(code1, code2)| {
                                resync.dispatch(ResyncUserMfa { user_name: user_name.clone(), serial_number: serial.clone(), code1, code2 });
                            }
                        }
                    />
                    <button type="button" class=BUTTON_SECONDARY on:click=move |_| resyncing.set(false)>"Cancel"</button>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn AssignDevice(
    user_name: Option<String>,
    denials: Denials,
    begin: ServerAction<BeginUserMfa>,
    enable: ServerAction<EnableUserMfa>,
) -> impl IntoView {
    let assign_denied = denials
        .reason(Op::CreateVirtualMFADevice)
        .or_else(|| denials.reason(Op::EnableMFADevice));
    let begin_owner = user_name.clone();
    view! {
        <div class="space-y-4">
            <p data-testid="mfa-status" class="text-sm text-amber-800">"No MFA device is assigned."</p>
            {move || match begin.value().get() {
                Some(Ok(setup)) => {
                    let serial = setup.serial_number.clone();
                    let user_name = user_name.clone();
                    view! {
                        <ol class="space-y-5 text-sm">
                            <li><p class="font-medium">"1. Install an authenticator app on your phone or computer."</p></li>
                            <li class="space-y-2">
                                <p class="font-medium">"2. Scan this QR code with the app, or type the secret key."</p>
                                <QrAndSecret setup />
                            </li>
                            <li class="space-y-2">
                                <p class="font-medium">"3. Type two consecutive codes from the app."</p>
                                <TwoCodesForm
                                    submit_label="Add MFA"
                                    result=enable.value()
                                    pending=enable.pending()
                                    on_submit=move |(code1, code2)| {
                                        enable.dispatch(EnableUserMfa { user_name: user_name.clone(), serial_number: serial.clone(), code1, code2 });
                                    }
                                />
                            </li>
                        </ol>
                    }.into_any()
                }
                other => {
                    let denied = assign_denied.clone();
                    let owner = begin_owner.clone();
                    view! {
                        <FormAlert message=Signal::derive(move || failure(other.clone())) />
                        <GatedButton
                            label="Assign MFA device"
                            denied=Signal::derive(move || denied.clone())
                            on_click=move |_| {
                                begin.dispatch(BeginUserMfa { user_name: owner.clone() });
                            }
                            test_id="assign-mfa"
                        />
                    }.into_any()
                }
            }}
        </div>
    }
}
