//! HTTP-level tests of the console's users, groups and roles endpoints: they answer only a
//! signed-in caller, refuse what its policies deny (and the pages say why, with the buttons
//! disabled), and save nothing when any part of a create is refused.
#![cfg(feature = "ssr")]

mod common;

use common::doors;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::{test_iam, TestIam};
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::iam_models::User;
use ferriam::domain::Principal;
use ferriam::server::service::account::accounts::{self, NewAccount};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::{
    credentials::access_keys, credentials::passwords, entities::users, policies::attachments,
    Caller,
};
use ferriam::server::store;
use serde_json::{json, Value};
use tower::ServiceExt;

const ACCOUNT: &str = "123456789012";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
const SELF_MANAGE: &str = "arn:aws:iam::aws:policy/FerriamSelfManageCredentials";

async fn app() -> (Router, TestIam, Caller) {
    let t = test_iam(Settings::default()).await;
    let account = accounts::create_account_headless(
        &t.iam,
        NewAccount {
            email: "owner@example.com".into(),
            password: "correct horse battery".into(),
            confirm_password: "correct horse battery".into(),
            alias: None,
            account_id: Some(ACCOUNT.into()),
        },
    )
    .await
    .unwrap();
    let root = Caller::local(Principal::root(account.account_id));
    (common::http::app(&t), t, root)
}

/// The session cookie a successful sign-in sets.
async fn sign_in(app: &Router, path: &str, body: &str) -> String {
    common::http::console_sign_in(app, path, body, None).await
}

/// Creates the IAM user `name` with the managed policy `policy_arn` and a console password, and
/// signs it in: the user and its session cookie.
async fn signed_in_user(
    app: &Router,
    t: &TestIam,
    root: &Caller,
    name: &str,
    policy_arn: &str,
) -> (User, String) {
    let mut new_user = common::new_user(name);
    new_user.policy_arns = vec![policy_arn.into()];
    let user = users::create_user(&t.iam, root, new_user).await.unwrap();
    let password = "Console-password-1";
    passwords::create_login_profile(&t.iam, root, name, password, false)
        .await
        .unwrap();
    let body = format!("account={ACCOUNT}&user_name={name}&password={password}");
    (user, sign_in(app, "/api/auth/sign_in_user", &body).await)
}

async fn sign_in_root(app: &Router) -> String {
    sign_in(
        app,
        "/api/auth/sign_in",
        "email=owner%40example.com&password=correct+horse+battery",
    )
    .await
}

fn post_form(path: &str, body: &str, cookie: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn post_json(path: &str, body: Value, cookie: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn user_exists(t: &TestIam, name: &str) -> bool {
    store::users::TABLE
        .find_by_name(t.iam.store().reader(), ACCOUNT, name)
        .await
        .unwrap()
        .is_some()
}

fn new_user_body(name: &str, policy_arns: Vec<String>) -> Value {
    json!({ "user": {
        "user_name": name, "path": "", "tags": [], "groups": [],
        "policy_arns": policy_arns, "permissions_boundary": null,
    }})
}

#[tokio::test]
async fn endpoints_refuse_a_signed_out_caller() {
    let (app, _t, _root) = app().await;
    for path in [
        "/api/users/list_users",
        "/api/groups/list_groups",
        "/api/roles/list_roles",
        "/api/users/get_user_page",
        "/api/entities/policy_choices",
    ] {
        let (status, body) = send(&app, post_form(path, "name_prefix=&user_name=x", "")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {body}");
        assert!(body.contains("NotSignedIn"), "{path}: {body}");
    }
}

#[tokio::test]
async fn a_read_only_user_sees_pages_with_denied_buttons_and_cannot_act() {
    let (app, t, root) = app().await;
    let (reader, cookie) = signed_in_user(&app, &t, &root, "reader", READ_ONLY).await;
    assert!(reader.user_id.starts_with("AIDA"));

    // The list answers, and says why "Create user" is disabled.
    let (status, body) = send(
        &app,
        post_form("/api/users/list_users", "name_prefix=", &cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listing: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listing["value"]["items"][0]["user_name"], "reader");
    let create = &listing["denials"]["answers"][0];
    assert_eq!(create[0], "iam:CreateUser");
    assert_eq!(
        create[2],
        "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/* because no identity-based policy allows the iam:CreateUser action"
    );

    // The user's page renders, with its buttons disabled and AWS's sentence as the reason.
    let page = app
        .clone()
        .oneshot(
            Request::get("/users/reader")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = String::from_utf8_lossy(
        &axum::body::to_bytes(page.into_body(), usize::MAX)
            .await
            .unwrap(),
    )
    .into_owned();
    assert!(
        html.contains("IAMReadOnlyAccess"),
        "the permissions tab lists the policy"
    );
    for action in [
        "iam:DeleteUser",
        "iam:AttachUserPolicy",
        "iam:PutUserPolicy",
        "iam:TagUser",
    ] {
        let reason = format!(
            "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: {action} on resource: arn:aws:iam::123456789012:user/reader"
        );
        assert!(
            html.contains(&reason),
            "no disabled-button reason for {action}"
        );
    }

    // Acting anyway is refused with AWS's words, and nothing changes.
    let (status, body) = send(
        &app,
        post_form("/api/users/delete_user", "user_name=reader", &cookie),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("AccessDenied"), "{body}");
    assert!(user_exists(&t, "reader").await);
    let (status, body) = send(
        &app,
        post_json(
            "/api/users/create_user",
            new_user_body("intruder", vec![]),
            &cookie,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(!user_exists(&t, "intruder").await);
}

#[tokio::test]
async fn a_refused_create_saves_nothing_and_names_the_field() {
    let (app, t, root) = app().await;
    let cookie = sign_in_root(&app).await;

    let (status, _) = send(
        &app,
        post_json(
            "/api/users/create_user",
            new_user_body("Alice", vec![]),
            &cookie,
        ),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let (status, body) = send(
        &app,
        post_json(
            "/api/users/create_user",
            new_user_body("ALICE", vec![]),
            &cookie,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["code"], "EntityAlreadyExists");
    assert_eq!(error["message"], "User with name ALICE already exists.");
    assert_eq!(error["field"], "UserName");

    // Eleven policies: the quota refuses the last, and the user is not created either.
    let mut arns = Vec::new();
    for i in 0..11 {
        let policy = ferriam::server::service::policies::create_policy(
            &t.iam,
            &root,
            ferriam::server::service::policies::CreatePolicy {
                policy_name: format!("p{i}"),
                path: None,
                description: None,
                document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#.into(),
            },
        )
        .await
        .unwrap();
        arns.push(policy.arn);
    }
    let (status, body) = send(
        &app,
        post_json(
            "/api/users/create_user",
            new_user_body("bob", arns.clone()),
            &cookie,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.contains("Cannot exceed quota for PoliciesPerUser: 10"),
        "{body}"
    );
    assert!(!user_exists(&t, "bob").await);

    // A bad inline policy is refused with the field it belongs to.
    let (status, body) = send(
        &app,
        post_json(
            "/api/entities/put_inline_policy",
            json!({ "kind": "User", "name": "Alice", "policy_name": "bad", "document": "{not json" }),
            &cookie,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["code"], "MalformedPolicyDocument");
    assert_eq!(error["field"], "PolicyDocument");
    let attached = attachments::list_attached_policies(&t.iam, &root, EntityKind::User, "Alice")
        .await
        .unwrap();
    assert!(attached.is_empty());
}

#[tokio::test]
async fn roles_are_created_from_a_template_and_bad_account_ids_are_refused() {
    let (app, t, root) = app().await;
    let cookie = sign_in_root(&app).await;
    let role = |trust: Value| {
        json!({ "role": {
            "role_name": "deployer", "path": "", "description": "Deploys", "max_session_duration": 7200,
            "trust": trust, "policy_arns": [READ_ONLY], "tags": [], "permissions_boundary": null,
        }})
    };
    let (status, body) = send(
        &app,
        post_json(
            "/api/roles/create_role",
            role(json!({ "AnotherAccount": { "account_id": "12345", "require_mfa": false } })),
            &cookie,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["field"], "TrustedAccountId");
    assert_eq!(
        error["message"],
        "The account ID must be exactly 12 digits."
    );

    let (status, body) = send(
        &app,
        post_json(
            "/api/roles/create_role",
            role(json!({ "ThisAccount": { "require_mfa": true } })),
            &cookie,
        ),
    )
    .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {body}"
    );
    let created = ferriam::server::service::entities::roles::get_role(&t.iam, &root, "deployer")
        .await
        .unwrap();
    assert!(created
        .assume_role_policy_document
        .contains("arn:aws:iam::123456789012:root"));
    assert_eq!(created.max_session_duration, 7200);
    let attached = attachments::list_attached_policies(&t.iam, &root, EntityKind::Role, "deployer")
        .await
        .unwrap();
    assert_eq!(attached.len(), 1);
}

#[tokio::test]
async fn the_users_list_pages_by_fifty_and_searches_by_name_prefix() {
    let (app, t, root) = app().await;
    let cookie = sign_in_root(&app).await;
    for i in 0..60 {
        users::create_user(
            &t.iam,
            &root,
            users::CreateUser {
                entity: NewEntity::parse(&format!("user{i:02}"), None).unwrap(),
                tags: Vec::new(),
                permissions_boundary: None,
                groups: Vec::new(),
                policy_arns: Vec::new(),
            },
        )
        .await
        .unwrap();
    }
    let list = |body: String| {
        let app = app.clone();
        let cookie = cookie.clone();
        async move {
            let (status, text) =
                send(&app, post_form("/api/users/list_users", &body, &cookie)).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            serde_json::from_str::<Value>(&text).unwrap()["value"].clone()
        }
    };
    let first = list("name_prefix=".into()).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 50);
    assert_eq!(first["is_truncated"], true);
    let marker = first["marker"].as_str().unwrap().to_string();
    let second = list(format!("name_prefix=&marker={marker}")).await;
    let names: Vec<&str> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["user_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"user50"));
    assert_eq!(names.len(), 10);
    assert_eq!(second["is_truncated"], false);

    let found = list("name_prefix=USER5".into()).await;
    let names: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["user_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 10, "names start with user5, ignoring case");
    assert!(names.iter().all(|name| name.starts_with("user5")));
}

/// The actions the audit log recorded, in order.
async fn audited_actions(t: &TestIam) -> Vec<String> {
    common::audit_events(t, ACCOUNT)
        .await
        .into_iter()
        .map(|event| event.action)
        .collect()
}

#[tokio::test]
async fn a_console_page_is_rendered_once_so_its_reads_run_and_are_audited_once() {
    let (app, t, _root) = app().await;
    let cookie = sign_in_root(&app).await;
    for (path, reads) in [
        ("/users", vec!["iam:ListUsers"]),
        (
            "/security-credentials",
            vec!["iam:ListMFADevices", "iam:ListAccessKeys"],
        ),
        (
            "/account",
            vec!["iam:GetAccountPasswordPolicy", "iam:ListAccountAliases"],
        ),
    ] {
        let before = audited_actions(&t).await.len();
        let (status, html) = send(
            &app,
            Request::get(path)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            html.contains(r#"data-testid="principal-name""#),
            "{path}: the top bar is drawn"
        );
        let mut recorded = audited_actions(&t).await.split_off(before);
        recorded.sort();
        let mut expected: Vec<String> = reads.iter().map(|read| read.to_string()).collect();
        expected.sort();
        assert_eq!(recorded, expected, "{path}: each read once");
    }
}

#[tokio::test]
async fn a_renamed_users_session_ends_and_never_acts_for_a_new_user_of_its_old_name() {
    let (app, t, root) = app().await;
    let (_, cookie) = signed_in_user(&app, &t, &root, "alice", SELF_MANAGE).await;
    let (status, body) = send(
        &app,
        post_form(
            "/api/credentials/list_access_keys",
            "user_name=alice",
            &cookie,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sessions_of_alice = || async {
        store::sessions::for_principal(
            t.iam.store().reader(),
            "arn:aws:iam::123456789012:user/alice",
            0,
        )
        .await
        .unwrap()
        .len()
    };
    assert_eq!(sessions_of_alice().await, 1);

    doors::update_user(&t.iam, &root, "alice", Some("bob"), None)
        .await
        .unwrap();
    assert_eq!(sessions_of_alice().await, 0, "the rename ended the session");
    users::create_user(&t.iam, &root, common::new_user("alice"))
        .await
        .unwrap();

    let (status, body) = send(
        &app,
        post_form(
            "/api/credentials/create_access_key",
            "user_name=alice",
            &cookie,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("NotSignedIn"), "{body}");
    let keys = access_keys::list_access_keys(&t.iam, &root, Some("alice"))
        .await
        .unwrap();
    assert!(keys.is_empty(), "no key was made for the new alice");
}

/// Belt and braces: a session whose user changed name without its sessions being ended (a
/// request in flight during the rename) is signed out at its next request.
#[tokio::test]
async fn a_session_whose_user_changed_name_is_signed_out() {
    let (app, t, root) = app().await;
    let (alice, cookie) = signed_in_user(&app, &t, &root, "alice", SELF_MANAGE).await;
    let page = |cookie: String| {
        let app = app.clone();
        async move {
            app.oneshot(
                Request::get("/security-credentials")
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
            .status()
        }
    };
    assert_eq!(page(cookie.clone()).await, StatusCode::OK);

    store::users::TABLE
        .rename(t.iam.store().writer(), &alice.user_id, "carol", "/")
        .await
        .unwrap();
    // Renamed behind the service's back: its caches are told as a committed write tells them.
    store::accounts::bump_authz_generation(t.iam.store().writer(), ACCOUNT)
        .await
        .unwrap();
    t.iam.policy_sets().invalidate_account(ACCOUNT);
    assert_eq!(page(cookie).await, StatusCode::SEE_OTHER, "sent to sign in");
}
