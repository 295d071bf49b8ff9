//! The federation endpoint over HTTP, as a custom identity broker uses it: GetFederationToken's
//! (or AssumeRole's) credentials → `getSigninToken` → `login` → a console session as that
//! identity, landing on `Destination`. A token works once and for 15 minutes; `Destination`
//! stays on this console; wrong credentials get nothing.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::http::{app, form, session_pair, HOST};
use common::*;
use ferriam::server::service::federation::federation_token::{
    get_federation_token, GetFederationToken,
};
use ferriam::server::service::sts::{self, Credentials};
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str, cookie: Option<&str>) -> axum::response::Response {
    let mut request = Request::get(uri).header(header::HOST, HOST);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn session_json(credentials: &Credentials) -> String {
    serde_json::json!({
        "sessionId": credentials.access_key_id,
        "sessionKey": credentials.secret_access_key,
        "sessionToken": credentials.session_token,
    })
    .to_string()
}

async fn signin_token(app: &axum::Router, session: &str, extra: &str) -> (StatusCode, String) {
    let response = get(
        app,
        &format!(
            "/federation?Action=getSigninToken&Session={}{extra}",
            form(session)
        ),
        None,
    )
    .await;
    let status = response.status();
    (status, text(response).await)
}

fn login_uri(token: &str, destination: &str) -> String {
    format!(
        "/federation?Action=login&Issuer={}&Destination={}&SigninToken={}",
        form("https://broker.example.com/portal"),
        form(destination),
        form(token)
    )
}

/// A federated user `carol` whose session policy allows listing users.
async fn carol(t: &TestIam) -> Credentials {
    let root = account(t, ACCOUNT).await;
    get_federation_token(
        &t.iam,
        &root,
        GetFederationToken {
            name: "carol".into(),
            policy: Some(allow("iam:ListUsers", "*")),
            ..GetFederationToken::default()
        },
    )
    .await
    .unwrap()
    .credentials
}

#[tokio::test]
async fn a_broker_signs_a_federated_user_into_the_console() {
    let t = test_iam(Default::default()).await;
    let credentials = carol(&t).await;
    let app = app(&t);
    let (status, body) = signin_token(&app, &session_json(&credentials), "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let token = answer["SigninToken"].as_str().unwrap().to_string();

    let login = get(&app, &login_uri(&token, "/users"), None).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert_eq!(login.headers()[header::LOCATION], "/users");
    let cookie = session_pair(&login).expect("a console session");

    // The console acts as the federated user, with its session policy: listing users works
    // (the console may call IAM), creating one does not.
    let listed = app
        .clone()
        .oneshot(
            Request::post("/api/users/list_users")
                .header(header::HOST, HOST)
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .body(Body::from("name_prefix="))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(listed.status(), StatusCode::OK, "{}", text(listed).await);
    let page = get(&app, "/users", Some(&cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(text(page).await.contains("Federated user carol"));

    // The token works once.
    let again = get(&app, &login_uri(&token, "/users"), None).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(session_pair(&again).is_none());
    let page = text(again).await;
    assert!(page.contains("This sign-in link is not valid"), "{page}");
    assert!(page.contains(r#"href="https://broker.example.com/portal""#));
}

#[tokio::test]
async fn a_token_expires_after_fifteen_minutes() {
    let t = test_iam(Default::default()).await;
    let credentials = carol(&t).await;
    let app = app(&t);
    let (_, body) = signin_token(&app, &session_json(&credentials), "").await;
    let token = serde_json::from_str::<serde_json::Value>(&body).unwrap()["SigninToken"]
        .as_str()
        .unwrap()
        .to_string();
    t.clock.advance_millis(15 * 60 * 1000 + 1);
    let late = get(&app, &login_uri(&token, "/"), None).await;
    assert_eq!(late.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn destination_stays_on_this_console_and_bad_requests_get_nothing() {
    let t = test_iam(Default::default()).await;
    let credentials = carol(&t).await;
    let app = app(&t);
    let (_, body) = signin_token(&app, &session_json(&credentials), "").await;
    let token = serde_json::from_str::<serde_json::Value>(&body).unwrap()["SigninToken"]
        .as_str()
        .unwrap()
        .to_string();
    for elsewhere in [
        "https://evil.example.com/",
        "//evil.example.com/",
        "javascript:alert(1)",
    ] {
        let response = get(&app, &login_uri(&token, elsewhere), None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{elsewhere}");
        assert!(response.headers().get(header::LOCATION).is_none());
    }
    // The refused destinations did not spend the token.
    let ok = get(
        &app,
        &login_uri(&token, &format!("http://{HOST}/roles")),
        None,
    )
    .await;
    assert_eq!(ok.headers()[header::LOCATION], "/roles");

    let mut wrong_key = credentials.clone();
    wrong_key.secret_access_key = "x".repeat(40);
    let cases = [
        (
            session_json(&wrong_key),
            "",
            "not valid temporary credentials",
        ),
        ("not json".to_string(), "", "Session must be JSON"),
        (
            session_json(&credentials),
            "&SessionDuration=3600",
            "SessionDuration cannot be used with credentials from GetFederationToken",
        ),
        (
            session_json(&credentials),
            "&Unexpected=1",
            "does not take the parameter Unexpected",
        ),
    ];
    for (session, extra, words) in cases {
        let (status, body) = signin_token(&app, &session, extra).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{extra}");
        assert!(body.contains(words), "{body}");
    }
}

#[tokio::test]
async fn role_sessions_sign_in_for_the_duration_asked_and_session_tokens_do_not() {
    let t = test_iam(Default::default()).await;
    let root = account(&t, ACCOUNT).await;
    ferriam::server::service::entities::roles::create_role(
        &t.iam,
        &root,
        ferriam::server::service::entities::roles::CreateRole {
            entity: ferriam::domain::entity_requests::NewEntity::parse("app", None).unwrap(),
            assume_role_policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#.into(),
            description: None,
            max_session_duration: None,
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
    .unwrap();
    let (_, alice) = iam_user(&t, &root, "alice").await;
    put_user_policy(&t, &root, "alice", "assume", &allow("sts:AssumeRole", "*")).await;
    let (role_credentials, _) = sts::assume_role(
        &t.iam,
        &alice,
        sts::AssumeRole {
            role_arn: "arn:aws:iam::123456789012:role/app".into(),
            role_session_name: "console".into(),
            ..sts::AssumeRole::default()
        },
    )
    .await
    .unwrap();
    let app = app(&t);
    for (duration, ok) in [("899", false), ("43201", false), ("7200", true)] {
        let (status, body) = signin_token(
            &app,
            &session_json(&role_credentials),
            &format!("&SessionDuration={duration}"),
        )
        .await;
        assert_eq!(status == StatusCode::OK, ok, "{duration}: {body}");
    }
    // GetSessionToken's credentials act as the user itself: not for the broker.
    let own = sts::get_session_token(&t.iam, &alice, None, None, None)
        .await
        .unwrap();
    let (status, body) = signin_token(&app, &session_json(&own), "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("role session"), "{body}");
}
