//! Service tests for console single sign-on's setup on an OpenID Connect provider, on a real
//! database: set up, changed and taken down as the provider's creation and deletion are
//! authorized; the client ID must be an audience; the secret sealed and never returned; the
//! sign-in page's choices public; bad input and unpermitted callers change nothing.

mod common;

use common::snapshot::{differences, snapshot};
use common::*;
use ferriam::server::service::federation::console_signin::{
    self, secret_context, SetConsoleSignin, SigninChoice,
};
use ferriam::server::service::federation::oidc_providers::{self, CreateOidcProvider};
use ferriam::server::service::iam::Settings;

const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/login.example.com/realm";
const SECRET: &str = "s3cret-of-the-console-client";

async fn with_provider() -> (TestIam, ferriam::server::service::Caller) {
    let (t, root) = with_root().await;
    oidc_providers::create(
        &t.iam,
        &root,
        CreateOidcProvider {
            url: "https://login.example.com/realm".into(),
            client_ids: vec!["sts".into(), "console".into()],
            thumbprints: Vec::new(),
            tags: Vec::new(),
        },
    )
    .await
    .unwrap();
    (t, root)
}

fn setup(secret: Option<&str>) -> SetConsoleSignin {
    SetConsoleSignin {
        label: "Corporate login".into(),
        client_id: "console".into(),
        client_secret: secret.map(str::to_string),
        name_claim: "email".into(),
    }
}

async fn stored_secret(t: &TestIam) -> Vec<u8> {
    sqlx::query_scalar("SELECT sealed_secret FROM oidc_console_signins")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn console_sign_in_is_set_up_changed_and_taken_down() {
    let (t, root) = with_provider().await;
    let iam = &t.iam;
    console_signin::set(iam, &root, ARN, setup(Some(SECRET)))
        .await
        .unwrap();
    let got = oidc_providers::get(iam, &root, ARN).await.unwrap();
    let signin = got.console_signin.expect("set up");
    assert_eq!(
        (
            signin.label.as_str(),
            signin.client_id.as_str(),
            signin.name_claim.as_str()
        ),
        ("Corporate login", "console", "email")
    );
    // The secret is sealed under the master key, bound to its row.
    let sealed = stored_secret(&t).await;
    assert!(!String::from_utf8_lossy(&sealed).contains(SECRET));
    let opened = iam
        .sealer()
        .open(&sealed, &secret_context(ACCOUNT, "login.example.com/realm"))
        .unwrap();
    assert_eq!(opened.as_slice(), SECRET.as_bytes());

    // Changing the label without a secret keeps the secret.
    let relabelled = SetConsoleSignin {
        label: "Staff SSO".into(),
        ..setup(None)
    };
    console_signin::set(iam, &root, ARN, relabelled)
        .await
        .unwrap();
    assert_eq!(stored_secret(&t).await, sealed);
    assert_eq!(
        console_signin::choices(iam, ACCOUNT).await.unwrap(),
        vec![SigninChoice {
            label: "Staff SSO".into(),
            provider: "login.example.com/realm".into()
        }]
    );

    console_signin::remove(iam, &root, ARN).await.unwrap();
    assert!(oidc_providers::get(iam, &root, ARN)
        .await
        .unwrap()
        .console_signin
        .is_none());
    assert_error(
        console_signin::remove(iam, &root, ARN).await,
        "NoSuchEntity",
        &format!("No console sign-in is set up for {ARN}"),
    );
}

#[tokio::test]
async fn the_sign_in_page_lists_choices_by_id_or_alias_and_none_for_unknown_accounts() {
    let (t, root) = with_provider().await;
    console_signin::set(&t.iam, &root, ARN, setup(Some(SECRET)))
        .await
        .unwrap();
    ferriam::server::service::account::alias::create_account_alias(&t.iam, &root, "acme")
        .await
        .unwrap();
    for reference in [ACCOUNT, "acme", " ACME "] {
        assert_eq!(
            console_signin::choices(&t.iam, reference)
                .await
                .unwrap()
                .len(),
            1,
            "{reference}"
        );
    }
    for unknown in ["999999999999", "nobody", ""] {
        assert!(console_signin::choices(&t.iam, unknown)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn deleting_the_provider_takes_its_console_sign_in_with_it() {
    let (t, root) = with_provider().await;
    console_signin::set(&t.iam, &root, ARN, setup(Some(SECRET)))
        .await
        .unwrap();
    oidc_providers::delete(&t.iam, &root, ARN).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM oidc_console_signins")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert!(console_signin::choices(&t.iam, ACCOUNT)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn bad_setups_are_refused_and_change_nothing() {
    let (t, root) = with_provider().await;
    let before = snapshot(&t).await;
    let cases = [
        (
            SetConsoleSignin {
                client_id: "unlisted".into(),
                ..setup(Some(SECRET))
            },
            "ClientId must be one of the provider's audiences: add it to the provider first.",
        ),
        (
            setup(None),
            "ClientSecret is required: the provider issued it with the client ID.",
        ),
        (
            SetConsoleSignin {
                label: String::new(),
                ..setup(Some(SECRET))
            },
            "Label must be 1 to 64 characters, none of them control characters.",
        ),
        (
            SetConsoleSignin {
                name_claim: "e mail".into(),
                ..setup(Some(SECRET))
            },
            "NameClaim must be a claim name of 1 to 64 letters, digits and _ . : / -, such as email or preferred_username.",
        ),
        (
            setup(Some(&"x".repeat(1_025))),
            "ClientSecret must be 1 to 1024 characters, none of them control characters.",
        ),
    ];
    for (input, message) in cases {
        assert_error(
            console_signin::set(&t.iam, &root, ARN, input).await,
            "ValidationError",
            message,
        );
    }
    let missing = "arn:aws:iam::123456789012:oidc-provider/missing.example.com";
    assert_error(
        console_signin::set(&t.iam, &root, missing, setup(Some(SECRET))).await,
        "NoSuchEntity",
        &format!("OpenIDConnect Provider not found for arn {missing}"),
    );
    assert_eq!(
        differences(&before, &snapshot(&t).await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_caller_without_permission_learns_nothing_and_changes_nothing() {
    let t = test_iam(Settings::default()).await;
    let root = account(&t, ACCOUNT).await;
    let (_, nobody) = iam_user(&t, &root, "nobody").await;
    oidc_providers::create(
        &t.iam,
        &root,
        CreateOidcProvider {
            url: "https://login.example.com/realm".into(),
            client_ids: vec!["console".into()],
            thumbprints: Vec::new(),
            tags: Vec::new(),
        },
    )
    .await
    .unwrap();
    console_signin::set(&t.iam, &root, ARN, setup(Some(SECRET)))
        .await
        .unwrap();
    let before = snapshot(&t).await;
    let missing = "arn:aws:iam::123456789012:oidc-provider/missing.example.com";
    for arn in [ARN, missing] {
        assert_error(
            console_signin::set(&t.iam, &nobody, arn, setup(Some("other"))).await,
            "AccessDenied",
            &no_identity_allows(
                "arn:aws:iam::123456789012:user/nobody",
                "iam:CreateOpenIDConnectProvider",
                arn,
            ),
        );
        assert_error(
            console_signin::remove(&t.iam, &nobody, arn).await,
            "AccessDenied",
            &no_identity_allows(
                "arn:aws:iam::123456789012:user/nobody",
                "iam:DeleteOpenIDConnectProvider",
                arn,
            ),
        );
    }
    assert_eq!(
        differences(&before, &snapshot(&t).await),
        Vec::<String>::new()
    );
}
