//! The facts of one HTTP request that policies and the audit log use (`RequestInfo`), read the
//! same way for console server functions, the audit export and the Query API.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{header, Extensions, HeaderMap};

use crate::server::service::{Iam, RequestInfo};

/// The request's peer address, user agent (at most 256 characters) and device cookie, under
/// `request_id`.
pub fn request_info(
    iam: &Iam,
    headers: &HeaderMap,
    extensions: &Extensions,
    request_id: String,
) -> RequestInfo {
    RequestInfo {
        request_id,
        source_ip: extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(256).collect()),
        secure_transport: iam.settings().secure_transport,
        mfa_authenticated_at: None,
        token_issued_at: None,
        access_key_id: None,
        console_session: None,
        device: super::device_cookie::read(headers, iam.settings().secure_transport),
    }
}
