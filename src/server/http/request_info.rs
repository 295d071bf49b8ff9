//! The facts of one HTTP request that policies and the audit log use (`RequestInfo`), read the
//! same way for console server functions, the audit export and the Query API.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{header, Extensions, HeaderMap};

use super::forwarded::Forwarding;
use crate::server::service::{Iam, RequestInfo};

/// The request's client address and scheme (through trusted proxies: see `forwarded`), user
/// agent (at most 256 characters) and device cookie, under `request_id`.
pub fn request_info(
    iam: &Iam,
    headers: &HeaderMap,
    extensions: &Extensions,
    request_id: String,
) -> RequestInfo {
    let client = extensions.get::<ConnectInfo<SocketAddr>>().map(|peer| {
        extensions
            .get::<Forwarding>()
            .cloned()
            .unwrap_or_default()
            .client(peer.0.ip(), headers)
    });
    let secure_transport = client
        .as_ref()
        .and_then(|client| client.https)
        .unwrap_or(iam.settings().secure_transport);
    RequestInfo {
        request_id,
        source_ip: client.as_ref().map(|client| client.ip.to_string()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(256).collect()),
        secure_transport,
        origin: service_origin(extensions),
        mfa_authenticated_at: None,
        token_issued_at: None,
        access_key_id: None,
        console_session: None,
        device: super::device_cookie::read(headers, iam.settings().secure_transport),
    }
}

/// This console's origin as the browser reaches it: `--public-url`, else the scheme the request
/// came by and its `Host` (`None` without one). For addresses shown to people and sent to OpenID
/// providers (which check them against what was registered); never for what a caller must not
/// choose — see [`service_origin`].
pub fn own_origin(iam: &Iam, headers: &HeaderMap, extensions: &Extensions) -> Option<String> {
    if let Some(public) = extensions
        .get::<Forwarding>()
        .and_then(|forwarding| forwarding.public_url.as_ref())
    {
        return Some(public.origin().to_string());
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let scheme = if request_info(iam, headers, extensions, String::new()).secure_transport {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}"))
}

/// This service's own origin, which no request can choose (see `Forwarding::service_origin`).
pub fn service_origin(extensions: &Extensions) -> Option<String> {
    extensions
        .get::<Forwarding>()
        .and_then(|forwarding| forwarding.service_origin.clone())
}
