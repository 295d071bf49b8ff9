//! `GET /api/audit/export?format=jsonl|csv&<filters>`: the filtered audit events of the signed-in
//! caller's account as a download. Authorized as `cloudtrail:LookupEvents` by the service layer.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::domain::audit_query::AuditQuery;
use crate::server::service::audit_export::ExportFormat;
use crate::server::service::{audit_log, Caller, RequestInfo, ServiceError};
use crate::server::{session, AppState};

#[derive(serde::Deserialize)]
struct Format {
    format: String,
}

pub async fn export(State(state): State<AppState>, session: Session, request: Request) -> Response {
    let iam = &state.iam;
    let Ok(Query(format)) = Query::<Format>::try_from_uri(request.uri()) else {
        return error(ServiceError::InvalidInput(
            "format is required: jsonl or csv.".into(),
        ));
    };
    let Some(format) = ExportFormat::parse(&format.format) else {
        return error(ServiceError::InvalidInput(
            "format must be jsonl or csv.".into(),
        ));
    };
    let Ok(Query(query)) = Query::<AuditQuery>::try_from_uri(request.uri()) else {
        return error(ServiceError::InvalidInput(
            "The filters are malformed.".into(),
        ));
    };
    // SECURITY: the session decides who is asking; nothing in the URL names an account.
    let signed_in = match session::current(&session, iam).await {
        Ok(Some(signed_in)) => signed_in,
        Ok(None) => return error(ServiceError::NotSignedIn),
        Err(failure) => return error(failure),
    };
    let info = RequestInfo {
        request_id: uuid::Uuid::new_v4().to_string(),
        source_ip: request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string()),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(256).collect()),
        secure_transport: iam.settings().secure_transport,
        mfa_authenticated_at: signed_in.mfa_authenticated_at,
        access_key_id: None,
        console_session: None,
    };
    let caller = Caller::new(signed_in.principal, info);
    let filter = match audit_log::filter_of(&query) {
        Ok(filter) => filter,
        Err(failure) => return error(failure),
    };
    match audit_log::export_events(iam, &caller, &filter, format).await {
        Ok(body) => {
            let name = format!(
                "attachment; filename=\"ferriam-audit-{}.{}\"",
                caller.account_id(),
                format.extension()
            );
            (
                [
                    (header::CONTENT_TYPE, format.content_type().to_string()),
                    (header::CONTENT_DISPOSITION, name),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                body,
            )
                .into_response()
        }
        Err(failure) => error(failure),
    }
}

fn error(failure: ServiceError) -> Response {
    let status = match &failure {
        ServiceError::NotSignedIn => StatusCode::UNAUTHORIZED,
        ServiceError::AccessDenied(_) => StatusCode::FORBIDDEN,
        ServiceError::Internal(detail) => {
            tracing::error!(detail = %detail, "audit export failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let body = serde_json::json!({
        "Error": { "Code": failure.code(), "Message": failure.public_message() }
    });
    (status, axum::Json(body)).into_response()
}
