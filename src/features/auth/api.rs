//! Server functions for account creation, sign-in and sign-out. Each is a public endpoint:
//! sign-up and sign-in need no session; everything else checks it.

use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use crate::api_error::ApiError;
use crate::domain::read_models::SignedInPrincipal;

/// Whether "Create account" is offered: while no account exists, or with `--open-signup`.
#[server(endpoint = "auth/sign_up_open", protocol = FormArguments)]
pub async fn sign_up_open() -> Result<bool, ApiError> {
    use crate::server::{console, service};
    let iam = console::iam()?;
    service::account::accounts::sign_up_open(&iam)
        .await
        .map_err(console::fail)
}

/// One "Sign in with …" choice of an account's sign-in page: the form it posts to `/sso/start`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SsoChoice {
    pub label: String,
    pub account: String,
    /// The provider's URL without its scheme.
    pub provider: String,
}

/// The single sign-on choices the account (its ID or alias) offers; none for an unknown one.
/// Public, so each address gets the unsigned requests' budget.
#[server(endpoint = "auth/sso_choices", protocol = FormArguments)]
pub async fn sso_choices(account: String) -> Result<Vec<SsoChoice>, ApiError> {
    use crate::server::console;
    use crate::server::service::federation::console_signin;
    let iam = console::iam()?;
    let source = console::request_info(&iam).source_ip;
    if !iam.unsigned_requests().admit(source.as_deref()) {
        return Err(console::throttled());
    }
    let choices = console_signin::choices(&iam, &account)
        .await
        .map_err(console::fail)?;
    Ok(choices
        .into_iter()
        .map(|choice| SsoChoice {
            label: choice.label,
            account: account.trim().to_string(),
            provider: choice.provider,
        })
        .collect())
}

#[server(endpoint = "auth/create_account", protocol = FormArguments)]
pub async fn create_account(
    email: String,
    password: String,
    confirm_password: String,
    alias: Option<String>,
) -> Result<(), ApiError> {
    use crate::domain::Principal;
    use crate::server::service::account::accounts::{self, NewAccount};
    use crate::server::service::signin;
    use crate::server::{console, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let request = console::sign_in_request(&iam);
    let new_account = NewAccount {
        email,
        password,
        confirm_password,
        alias,
        account_id: None,
    };
    let account = accounts::sign_up(&iam, &request, new_account)
        .await
        .map_err(console::fail)?;
    // The account exists: a browser left untrusted only loses its head start on throttling.
    match signin::account_created(&iam, &request, &account.root_email).await {
        Ok(()) => console::keep_device(&request),
        Err(error) => tracing::warn!(error = %error, "the creator's browser was not remembered"),
    }
    session::establish(
        &session,
        iam.clock(),
        Principal::root(account.account_id),
        false,
        &request,
    )
    .await
    .map_err(console::fail)?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Where a sign-in goes next: signed in (the console), or the next step's page.
#[cfg(feature = "ssr")]
async fn continue_sign_in(
    iam: &crate::server::service::Iam,
    session: &tower_sessions::Session,
    outcome: crate::server::service::signin::SignInOutcome,
) -> Result<(), ApiError> {
    use crate::server::service::signin::SignInOutcome;
    use crate::server::{console, session as sessions};
    match outcome {
        SignInOutcome::SignedIn {
            principal,
            with_mfa,
        } => {
            use crate::server::service::audit::signin_events;
            let request = console::request_info(iam);
            signin_events::signed_in(iam, &request, &principal, with_mfa).await;
            sessions::establish(session, iam.clock(), principal, with_mfa, &request)
                .await
                .map_err(console::fail)?;
            leptos_axum::redirect("/");
        }
        SignInOutcome::Pending(pending) => {
            let next = if pending.needs_mfa {
                "/signin/step/mfa"
            } else {
                "/signin/step/new-password"
            };
            sessions::set_pending(session, pending)
                .await
                .map_err(console::fail)?;
            leptos_axum::redirect(next);
        }
    }
    Ok(())
}

/// The root user: email and password.
#[server(endpoint = "auth/sign_in", protocol = FormArguments)]
pub async fn sign_in(email: String, password: String) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::signin;
    let iam = console::iam()?;
    let session = console::session().await?;
    let request = console::sign_in_request(&iam);
    let outcome = signin::sign_in_root(&iam, &request, &email, &password)
        .await
        .map_err(console::fail)?;
    console::keep_device(&request);
    continue_sign_in(&iam, &session, outcome).await
}

/// An IAM user: account ID or alias, user name and password.
#[server(endpoint = "auth/sign_in_user", protocol = FormArguments)]
pub async fn sign_in_user(
    account: String,
    user_name: String,
    password: String,
) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::signin;
    let iam = console::iam()?;
    let session = console::session().await?;
    let request = console::sign_in_request(&iam);
    let outcome = signin::sign_in_user(&iam, &request, &account, &user_name, &password)
        .await
        .map_err(console::fail)?;
    console::keep_device(&request);
    continue_sign_in(&iam, &session, outcome).await
}

#[server(endpoint = "auth/verify_mfa_code", protocol = FormArguments)]
pub async fn verify_mfa_code(code: String) -> Result<(), ApiError> {
    use crate::server::service::{signin, ServiceError};
    use crate::server::{console, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let pending = session::pending(&session)
        .await
        .map_err(console::fail)?
        .ok_or_else(|| console::fail(ServiceError::SignInFailed))?;
    let request = console::request_info(&iam);
    let outcome = signin::complete_mfa(&iam, &request, &pending, &code)
        .await
        .map_err(console::fail)?;
    continue_sign_in(&iam, &session, outcome).await
}

/// The step that replaces a password that had to be reset or expired.
#[server(endpoint = "auth/set_new_password", protocol = FormArguments)]
pub async fn set_new_password(
    new_password: String,
    confirm_password: String,
) -> Result<(), ApiError> {
    use crate::server::service::{credentials::passwords, ServiceError};
    use crate::server::{console, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let pending = session::pending(&session)
        .await
        .map_err(console::fail)?
        .ok_or_else(|| console::fail(ServiceError::SignInFailed))?;
    let outcome =
        passwords::complete_new_password(&iam, &pending, &new_password, &confirm_password)
            .await
            .map_err(console::fail)?;
    continue_sign_in(&iam, &session, outcome).await
}

/// What the new-password step shows: why a new password is needed and the rules it must meet.
#[server(endpoint = "auth/new_password_rules", protocol = FormArguments)]
pub async fn new_password_rules() -> Result<PasswordStepInfo, ApiError> {
    use crate::server::service::{credentials::passwords, ServiceError};
    use crate::server::{console, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let pending = session::pending(&session)
        .await
        .map_err(console::fail)?
        .filter(|p| p.needs_new_password)
        .ok_or_else(|| console::fail(ServiceError::SignInFailed))?;
    let policy = passwords::policy_for_account(&iam, pending.principal.account_id.as_str())
        .await
        .map_err(console::fail)?;
    Ok(PasswordStepInfo {
        user_name: pending.principal.display_name(),
        expired: pending.password_expired,
        policy,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasswordStepInfo {
    pub user_name: String,
    pub expired: bool,
    pub policy: Option<crate::domain::password_policy::PasswordPolicy>,
}

#[server(endpoint = "auth/sign_out", protocol = FormArguments)]
pub async fn sign_out() -> Result<(), ApiError> {
    use crate::server::service::audit::signin_events;
    use crate::server::{console, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let signed_in = session::current(&session, &iam)
        .await
        .map_err(console::fail)?;
    session::end(&session).await.map_err(console::fail)?;
    if let Some(signed_in) = signed_in {
        let request = console::request_info(&iam);
        signin_events::signed_out(&iam, &request, &signed_in.principal).await;
    }
    tracing::info!("signed out");
    leptos_axum::redirect("/signin");
    Ok(())
}

/// The signed-in principal for the top bar, or `None` when signed out.
#[server(endpoint = "auth/current_principal", protocol = FormArguments)]
pub async fn current_principal() -> Result<Option<SignedInPrincipal>, ApiError> {
    use crate::server::{console, service, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let Some(signed_in) = session::current(&session, &iam)
        .await
        .map_err(console::fail)?
    else {
        return Ok(None);
    };
    service::account::accounts::signed_in_principal(&iam, signed_in.principal)
        .await
        .map(Some)
        .map_err(console::fail)
}
