//! Service tests: account sign-up and the headless command, on a real SQLite database.

mod common;

use common::test_iam;
use ferriam::server::service::account::accounts::{self, NewAccount};
use ferriam::server::service::iam::Settings;
use ferriam::server::service::{RequestInfo, ServiceError};
use ferriam::server::store;

fn new_account(email: &str, password: &str, alias: Option<&str>) -> NewAccount {
    NewAccount {
        email: email.to_string(),
        password: password.to_string(),
        confirm_password: password.to_string(),
        alias: alias.map(str::to_string),
        account_id: None,
    }
}

async fn account_count(t: &common::TestIam) -> i64 {
    store::accounts::count(t.iam.store().reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn first_sign_up_creates_an_account_then_sign_up_closes() {
    let t = test_iam(Settings::default()).await;
    assert!(accounts::sign_up_open(&t.iam).await.unwrap());
    let account = accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("Owner@Example.com", "correct horse", Some("acme")),
    )
    .await
    .unwrap();
    let id = account.account_id.as_str();
    assert_eq!(id.len(), 12);
    assert!(id.bytes().all(|b| b.is_ascii_digit()));
    assert_ne!(id.as_bytes()[0], b'0');
    assert_eq!(account.alias.as_ref().map(|a| a.as_str()), Some("acme"));
    assert_eq!(account.root_email.as_str(), "Owner@Example.com");

    let row = store::accounts::find_by_id(t.iam.store().reader(), id)
        .await
        .unwrap()
        .unwrap();
    assert!(row
        .root_password_hash
        .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(!row.root_password_hash.contains("correct horse"));

    assert!(!accounts::sign_up_open(&t.iam).await.unwrap());
    let second = accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("second@example.com", "correct horse", None),
    )
    .await;
    assert!(
        matches!(second, Err(ServiceError::SignUpClosed)),
        "{second:?}"
    );
    assert_eq!(account_count(&t).await, 1);
}

#[tokio::test]
async fn open_sign_up_allows_more_accounts_but_not_a_duplicate_email_in_any_case() {
    let t = test_iam(Settings {
        open_signup: true,
        ..Settings::default()
    })
    .await;
    accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("owner@example.com", "correct horse", None),
    )
    .await
    .unwrap();
    accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("other@example.com", "correct horse", None),
    )
    .await
    .unwrap();
    let duplicate = accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("OWNER@example.COM", "correct horse", None),
    )
    .await;
    match duplicate {
        Err(error @ ServiceError::EntityAlreadyExists { .. }) => {
            assert_eq!(error.field(), Some("email"));
            assert_eq!(error.code(), "EntityAlreadyExists");
        }
        other => panic!("expected EntityAlreadyExists, got {other:?}"),
    }
    assert_eq!(account_count(&t).await, 2);
}

#[tokio::test]
async fn a_taken_alias_is_refused() {
    let t = test_iam(Settings {
        open_signup: true,
        ..Settings::default()
    })
    .await;
    accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("a@example.com", "correct horse", Some("acme")),
    )
    .await
    .unwrap();
    let taken = accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("b@example.com", "correct horse", Some("acme")),
    )
    .await;
    let error = taken.unwrap_err();
    assert_eq!(error.field(), Some("alias"));
    assert_eq!(error.to_string(), "The account alias acme already exists.");
    assert_eq!(account_count(&t).await, 1);
}

#[tokio::test]
async fn bad_input_names_its_field_and_creates_nothing() {
    let t = test_iam(Settings::default()).await;
    let long_password = "p".repeat(129);
    let cases: Vec<(NewAccount, &str)> = vec![
        (new_account("not-an-email", "correct horse", None), "email"),
        (new_account("a@b", "correct horse", None), "email"),
        (new_account("owner@example.com", "short", None), "password"),
        (
            new_account("owner@example.com", &long_password, None),
            "password",
        ),
        (
            NewAccount {
                confirm_password: "different horse".into(),
                ..new_account("owner@example.com", "correct horse", None)
            },
            "confirm_password",
        ),
        (
            new_account("owner@example.com", "correct horse", Some("AB")),
            "alias",
        ),
        (
            new_account("owner@example.com", "correct horse", Some("123456")),
            "alias",
        ),
        (
            new_account("owner@example.com", "correct horse", Some("a--b")),
            "alias",
        ),
    ];
    for (request, field) in cases {
        let error = accounts::sign_up(&t.iam, &RequestInfo::default(), request)
            .await
            .unwrap_err();
        assert_eq!(error.code(), "ValidationError");
        assert_eq!(error.field(), Some(field), "{error}");
    }
    assert_eq!(account_count(&t).await, 0);
}

#[tokio::test]
async fn the_console_cannot_choose_an_account_id_but_the_operator_can() {
    let t = test_iam(Settings::default()).await;
    let mut request = new_account("owner@example.com", "correct horse", None);
    request.account_id = Some("123456789012".into());
    assert_eq!(
        accounts::sign_up(&t.iam, &RequestInfo::default(), request)
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );

    let mut request = new_account("owner@example.com", "correct horse", Some("fixture"));
    request.account_id = Some("123456789012".into());
    let account = accounts::create_account_headless(&t.iam, request)
        .await
        .unwrap();
    assert_eq!(account.account_id.as_str(), "123456789012");

    // The operator may add accounts although console sign-up is closed, but not reuse an ID.
    let mut again = new_account("two@example.com", "correct horse", None);
    again.account_id = Some("123456789012".into());
    let error = accounts::create_account_headless(&t.iam, again)
        .await
        .unwrap_err();
    assert_eq!(
        (error.code(), error.field()),
        ("EntityAlreadyExists", Some("account_id"))
    );
    let mut bad = new_account("three@example.com", "correct horse", None);
    bad.account_id = Some("12345".into());
    assert_eq!(
        accounts::create_account_headless(&t.iam, bad)
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );
    assert_eq!(account_count(&t).await, 1);
}

/// SECURITY: a closed sign-up, or invalid input, is refused before any argon2 work: a flood of
/// sign-ups must not starve sign-ins of the hasher.
#[tokio::test]
async fn a_closed_sign_up_is_refused_without_hashing() {
    let t = test_iam(Settings::default()).await;
    accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("owner@example.com", "correct horse", None),
    )
    .await
    .unwrap();
    let hashes = t.iam.hasher().hashes();
    for i in 0..20 {
        let refused = accounts::sign_up(
            &t.iam,
            &RequestInfo::default(),
            new_account(&format!("flood-{i}@example.com"), "correct horse", None),
        )
        .await;
        assert!(
            matches!(refused, Err(ServiceError::SignUpClosed)),
            "{refused:?}"
        );
    }
    let invalid = accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        new_account("not-an-email", "correct horse", None),
    )
    .await;
    assert_eq!(invalid.unwrap_err().code(), "ValidationError");
    assert_eq!(t.iam.hasher().hashes(), hashes, "no password was hashed");
    assert_eq!(account_count(&t).await, 1);
}

/// With open sign-up, one address gets 10 sign-ups an hour; the 11th is refused before its
/// password is hashed, while another address may still sign up.
#[tokio::test]
async fn one_address_gets_ten_sign_ups_an_hour() {
    let t = test_iam(Settings {
        open_signup: true,
        ..Settings::default()
    })
    .await;
    let from = |source: &str| RequestInfo {
        source_ip: Some(source.to_string()),
        ..RequestInfo::default()
    };
    let flood = from("203.0.113.7");
    for i in 0..10 {
        accounts::sign_up(
            &t.iam,
            &flood,
            new_account(&format!("user-{i}@example.com"), "correct horse", None),
        )
        .await
        .unwrap();
    }
    let hashes = t.iam.hasher().hashes();
    let refused = accounts::sign_up(
        &t.iam,
        &flood,
        new_account("user-10@example.com", "correct horse", None),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), "LimitExceeded", "{refused}");
    assert_eq!(t.iam.hasher().hashes(), hashes, "refused before hashing");
    accounts::sign_up(
        &t.iam,
        &from("198.51.100.20"),
        new_account("user-10@example.com", "correct horse", None),
    )
    .await
    .expect("another address");
    t.clock.advance_millis(60 * 60 * 1000);
    accounts::sign_up(
        &t.iam,
        &flood,
        new_account("user-11@example.com", "correct horse", None),
    )
    .await
    .expect("the next hour");
    assert_eq!(account_count(&t).await, 12);
}
