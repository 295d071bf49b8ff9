//! Cross-site request forgery defence: a state-changing request that a browser marks as coming
//! from another origin is refused before it reaches a server function. (Nothing changes state
//! on GET; the Query API at `POST /` authenticates every request with SigV4, not cookies.)

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::forwarded::Forwarding;

pub async fn same_origin_only(request: Request, next: Next) -> Response {
    if is_state_changing(request.method())
        && !CROSS_ORIGIN_POSTS.contains(&request.uri().path())
        && is_cross_origin(&request)
    {
        tracing::warn!(path = %request.uri().path(), "refused a cross-origin request");
        return (
            StatusCode::FORBIDDEN,
            "Cross-origin requests are not allowed.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Where other origins may post: the Query API (`/`, signed with SigV4, never by cookie) and
/// the SAML assertion consumer service (`/saml`: an identity provider's page posts the signed
/// response there, which is the proof; it is checked, and accepted once).
const CROSS_ORIGIN_POSTS: &[&str] = &["/", "/saml"];

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// SECURITY: browsers send `Origin` (and `Sec-Fetch-Site`) on cross-origin POSTs; a request
/// whose origin's host differs from the `Host` it was sent to — or, behind a proxy that
/// rewrites `Host`, from the operator's `--public-url` — is cross-origin.
fn is_cross_origin(request: &Request) -> bool {
    let headers = request.headers();
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site == "cross-site" || site == "same-site")
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let public_origin = request
        .extensions()
        .get::<Forwarding>()
        .and_then(|forwarding| forwarding.public_url.as_ref())
        .map(|url| url.origin());
    if public_origin.is_some_and(|public| public.eq_ignore_ascii_case(origin)) {
        return false;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .split_once("://")
        .map_or("", |(_, rest)| rest)
        .trim_end_matches('/');
    origin == "null" || !origin_host.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::PublicUrl;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::post("/api/users/create_user").header("host", "127.0.0.1:3000");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn cross_origin_detection() {
        assert!(!is_cross_origin(&post(&[])));
        assert!(!is_cross_origin(&post(&[(
            "origin",
            "http://127.0.0.1:3000"
        )])));
        assert!(!is_cross_origin(&post(&[
            ("origin", "http://127.0.0.1:3000"),
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(is_cross_origin(&post(&[("origin", "http://evil.example")])));
        assert!(is_cross_origin(&post(&[(
            "origin",
            "http://127.0.0.1:3001"
        )])));
        assert!(is_cross_origin(&post(&[("origin", "null")])));
        assert!(is_cross_origin(&post(&[("sec-fetch-site", "cross-site")])));
    }

    #[test]
    fn the_public_url_is_our_origin_whatever_host_the_proxy_sends() {
        let behind_proxy = |origin: &str| {
            let mut request = post(&[("origin", origin)]);
            request.extensions_mut().insert(Forwarding {
                public_url: Some(PublicUrl::parse("https://iam.example.com").unwrap()),
                ..Forwarding::default()
            });
            request
        };
        assert!(!is_cross_origin(&behind_proxy("https://iam.example.com")));
        assert!(!is_cross_origin(&behind_proxy("https://IAM.example.com")));
        assert!(is_cross_origin(&behind_proxy("http://iam.example.com")));
        assert!(is_cross_origin(&behind_proxy("https://evil.example")));
        assert!(is_cross_origin(&post(&[(
            "origin",
            "https://iam.example.com"
        )])));
    }
}
