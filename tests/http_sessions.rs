//! HTTP-level tests of the console session: cookie attributes, a new session ID at sign-in,
//! server-side deletion at sign-out, the sign-in gate, and the health checks.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::test_iam;
use ferriam::server::service::account::accounts::{self, NewAccount};
use ferriam::server::service::iam::Settings;
use ferriam::server::service::RequestInfo;
use ferriam::server::store::Backend;
use tower::ServiceExt;

const EMAIL: &str = "owner@example.com";
const PASSWORD: &str = "correct horse battery";

async fn app(secure_cookies: bool) -> (Router, common::TestIam) {
    let t = test_iam(Settings::default()).await;
    (common::http::app_with_cookies(&t, secure_cookies), t)
}

async fn create_account(t: &common::TestIam) {
    accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        NewAccount {
            email: EMAIL.into(),
            password: PASSWORD.into(),
            confirm_password: PASSWORD.into(),
            alias: None,
            account_id: None,
        },
    )
    .await
    .unwrap();
}

fn post_form(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::empty()).unwrap()
}

/// The `name=value` part of the response's session cookie.
fn session_cookie(response: &axum::response::Response) -> Option<(String, String)> {
    let set_cookie = common::http::set_cookie(response, "ferriam-session")?;
    let pair = set_cookie.split(';').next()?.to_string();
    Some((pair, set_cookie))
}

fn location(response: &axum::response::Response) -> Option<&str> {
    response.headers().get(header::LOCATION)?.to_str().ok()
}

async fn session_rows(t: &common::TestIam) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_sets_a_fresh_http_only_cookie_and_sign_out_deletes_the_session() {
    let (app, t) = app(false).await;
    create_account(&t).await;

    // An anonymous session exists before sign-in (a failed attempt leaves none behind).
    let failed = app
        .clone()
        .oneshot(post_form(
            "/api/auth/sign_in",
            "email=owner%40example.com&password=wrong",
            None,
        ))
        .await
        .unwrap();
    assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    assert!(
        session_cookie(&failed).is_none(),
        "a failed sign-in must not start a session"
    );

    let body = format!(
        "email=owner%40example.com&password={}",
        PASSWORD.replace(' ', "+")
    );
    let signed_in = app
        .clone()
        .oneshot(post_form("/api/auth/sign_in", &body, None))
        .await
        .unwrap();
    let (cookie, attributes) = session_cookie(&signed_in).expect("sign-in sets the session cookie");
    assert!(cookie.starts_with("ferriam-session="), "{attributes}");
    assert!(attributes.contains("HttpOnly"), "{attributes}");
    assert!(attributes.contains("SameSite=Lax"), "{attributes}");
    assert!(attributes.contains("Path=/"), "{attributes}");
    assert!(!attributes.contains("Secure"), "{attributes}");
    assert_eq!(session_rows(&t).await, 1);

    // Signing in again from a signed-in session issues a different session ID.
    let again = app
        .clone()
        .oneshot(post_form("/api/auth/sign_in", &body, Some(&cookie)))
        .await
        .unwrap();
    let (rotated, _) = session_cookie(&again).expect("a new cookie");
    assert_ne!(rotated, cookie, "sign-in must rotate the session ID");
    let stale = app.clone().oneshot(get("/", Some(&cookie))).await.unwrap();
    assert_eq!(
        location(&stale),
        Some("/signin"),
        "the old session ID must no longer work"
    );

    let console = app.clone().oneshot(get("/", Some(&rotated))).await.unwrap();
    assert_eq!(console.status(), StatusCode::OK);

    let signed_out = app
        .clone()
        .oneshot(post_form("/api/auth/sign_out", "", Some(&rotated)))
        .await
        .unwrap();
    assert!(signed_out.status().is_success() || signed_out.status().is_redirection());
    assert_eq!(
        session_rows(&t).await,
        0,
        "sign-out deletes the session server-side"
    );
    let after = app.clone().oneshot(get("/", Some(&rotated))).await.unwrap();
    assert_eq!(location(&after), Some("/signin"));
}

#[tokio::test]
async fn secure_cookies_use_the_host_prefix() {
    let (app, t) = app(true).await;
    create_account(&t).await;
    let body = format!(
        "email=owner%40example.com&password={}",
        PASSWORD.replace(' ', "+")
    );
    let response = app
        .oneshot(post_form("/api/auth/sign_in", &body, None))
        .await
        .unwrap();
    let (cookie, attributes) = session_cookie(&response).unwrap();
    assert!(
        cookie.starts_with("__Host-ferriam-session="),
        "{attributes}"
    );
    assert!(attributes.contains("Secure"), "{attributes}");
}

#[tokio::test]
async fn the_gate_sends_visitors_to_the_right_page() {
    let (app, t) = app(false).await;
    let first = app.clone().oneshot(get("/", None)).await.unwrap();
    assert_eq!(
        location(&first),
        Some("/signup"),
        "no account yet: create one"
    );
    create_account(&t).await;
    let later = app
        .clone()
        .oneshot(get("/security-credentials", None))
        .await
        .unwrap();
    assert_eq!(location(&later), Some("/signin"));
    let closed = app.clone().oneshot(get("/signup", None)).await.unwrap();
    assert_eq!(
        location(&closed),
        Some("/signin"),
        "sign-up is closed once an account exists"
    );
    for step in ["/signin/step/mfa", "/signin/step/new-password"] {
        let response = app.clone().oneshot(get(step, None)).await.unwrap();
        assert_eq!(
            location(&response),
            Some("/signin"),
            "no password step, no {step}"
        );
    }
    // Any alias or ID gets an IAM-user sign-in page (unknown ones fail only at sign-in).
    let user_page = app
        .clone()
        .oneshot(get("/signin/some-alias", None))
        .await
        .unwrap();
    assert_eq!(user_page.status(), StatusCode::OK);
    let page = app.clone().oneshot(get("/signin", None)).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}

#[tokio::test]
async fn server_functions_refuse_signed_out_callers() {
    let (app, t) = app(false).await;
    create_account(&t).await;
    for path in [
        "/api/dashboard/get_account_overview",
        "/api/security_credentials/mfa_status",
        "/api/security_credentials/begin_mfa_setup",
        "/api/security_credentials/enable_mfa",
        "/api/security_credentials/remove_mfa",
    ] {
        let response = app
            .clone()
            .oneshot(post_form(
                path,
                "code=123456&code1=123456&code2=123456",
                None,
            ))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let devices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mfa_devices")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(devices, 0);
}

#[tokio::test]
async fn health_and_readiness() {
    let (app, t) = app(false).await;
    let health = app.clone().oneshot(get("/healthz", None)).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app.clone().oneshot(get("/readyz", None)).await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    if t.iam.store().backend() == Backend::Sqlite {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(t.iam.store().reader())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
    }
}
