//! Attacks through the real router: the Query API throttling an address that keeps failing
//! authentication, console sessions ended by credential changes (with cookies, as a browser
//! holds them), the administrator's view of a user's sessions, and a cross-origin POST to
//! every registered server function refused.

mod common;

use std::str::FromStr;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use common::http::{app, set_cookie};
use common::{user_with_password, with_root, TestIam, ACCOUNT};
use ferriam::server::service::{
    credentials::access_keys, credentials::mfa, credentials::passwords, entities::users,
    signin::console_sessions, Caller, RequestInfo,
};
use ferriam::server::session_record::id_hash;
use tower::ServiceExt;

const GOOD: &str = "Correct-Horse-42";

async fn body_text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

// ---- Query API -------------------------------------------------------------------------------

fn badly_signed(key: &str) -> Request<Body> {
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={key}/20261122/us-east-1/iam/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date, Signature={}",
        "0".repeat(64)
    );
    Request::post("/")
        .header(header::HOST, "ferriam.test")
        .header(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .header("x-amz-date", "20261122T000015Z")
        .header(header::AUTHORIZATION, authorization)
        .body(Body::from("Action=ListUsers&Version=2010-05-08"))
        .unwrap()
}

#[tokio::test]
async fn an_address_that_keeps_failing_query_api_authentication_is_throttled() {
    let (t, root) = with_root().await;
    let key = access_keys::import_access_key(
        &t.iam,
        &root,
        None,
        "AKIAROOTKEYFORTESTS1",
        "rootSecretKeyForTheQueryApiTests00000000",
    )
    .await
    .unwrap();
    let app = app(&t);
    let mut codes = Vec::new();
    for i in 0..30 {
        // Unknown keys and wrong signatures alike.
        let key_id = if i % 2 == 0 {
            format!("AKIAGUESS{i:011}")
        } else {
            key.access_key_id.clone()
        };
        let response = app.clone().oneshot(badly_signed(&key_id)).await.unwrap();
        let status = response.status();
        let body = body_text(response).await;
        let code = body
            .split("<Code>")
            .nth(1)
            .and_then(|rest| rest.split("</Code>").next())
            .unwrap_or_default()
            .to_string();
        if code == "Throttling" {
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(body.contains("<Message>Rate exceeded</Message>"), "{body}");
        }
        codes.push(code);
    }
    let throttled = codes.iter().filter(|c| *c == "Throttling").count();
    println!("Query API, 30 bad requests at once from one address: {throttled} throttled");
    assert!(codes[..10].iter().all(|c| c != "Throttling"), "{codes:?}");
    assert_eq!(codes[10], "Throttling");
    assert_eq!(throttled, 20);
    t.clock.advance_millis(1_000);
    let response = app
        .clone()
        .oneshot(badly_signed("AKIAGUESS99999999999"))
        .await
        .unwrap();
    assert!(body_text(response).await.contains("InvalidClientTokenId"));
}

#[tokio::test]
async fn guessing_workload_tokens_is_throttled_like_guessing_keys() {
    let (t, _root) = with_root().await;
    let app = app(&t);
    let fetch = |token: String| {
        Request::get("/workload/credentials")
            .header(header::AUTHORIZATION, token)
            .body(Body::empty())
            .unwrap()
    };
    let mut statuses = Vec::new();
    for i in 0..15 {
        let response = app
            .clone()
            .oneshot(fetch(format!("fwt_guess{i}")))
            .await
            .unwrap();
        assert_eq!(
            response.headers().get(header::CACHE_CONTROL).unwrap(),
            "no-store"
        );
        statuses.push(response.status());
    }
    assert!(statuses[..10]
        .iter()
        .all(|status| *status == StatusCode::UNAUTHORIZED));
    assert!(statuses[10..]
        .iter()
        .all(|status| *status == StatusCode::TOO_MANY_REQUESTS));
    // One budget per address: its Query API requests are refused too.
    let response = app
        .clone()
        .oneshot(badly_signed("AKIAGUESS99999999999"))
        .await
        .unwrap();
    assert!(body_text(response).await.contains("Throttling"));
}

// ---- Console sessions ------------------------------------------------------------------------

fn form(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::USER_AGENT, "test-browser/1.0");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// Bob's sign-in through the console's server function, with the browser's `cookie` if any.
async fn bob_signs_in(
    app: &Router,
    password: &str,
    cookie: Option<&str>,
) -> axum::response::Response {
    let body = format!("account={ACCOUNT}&user_name=bob&password={password}");
    app.clone()
        .oneshot(form("/api/auth/sign_in_user", &body, cookie))
        .await
        .unwrap()
}

/// The `name=value` part of a `Set-Cookie` header.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

/// Signs bob in through the console's server function; returns the session's `name=value`.
async fn sign_in_bob(app: &Router, password: &str) -> String {
    let response = bob_signs_in(app, password, None).await;
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "sign-in: {}",
        response.status()
    );
    pair(&set_cookie(&response, "ferriam-session").expect("a session cookie"))
}

async fn signed_in(app: &Router, cookie: &str) -> bool {
    let response = app
        .clone()
        .oneshot(form("/api/auth/current_principal", "", Some(cookie)))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = body_text(response).await;
    body.trim() != "null"
}

/// A user with a console password and two signed-in browsers.
async fn bob_with_two_sessions(
    t: &TestIam,
    root: &Caller,
    app: &Router,
) -> (Caller, String, String) {
    let (_, bob) = user_with_password(t, root, "bob", GOOD).await;
    let first = sign_in_bob(app, GOOD).await;
    let second = sign_in_bob(app, GOOD).await;
    assert!(signed_in(app, &first).await && signed_in(app, &second).await);
    (bob, first, second)
}

/// The caller bob is when a request comes with `cookie`.
fn bob_in_session(bob: &Caller, cookie: &str) -> Caller {
    let id = tower_sessions::session::Id::from_str(cookie.split_once('=').unwrap().1).unwrap();
    Caller::new(
        bob.principal.clone(),
        RequestInfo {
            console_session: Some(id_hash(&id)),
            ..RequestInfo::default()
        },
    )
}

#[tokio::test]
async fn a_correct_password_gives_the_browser_a_device_cookie_that_outlasts_guessing() {
    let (t, root) = with_root().await;
    let app = app(&t);
    user_with_password(&t, &root, "bob", GOOD).await;
    let wrong = bob_signs_in(&app, "wrong", None).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(set_cookie(&wrong, "ferriam-device"), None);

    let right = bob_signs_in(&app, GOOD, None).await;
    let device = set_cookie(&right, "ferriam-device").expect("a device cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=15552000"] {
        assert!(device.contains(attribute), "{device}");
    }
    let device = pair(&device);

    // Guessing locks bob's principal (and this address) …
    for _ in 0..5 {
        let guess = bob_signs_in(&app, "wrong", None).await;
        assert_eq!(guess.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = bob_signs_in(&app, GOOD, None).await;
    assert_eq!(locked.status(), StatusCode::UNAUTHORIZED);
    assert!(body_text(locked)
        .await
        .contains("Your authentication information is incorrect."));
    // … but the browser that signed in before gets in, and its cookie is renewed.
    let trusted = bob_signs_in(&app, GOOD, Some(&device)).await;
    assert!(trusted.status().is_redirection() || trusted.status().is_success());
    assert_eq!(
        set_cookie(&trusted, "ferriam-device").map(|c| pair(&c)),
        Some(device)
    );
    let session = pair(&set_cookie(&trusted, "ferriam-session").unwrap());
    assert!(signed_in(&app, &session).await);
}

#[tokio::test]
async fn creating_the_account_gives_the_browser_a_device_cookie_for_its_root_user() {
    let t = common::test_iam(ferriam::server::service::iam::Settings::default()).await;
    let app = app(&t);
    let body = format!("email=founder%40example.com&password={GOOD}&confirm_password={GOOD}");
    let created = app
        .clone()
        .oneshot(form("/api/auth/create_account", &body, None))
        .await
        .unwrap();
    assert!(created.status().is_success() || created.status().is_redirection());
    let device = pair(&set_cookie(&created, "ferriam-device").expect("a device cookie"));

    // Guessing locks the root user (and this address) …
    let root_signs_in = |password: &str, cookie: Option<&str>| {
        let body = format!("email=founder%40example.com&password={password}");
        app.clone()
            .oneshot(form("/api/auth/sign_in", &body, cookie))
    };
    for _ in 0..5 {
        let guess = root_signs_in("wrong", None).await.unwrap();
        assert_eq!(guess.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = root_signs_in(GOOD, None).await.unwrap();
    assert_eq!(locked.status(), StatusCode::UNAUTHORIZED);
    // … but the browser that created the account gets in.
    let trusted = root_signs_in(GOOD, Some(&device)).await.unwrap();
    assert!(trusted.status().is_redirection() || trusted.status().is_success());
    let session = pair(&set_cookie(&trusted, "ferriam-session").unwrap());
    assert!(signed_in(&app, &session).await);
}

#[tokio::test]
async fn changing_ones_own_password_keeps_this_session_and_ends_the_others() {
    let (t, root) = with_root().await;
    let app = app(&t);
    let (bob, first, second) = bob_with_two_sessions(&t, &root, &app).await;
    ferriam::server::service::policies::inline::put_inline_policy(
        &t.iam,
        &root,
        ferriam::server::service::entities::EntityKind::User,
        "bob",
        "self",
        &common::allow("iam:ChangePassword", "*"),
    )
    .await
    .unwrap();
    passwords::change_password(
        &t.iam,
        &bob_in_session(&bob, &first),
        GOOD,
        "Brand-New-Horse-7",
    )
    .await
    .unwrap();
    assert!(
        signed_in(&app, &first).await,
        "the session that changed it stays"
    );
    assert!(!signed_in(&app, &second).await, "the other session ended");
}

#[tokio::test]
async fn an_administrator_changing_the_password_ends_every_session() {
    let (t, root) = with_root().await;
    let app = app(&t);
    let (_, first, second) = bob_with_two_sessions(&t, &root, &app).await;
    passwords::update_login_profile(&t.iam, &root, "bob", Some("Admin-Set-Horse-8"), None)
        .await
        .unwrap();
    assert!(!signed_in(&app, &first).await);
    assert!(!signed_in(&app, &second).await);
}

#[tokio::test]
async fn removing_console_access_ends_every_session() {
    let (t, root) = with_root().await;
    let app = app(&t);
    let (_, first, second) = bob_with_two_sessions(&t, &root, &app).await;
    passwords::delete_login_profile(&t.iam, &root, "bob")
        .await
        .unwrap();
    assert!(!signed_in(&app, &first).await);
    assert!(!signed_in(&app, &second).await);
}

#[tokio::test]
async fn deleting_the_user_ends_every_session() {
    let (t, root) = with_root().await;
    let app = app(&t);
    let (_, first, second) = bob_with_two_sessions(&t, &root, &app).await;
    users::delete_user_and_dependents(&t.iam, &root, "bob")
        .await
        .unwrap();
    assert!(!signed_in(&app, &first).await);
    assert!(!signed_in(&app, &second).await);
}

#[tokio::test]
async fn an_mfa_change_ends_the_sessions_of_the_device_holder() {
    let (t, root) = with_root().await;
    let app = app(&t);
    let (_, first, second) = bob_with_two_sessions(&t, &root, &app).await;
    let setup = mfa::create_virtual_mfa_device(&t.iam, &root, "bob-phone", None)
        .await
        .unwrap();
    let seed = totp_rs::Secret::try_from_base32(&setup.base32_seed)
        .unwrap()
        .as_bytes()
        .to_vec();
    let step = ferriam::domain::totp::step_at(t.clock.now_seconds());
    let code = |s: u64| ferriam::domain::totp::code_for_step(&seed, s).unwrap();
    mfa::enable_mfa_device(
        &t.iam,
        &root,
        Some("bob"),
        &setup.serial_number,
        &code(step - 1),
        &code(step),
    )
    .await
    .unwrap();
    assert!(!signed_in(&app, &first).await);
    assert!(!signed_in(&app, &second).await);
}

#[tokio::test]
async fn an_administrator_lists_and_ends_a_users_sessions() {
    let (t, root) = with_root().await;
    let app = app(&t);
    let (bob, first, second) = bob_with_two_sessions(&t, &root, &app).await;
    let list = console_sessions::list_user_sessions(&t.iam, &root, "bob")
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert!(list
        .iter()
        .all(|s| s.user_agent.as_deref() == Some("test-browser/1.0") && !s.current));
    // bob himself may not (no policy), and says so.
    let denied = console_sessions::list_user_sessions(&t.iam, &bob, "bob")
        .await
        .unwrap_err();
    assert!(
        denied.public_message().contains("iam:GetLoginProfile"),
        "{denied:?}"
    );
    let first_id = {
        let id = tower_sessions::session::Id::from_str(first.split_once('=').unwrap().1).unwrap();
        id_hash(&id)
    };
    console_sessions::end_user_sessions(&t.iam, &root, "bob", Some(&first_id))
        .await
        .unwrap();
    assert!(!signed_in(&app, &first).await);
    assert!(signed_in(&app, &second).await);
    let missing = console_sessions::end_user_sessions(&t.iam, &root, "bob", Some(&first_id))
        .await
        .unwrap_err();
    assert!(matches!(
        missing,
        ferriam::server::service::ServiceError::NoSuchEntity(_)
    ));
    assert_eq!(
        console_sessions::end_user_sessions(&t.iam, &root, "bob", None)
            .await
            .unwrap(),
        1
    );
    assert!(!signed_in(&app, &second).await);
}

// ---- Cross-site request forgery --------------------------------------------------------------

#[tokio::test]
async fn a_cross_origin_post_to_every_server_function_is_refused() {
    let (t, _) = with_root().await;
    let app = app(&t);
    let paths: Vec<(&str, Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(
        paths.len() > 20,
        "the server functions are registered: {}",
        paths.len()
    );
    let mut checked = 0;
    for (path, method) in paths {
        if method != Method::POST {
            continue;
        }
        for (name, value) in [
            ("origin", "http://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ] {
            let request = Request::post(path)
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(name, value)
                .body(Body::empty())
                .unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{path} with {name}"
            );
            assert_eq!(
                body_text(response).await,
                "Cross-origin requests are not allowed."
            );
        }
        checked += 1;
    }
    println!("cross-origin POST refused on all {checked} server functions");
    assert!(checked > 20);
}
