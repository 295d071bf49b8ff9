//! HTTP-level tests of the request defences: security headers and a nonce-based CSP on pages,
//! refusal of cross-origin state changes, and request size limits.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::test_iam;
use ferriam::server::service::iam::Settings;
use tower::ServiceExt;

async fn app(secure: bool) -> (Router, common::TestIam) {
    let t = test_iam(Settings::default()).await;
    (common::http::app_with_cookies(&t, secure), t)
}

fn header_of(response: &axum::response::Response, name: header::HeaderName) -> &str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_that_matches_their_scripts() {
    let (app, _t) = app(false).await;
    let response = app
        .oneshot(Request::get("/signup").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let csp = header_of(&response, header::CONTENT_SECURITY_POLICY).to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP")
        .to_string();
    assert_eq!(
        header_of(&response, header::X_CONTENT_TYPE_OPTIONS),
        "nosniff"
    );
    assert_eq!(header_of(&response, header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(
        header_of(&response, header::STRICT_TRANSPORT_SECURITY),
        "",
        "no HSTS without HTTPS"
    );
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let html = String::from_utf8_lossy(&body);
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every inline script carries the nonce"
    );
}

#[tokio::test]
async fn other_responses_get_a_closed_policy_and_hsts_when_secure() {
    let (app, _t) = app(true).await;
    let response = app
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        header_of(&response, header::CONTENT_SECURITY_POLICY),
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert!(header_of(&response, header::STRICT_TRANSPORT_SECURITY).starts_with("max-age="));
}

#[tokio::test]
async fn cross_origin_posts_to_server_functions_are_refused() {
    let (app, t) = app(false).await;
    let post = |origin: Option<&str>| {
        let mut request = Request::post("/api/auth/create_account")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        request
            .body(Body::from(
                "email=owner%40example.com&password=correct+horse&confirm_password=correct+horse",
            ))
            .unwrap()
    };
    let forged = app
        .clone()
        .oneshot(post(Some("https://evil.example")))
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(accounts, 0, "the forged request changed nothing");
    let genuine = app
        .clone()
        .oneshot(post(Some("http://127.0.0.1:3000")))
        .await
        .unwrap();
    assert!(
        genuine.status().is_success() || genuine.status().is_redirection(),
        "{:?}",
        genuine.status()
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let (app, _t) = app(false).await;
    let huge = "x".repeat(2 * 1024 * 1024);
    let response = app
        .oneshot(
            Request::post("/api/auth/sign_in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::CONTENT_LENGTH, huge.len())
                .body(Body::from(format!("email=a&password={huge}")))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
