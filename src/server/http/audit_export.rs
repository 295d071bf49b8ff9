//! `GET /api/audit/export?format=jsonl|csv&<filters>`: the filtered audit events of the signed-in
//! caller's account as a download. Authorized as `cloudtrail:LookupEvents` by the service layer.

use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::request_info::request_info;
use crate::domain::audit_query::AuditQuery;
use crate::server::service::audit::export::ExportFormat;
use crate::server::service::{audit::lookup, ServiceError};
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
    let info = request_info(
        iam,
        request.headers(),
        request.extensions(),
        uuid::Uuid::new_v4().to_string(),
    );
    let caller = match session::caller(&session, iam, info).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return error(ServiceError::NotSignedIn),
        Err(failure) => return error(failure),
    };
    let filter = match lookup::filter_of(&query) {
        Ok(filter) => filter,
        Err(failure) => return error(failure),
    };
    match lookup::export_events(iam, &caller, &filter, format).await {
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
    if let ServiceError::Internal(detail) = &failure {
        tracing::error!(detail = %detail.report(), "audit export failed");
    }
    let status = failure.status();
    let body = serde_json::json!({
        "Error": { "Code": failure.code(), "Message": failure.public_message() }
    });
    (status, axum::Json(body)).into_response()
}
