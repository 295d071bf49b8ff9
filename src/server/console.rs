//! What every console server function starts with — the state, the session, the signed-in
//! principal — and the one mapping from `ServiceError` to the console's `ApiError` and status.

use http::StatusCode;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

use crate::api_error::ApiError;
use crate::domain::Principal;

use super::service::{Iam, ServiceError};
use super::{session, AppState};

pub fn iam() -> Result<Iam, ApiError> {
    use_context::<AppState>()
        .map(|state| state.iam)
        .ok_or_else(|| {
            fail(ServiceError::Internal(
                "AppState missing from context".into(),
            ))
        })
}

pub async fn session() -> Result<Session, ApiError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| fail(ServiceError::Internal(format!("session layer: {e}"))))
}

/// The state and the signed-in principal; `NotSignedIn` otherwise.
/// SECURITY: every console server function that touches account data starts here.
pub async fn signed_in() -> Result<(Iam, Principal), ApiError> {
    let iam = iam()?;
    let session = session().await?;
    match session::current(&session, iam.clock())
        .await
        .map_err(fail)?
    {
        Some(principal) => Ok((iam, principal)),
        None => Err(fail(ServiceError::NotSignedIn)),
    }
}

/// Converts a service error for the browser: sets the HTTP status, logs internal detail, and
/// keeps that detail out of the response.
pub fn fail(error: ServiceError) -> ApiError {
    let status = match &error {
        ServiceError::Validation(_) | ServiceError::InvalidAuthenticationCode { .. } => {
            StatusCode::BAD_REQUEST
        }
        ServiceError::EntityAlreadyExists { .. } => StatusCode::CONFLICT,
        ServiceError::NoSuchEntity(_) => StatusCode::NOT_FOUND,
        ServiceError::AccessDenied(_) | ServiceError::SignUpClosed => StatusCode::FORBIDDEN,
        ServiceError::SignInFailed | ServiceError::NotSignedIn => StatusCode::UNAUTHORIZED,
        ServiceError::Internal(detail) => {
            tracing::error!(detail = %detail, "console request failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(status);
    }
    ApiError {
        code: error.code().to_string(),
        message: error.public_message(),
        field: error.field().map(str::to_string),
    }
}
