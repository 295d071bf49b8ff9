//! Cross-site request forgery defence: a state-changing request that a browser marks as coming
//! from another origin is refused before it reaches a server function. (Nothing changes state
//! on GET; the Query API at `POST /` authenticates every request with SigV4, not cookies.)

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn same_origin_only(request: Request, next: Next) -> Response {
    if is_state_changing(request.method())
        && request.uri().path() != "/"
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

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// SECURITY: browsers send `Origin` (and `Sec-Fetch-Site`) on cross-origin POSTs; a request
/// whose origin's host differs from the `Host` it was sent to is cross-origin.
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
}
