//! `GET /workload/credentials`: the AWS SDKs' container-credentials endpoint. An application
//! started with `AWS_CONTAINER_CREDENTIALS_FULL_URI` pointing here and its workload token in
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN` (or `…_TOKEN_FILE`) gets its instance profile's role
//! credentials, and fetches new ones by itself before they expire. The decision is the
//! service's (`workloads::tokens`); this module carries HTTP.

use axum::extract::State;
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::request_info::request_info;
use crate::server::clock::rfc3339;
use crate::server::service::signin::throttle;
use crate::server::service::workloads::tokens::{self, WorkloadRefusal};
use crate::server::service::ServiceError;
use crate::server::AppState;

/// Longer than any token Ferriam issues (`fwt_` and 43 characters); anything longer is not one.
const MAX_TOKEN_LENGTH: usize = 256;

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            // SECURITY: credentials are never cached by anything between here and the SDK.
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    answer(
        status,
        serde_json::json!({ "Code": code, "Message": message }),
    )
}

pub async fn credentials(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
) -> Response {
    let iam = &state.iam;
    let request = request_info(iam, &headers, &extensions, uuid::Uuid::new_v4().to_string());
    let source = request.source_ip.clone();
    // SECURITY: the same guessing defence as every other secret: an address that keeps
    // presenting unknown tokens is refused before any lookup.
    match throttle::api_source_refused(iam, source.as_deref()).await {
        Ok(false) => {}
        Ok(true) => {
            return refusal(StatusCode::TOO_MANY_REQUESTS, "Throttling", "Rate exceeded");
        }
        Err(error) => {
            tracing::error!(error = %error, "workload credentials: throttle unread");
            return refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ServiceFailure",
                "Try again.",
            );
        }
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .filter(|token| !token.is_empty() && token.len() <= MAX_TOKEN_LENGTH);
    let outcome = match token {
        Some(token) => tokens::credentials(iam, request, token).await,
        None => Ok(Err(WorkloadRefusal::UnknownToken)),
    };
    match outcome {
        Ok(Ok(issued)) => answer(
            StatusCode::OK,
            serde_json::json!({
                "AccessKeyId": issued.credentials.access_key_id,
                "SecretAccessKey": issued.credentials.secret_access_key,
                "Token": issued.credentials.session_token,
                "Expiration": rfc3339(issued.credentials.expiration),
                "AccountId": issued.account_id,
                "RoleArn": issued.role_arn,
            }),
        ),
        Ok(Err(WorkloadRefusal::UnknownToken)) => {
            if let Err(error) = throttle::api_authentication_failed(iam, source.as_deref()).await {
                tracing::warn!(error = %error, "refused workload token not counted");
            }
            refusal(
                StatusCode::UNAUTHORIZED,
                "InvalidToken",
                "The workload token is not valid.",
            )
        }
        Ok(Err(WorkloadRefusal::NoRole(message))) => {
            refusal(StatusCode::FORBIDDEN, "AccessDenied", &message)
        }
        // The token's cap of live credentials: the SDK retries later.
        Err(ServiceError::LimitExceeded(message)) => {
            refusal(StatusCode::TOO_MANY_REQUESTS, "LimitExceeded", &message)
        }
        Err(error) => {
            tracing::error!(error = %error, "workload credentials not issued");
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ServiceFailure",
                "Try again.",
            )
        }
    }
}
