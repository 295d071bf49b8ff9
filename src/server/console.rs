//! What every console server function starts with — the state, the session, the signed-in
//! principal — and the one mapping from `ServiceError` to the console's `ApiError` and status.

use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

use crate::api_error::ApiError;
use crate::domain::read_models::SignedInPrincipal;

use super::http::device_cookie;
use super::service::signin::device_id::DeviceId;
use super::service::{Caller, Iam, RequestInfo, ServiceError};
use super::{session, AppState};

pub fn iam() -> Result<Iam, ApiError> {
    use_context::<AppState>()
        .map(|state| state.iam)
        .ok_or_else(|| fail(ServiceError::internal("AppState missing from context")))
}

pub async fn session() -> Result<Session, ApiError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| fail(ServiceError::internal(format!("session layer: {e}"))))
}

/// The state and the signed-in caller; `NotSignedIn` otherwise.
/// SECURITY: every console server function that touches account data starts here.
pub async fn signed_in() -> Result<(Iam, Caller), ApiError> {
    let iam = iam()?;
    let session = session().await?;
    match session::caller(&session, &iam, request_info(&iam))
        .await
        .map_err(fail)?
    {
        Some(caller) => Ok((iam, caller)),
        None => Err(fail(ServiceError::NotSignedIn)),
    }
}

/// Who is signed in, as the sign-in gate loaded it for this page request (`None` outside a
/// server render of a console page).
pub fn signed_in_principal_of_request() -> Option<SignedInPrincipal> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SignedInPrincipal>().cloned())
}

/// The facts of the current HTTP request that policies and the audit log use.
pub fn request_info(iam: &Iam) -> RequestInfo {
    let request_id = uuid::Uuid::new_v4().to_string();
    match use_context::<http::request::Parts>() {
        Some(parts) => super::http::request_info::request_info(
            iam,
            &parts.headers,
            &parts.extensions,
            request_id,
        ),
        None => super::http::request_info::request_info(
            iam,
            &Default::default(),
            &Default::default(),
            request_id,
        ),
    }
}

/// The request of a password sign-in step: with the browser's device ID, or a new one that
/// `keep_device` gives the browser once the password was right.
pub fn sign_in_request(iam: &Iam) -> RequestInfo {
    let mut request = request_info(iam);
    request.device.get_or_insert_with(DeviceId::random);
    request
}

/// Sets (or renews) the browser's device cookie after a correct password.
pub fn keep_device(request: &RequestInfo) {
    if let (Some(device), Some(response)) = (&request.device, use_context::<ResponseOptions>()) {
        response.append_header(
            http::header::SET_COOKIE,
            device_cookie::set_cookie(device, request.secure_transport),
        );
    }
}

/// Converts a service error for the browser: sets the HTTP status, logs internal detail, and
/// keeps that detail out of the response.
/// The answer to a caller over its request budget: 429, AWS's `Throttling`.
pub fn throttled() -> ApiError {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(http::StatusCode::TOO_MANY_REQUESTS);
    }
    ApiError::new("Throttling", "Rate exceeded")
}

/// This console's origin, as the browser of this request reaches it.
pub fn own_origin(iam: &Iam) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    super::http::request_info::own_origin(iam, &parts.headers, &parts.extensions)
}

/// This service's own origin, which no request chooses (`--public-url`, else the listening
/// address): the SAML endpoints' origin.
pub fn service_origin() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    super::http::request_info::service_origin(&parts.extensions)
}

pub fn fail(error: ServiceError) -> ApiError {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(error.status());
    }
    part_failed(error)
}

/// Converts the error of one part of an answer that succeeds as a whole (say, one tab of a
/// page the caller may only partly read): the HTTP status stays as it is.
pub fn part_failed(error: ServiceError) -> ApiError {
    if let ServiceError::Internal(detail) = &error {
        tracing::error!(detail = %detail.report(), "console request failed");
    }
    ApiError {
        code: error.code().to_string(),
        message: error.public_message(),
        field: error.field().map(str::to_string),
    }
}
