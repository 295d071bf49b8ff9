//! Server functions for account creation, sign-in and sign-out. Each is a public endpoint:
//! sign-up and sign-in need no session; everything else checks it.

use leptos::prelude::*;

use crate::api_error::ApiError;
use crate::domain::read_models::SignedInPrincipal;

/// Whether "Create account" is offered: while no account exists, or with `--open-signup`.
#[server(endpoint = "auth/sign_up_open")]
pub async fn sign_up_open() -> Result<bool, ApiError> {
    use crate::server::{console, service};
    let iam = console::iam()?;
    service::accounts::sign_up_open(&iam)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "auth/create_account")]
pub async fn create_account(
    email: String,
    password: String,
    confirm_password: String,
    alias: Option<String>,
) -> Result<(), ApiError> {
    use crate::domain::Principal;
    use crate::server::service::accounts::{self, NewAccount};
    use crate::server::{console, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let request = NewAccount {
        email,
        password,
        confirm_password,
        alias,
        account_id: None,
    };
    let account = accounts::sign_up(&iam, request)
        .await
        .map_err(console::fail)?;
    session::establish(
        &session,
        iam.clock(),
        Principal::root(account.account_id),
        false,
    )
    .await
    .map_err(console::fail)?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), ApiError> {
    use crate::server::service::signin::{self, SignInOutcome};
    use crate::server::{console, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    match signin::sign_in_root(&iam, &email, &password)
        .await
        .map_err(console::fail)?
    {
        SignInOutcome::SignedIn(principal) => {
            session::establish(&session, iam.clock(), principal, false)
                .await
                .map_err(console::fail)?;
            leptos_axum::redirect("/");
        }
        SignInOutcome::MfaRequired(pending) => {
            session::set_pending_mfa(&session, pending)
                .await
                .map_err(console::fail)?;
            leptos_axum::redirect("/signin/mfa");
        }
    }
    Ok(())
}

#[server(endpoint = "auth/verify_mfa_code")]
pub async fn verify_mfa_code(code: String) -> Result<(), ApiError> {
    use crate::server::service::{signin, ServiceError};
    use crate::server::{console, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let pending = session::pending_mfa(&session)
        .await
        .map_err(console::fail)?
        .ok_or_else(|| console::fail(ServiceError::SignInFailed))?;
    let principal = signin::complete_mfa(&iam, &pending, &code)
        .await
        .map_err(console::fail)?;
    session::establish(&session, iam.clock(), principal, true)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), ApiError> {
    use crate::server::{console, session};
    let session = console::session().await?;
    session::end(&session).await.map_err(console::fail)?;
    tracing::info!("signed out");
    leptos_axum::redirect("/signin");
    Ok(())
}

/// The signed-in principal for the top bar, or `None` when signed out.
#[server(endpoint = "auth/current_principal")]
pub async fn current_principal() -> Result<Option<SignedInPrincipal>, ApiError> {
    use crate::server::{console, service, session};
    let iam = console::iam()?;
    let session = console::session().await?;
    let Some(signed_in) = session::current(&session, iam.clock())
        .await
        .map_err(console::fail)?
    else {
        return Ok(None);
    };
    service::accounts::signed_in_principal(&iam, signed_in.principal)
        .await
        .map(Some)
        .map_err(console::fail)
}
