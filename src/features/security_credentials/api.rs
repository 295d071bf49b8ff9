//! Server functions for the root user's MFA device.

use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use crate::api_error::ApiError;
use crate::domain::read_models::{MfaDeviceStatus, VirtualMfaSetup};

#[server(endpoint = "security_credentials/mfa_status", protocol = FormArguments)]
pub async fn mfa_status() -> Result<Option<MfaDeviceStatus>, ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::mfa::root_mfa_status(&iam, &caller)
        .await
        .map_err(console::fail)
}

/// Assigns a new virtual device and returns its seed and QR code: shown this once.
#[server(endpoint = "security_credentials/begin_mfa_setup", protocol = FormArguments)]
pub async fn begin_mfa_setup() -> Result<VirtualMfaSetup, ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::mfa::create_root_virtual_mfa(&iam, &caller)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "security_credentials/enable_mfa", protocol = FormArguments)]
pub async fn enable_mfa(code1: String, code2: String) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::mfa::enable_root_mfa(&iam, &caller, &code1, &code2)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "security_credentials/remove_mfa", protocol = FormArguments)]
pub async fn remove_mfa(code: String) -> Result<(), ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::credentials::mfa::deactivate_root_mfa(&iam, &caller, &code)
        .await
        .map_err(console::fail)
}
