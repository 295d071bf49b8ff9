//! Server functions for an IAM user's virtual MFA device (`user_name: None`: the caller's own).
//! The root user's device has its own flow (security_credentials::api).

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use super::model::MfaDeviceView;
use crate::api_error::ApiError;
use crate::domain::read_models::VirtualMfaSetup;
use crate::features::entities::denials::Gated;

/// The user's enabled device, if any, and which MFA actions the caller may take.
#[server(endpoint = "credentials/user_mfa_device", protocol = FormArguments)]
pub async fn user_mfa_device(
    user_name: Option<String>,
) -> Result<Gated<Option<MfaDeviceView>>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::credentials::user_mfa;
    let (iam, caller) = console::signed_in().await?;
    let user_mfa::UserMfa {
        device,
        owner_arn: arn,
        device_serial: serial,
    } = user_mfa::user_mfa(&iam, &caller, user_name.as_deref())
        .await
        .map_err(console::fail)?;
    let checks = vec![
        (Op::CreateVirtualMFADevice, serial.clone()),
        (Op::EnableMFADevice, arn.clone()),
        (Op::ResyncMFADevice, arn.clone()),
        (Op::DeactivateMFADevice, arn),
        (Op::DeleteVirtualMFADevice, serial),
    ];
    let denials = denials::ask(&iam, &caller, checks).await?;
    Ok(Gated {
        value: device.map(|d| MfaDeviceView {
            serial_number: d.serial_number,
            enable_date: d.enable_date,
        }),
        denials,
    })
}

/// Creates the user's device; its seed and QR code are shown this once.
#[server(endpoint = "credentials/begin_user_mfa", protocol = FormArguments)]
pub async fn begin_user_mfa(user_name: Option<String>) -> Result<VirtualMfaSetup, ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::user_mfa::begin_user_mfa(&iam, &caller, user_name.as_deref())
        .await
        .map_err(console::fail)
}

#[server(endpoint = "credentials/enable_user_mfa", protocol = FormArguments)]
pub async fn enable_user_mfa(
    user_name: Option<String>,
    serial_number: String,
    code1: String,
    code2: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::mfa::enable_mfa_device(
        &iam,
        &caller,
        user_name.as_deref(),
        &serial_number,
        &code1,
        &code2,
    )
    .await
    .map_err(console::fail)
}

#[server(endpoint = "credentials/resync_user_mfa", protocol = FormArguments)]
pub async fn resync_user_mfa(
    user_name: Option<String>,
    serial_number: String,
    code1: String,
    code2: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::mfa::resync_mfa_device(
        &iam,
        &caller,
        user_name.as_deref(),
        &serial_number,
        &code1,
        &code2,
    )
    .await
    .map_err(console::fail)
}

/// Deactivates and deletes the device in one step.
#[server(endpoint = "credentials/remove_user_mfa", protocol = FormArguments)]
pub async fn remove_user_mfa(
    user_name: Option<String>,
    serial_number: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::user_mfa::remove_user_mfa(
        &iam,
        &caller,
        user_name.as_deref(),
        &serial_number,
    )
    .await
    .map_err(console::fail)
}
