//! Server functions for console passwords: an administrator's view of a user's login profile,
//! and the signed-in IAM user's change of its own password.

#[cfg(feature = "ssr")]
use crate::catalog::Op;
use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use super::model::{LoginProfileView, OwnPasswordInfo};
use crate::api_error::ApiError;
use crate::features::entities::denials::Gated;

/// The user's console password (`None`: console access is disabled), and which password
/// actions the caller may take.
#[server(endpoint = "credentials/login_profile", protocol = FormArguments)]
pub async fn login_profile(user_name: String) -> Result<Gated<Option<LoginProfileView>>, ApiError> {
    use crate::features::entities::denials;
    use crate::server::console;
    use crate::server::service::credentials::passwords;
    let (iam, caller) = console::signed_in().await?;
    let passwords::ConsolePassword { profile, user_arn } =
        passwords::find_login_profile(&iam, &caller, &user_name)
            .await
            .map_err(console::fail)?;
    let profile = profile.map(|profile| LoginProfileView {
        create_date: profile.create_date,
        password_reset_required: profile.password_reset_required,
    });
    let checks = [
        Op::CreateLoginProfile,
        Op::UpdateLoginProfile,
        Op::DeleteLoginProfile,
    ]
    .into_iter()
    .map(|op| (op, user_arn.clone()))
    .collect();
    let denials = denials::ask(&iam, &caller, checks).await?;
    Ok(Gated {
        value: profile,
        denials,
    })
}

/// Creates (`create`) or replaces the user's console password. With no `password`, one is
/// generated and returned: the administrator sees it this once.
#[server(endpoint = "credentials/set_console_password", protocol = FormArguments)]
pub async fn set_console_password(
    user_name: String,
    password: Option<String>,
    reset_required: bool,
    create: bool,
) -> Result<Option<String>, ApiError> {
    use crate::server::{console, service::credentials::passwords};
    let (iam, caller) = console::signed_in().await?;
    let password = password.as_deref();
    passwords::set_console_password(&iam, &caller, &user_name, password, reset_required, create)
        .await
        .map_err(console::fail)
}

/// Removes the user's console password, which disables its console access.
#[server(endpoint = "credentials/remove_console_password", protocol = FormArguments)]
pub async fn remove_console_password(user_name: String) -> Result<(), ApiError> {
    use crate::server::{console, service::credentials::passwords};
    let (iam, caller) = console::signed_in().await?;
    passwords::delete_login_profile(&iam, &caller, &user_name)
        .await
        .map_err(console::fail)
}

/// Whether the signed-in IAM user may change its own password.
#[server(endpoint = "credentials/own_password_info", protocol = FormArguments)]
pub async fn get_own_password_info() -> Result<OwnPasswordInfo, ApiError> {
    use crate::server::{console, service::credentials::passwords};
    let (iam, caller) = console::signed_in().await?;
    let may_change = passwords::may_change_own_password(&iam, &caller)
        .await
        .map_err(console::fail)?;
    Ok(OwnPasswordInfo { may_change })
}

/// `ChangePassword`: the service checks the old password, the policy and reuse.
#[server(endpoint = "credentials/change_own_password", protocol = FormArguments)]
pub async fn change_own_password(
    old_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), ApiError> {
    use crate::server::{console, service::credentials::passwords};
    let (iam, caller) = console::signed_in().await?;
    passwords::change_password_confirmed(
        &iam,
        &caller,
        &old_password,
        &new_password,
        &confirm_password,
    )
    .await
    .map_err(console::fail)
}
