//! Pieces of every virtual-MFA flow (root and IAM users): the QR code with the secret key on
//! request, and the form for two consecutive codes.

use leptos::prelude::*;

use crate::api_error::{field_message, form_message, ApiError};
use crate::domain::read_models::VirtualMfaSetup;
use crate::features::ui::{FormAlert, TextField, BUTTON_PRIMARY};

/// The device's QR code (a `data:` PNG, allowed by the CSP's `img-src`) and its Base32 secret,
/// shown only when asked for.
#[component]
pub fn QrAndSecret(setup: VirtualMfaSetup) -> impl IntoView {
    let show_secret = RwSignal::new(false);
    let qr_src = format!("data:image/png;base64,{}", setup.qr_png_base64);
    let secret = setup.base32_seed;
    view! {
        <img src=qr_src alt="QR code for the virtual MFA device" class="h-48 w-48 border border-slate-200" />
        <button type="button" class="text-orange-700 hover:underline" on:click=move |_| show_secret.update(|s| *s = !*s)>
            {move || if show_secret.get() { "Hide secret key" } else { "Show secret key" }}
        </button>
        <Show when=move || show_secret.get()>
            <code data-testid="mfa-secret" class="block break-all rounded bg-slate-100 px-3 py-2 font-mono">
                {secret.clone()}
            </code>
        </Show>
    }
}

/// Two consecutive codes from the authenticator app; `on_submit` gets them.
#[component]
pub fn TwoCodesForm(
    submit_label: &'static str,
    #[prop(into)] result: Signal<Option<Result<(), ApiError>>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_submit: Callback<(String, String)>,
) -> impl IntoView {
    let code1 = RwSignal::new(String::new());
    let code2 = RwSignal::new(String::new());
    view! {
        <form
            novalidate
            class="space-y-2"
            on:submit=move |ev| {
                ev.prevent_default();
                on_submit.run((code1.get_untracked(), code2.get_untracked()));
            }
        >
            <div class="grid max-w-md grid-cols-2 gap-4">
                <TextField
                    label="MFA code 1"
                    name="code1"
                    autocomplete="one-time-code"
                    input_mode="numeric"
                    max_length=6
                    required=true
                    on_input=move |v| code1.set(v)
                    error=Signal::derive(move || field_message(&result.get(), "code1"))
                />
                <TextField
                    label="MFA code 2"
                    name="code2"
                    autocomplete="one-time-code"
                    input_mode="numeric"
                    max_length=6
                    required=true
                    on_input=move |v| code2.set(v)
                    error=Signal::derive(move || field_message(&result.get(), "code2"))
                />
            </div>
            <FormAlert message=Signal::derive(move || form_message(&result.get(), &["code1", "code2"])) />
            <button type="submit" class=BUTTON_PRIMARY disabled=move || pending.get()>{submit_label}</button>
        </form>
    }
}
