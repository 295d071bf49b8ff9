//! Ferriam's SAML service-provider endpoints: `GET /saml/metadata.xml`, the metadata an
//! administrator gives their identity provider (entity ID and assertion consumer service).

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::request_info::own_origin;
use crate::server::service::federation::saml::metadata::sp_metadata;
use crate::server::AppState;

pub async fn metadata(State(state): State<AppState>, parts: Parts) -> Response {
    let Some(origin) = own_origin(&state.iam, &parts.headers, &parts.extensions) else {
        return (StatusCode::BAD_REQUEST, "The request names no Host.").into_response();
    };
    (
        [(header::CONTENT_TYPE, "application/samlmetadata+xml")],
        sp_metadata(&origin),
    )
        .into_response()
}
