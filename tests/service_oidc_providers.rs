//! Service tests for IAM's OpenID Connect provider registry on a real database: create, read,
//! list, delete, thumbprints, client IDs and tags with AWS's rules and words, and a caller
//! without permission who learns nothing of which providers exist.

mod common;

use common::fixtures::tag;
use common::*;
use ferriam::server::service::federation::oidc_providers::{self, CreateOidcProvider};
use ferriam::server::service::iam::Settings;

const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/token.example.com/org";
const PRINT: &str = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280";

fn provider(url: &str) -> CreateOidcProvider {
    CreateOidcProvider {
        url: url.into(),
        client_ids: vec!["sts.amazonaws.com".into()],
        thumbprints: vec![PRINT.into()],
        tags: vec![tag("team", "red")],
    }
}

#[tokio::test]
async fn a_provider_is_registered_read_changed_and_deleted() {
    let (t, root) = with_root().await;
    let iam = &t.iam;
    let arn = oidc_providers::create(iam, &root, provider("https://token.example.com/org"))
        .await
        .unwrap();
    assert_eq!(arn, ARN);
    let got = oidc_providers::get(iam, &root, ARN).await.unwrap();
    assert_eq!(got.url, "token.example.com/org");
    assert_eq!(got.client_ids, vec!["sts.amazonaws.com"]);
    assert_eq!(got.thumbprints, vec![PRINT.to_ascii_lowercase()]);
    assert_eq!(got.create_date, START_MILLIS);
    assert_eq!(got.tags, vec![tag("team", "red")]);
    assert_eq!(oidc_providers::list(iam, &root).await.unwrap(), vec![ARN]);

    assert_error(
        oidc_providers::create(iam, &root, provider("https://token.example.com/org")).await,
        "EntityAlreadyExists",
        "Provider with url https://token.example.com/org already exists.",
    );
    // A trailing slash names another provider, as on AWS.
    oidc_providers::create(iam, &root, provider("https://token.example.com/org/"))
        .await
        .unwrap();

    // Client IDs: adding a listed one or removing an unlisted one changes nothing.
    oidc_providers::add_client_id(iam, &root, ARN, "ci")
        .await
        .unwrap();
    oidc_providers::add_client_id(iam, &root, ARN, "ci")
        .await
        .unwrap();
    oidc_providers::remove_client_id(iam, &root, ARN, "never")
        .await
        .unwrap();
    let ids = oidc_providers::get(iam, &root, ARN)
        .await
        .unwrap()
        .client_ids;
    assert_eq!(ids, vec!["sts.amazonaws.com", "ci"]);
    oidc_providers::remove_client_id(iam, &root, ARN, "sts.amazonaws.com")
        .await
        .unwrap();
    assert_eq!(
        oidc_providers::get(iam, &root, ARN)
            .await
            .unwrap()
            .client_ids,
        vec!["ci"]
    );

    // Thumbprints are replaced, not merged.
    let other = "a".repeat(40);
    oidc_providers::update_thumbprints(iam, &root, ARN, vec![other.clone()])
        .await
        .unwrap();
    assert_eq!(
        oidc_providers::get(iam, &root, ARN)
            .await
            .unwrap()
            .thumbprints,
        vec![other]
    );
    assert_error(
        oidc_providers::update_thumbprints(iam, &root, ARN, Vec::new()).await,
        "InvalidInput",
        "Thumbprint list must contain at least one entry.",
    );

    // Tags.
    oidc_providers::tag(
        iam,
        &root,
        ARN,
        vec![tag("env", "prod"), tag("TEAM", "blue")],
    )
    .await
    .unwrap();
    assert_eq!(
        oidc_providers::list_tags(iam, &root, ARN).await.unwrap(),
        vec![tag("TEAM", "blue"), tag("env", "prod")]
    );
    oidc_providers::untag(iam, &root, ARN, vec!["team".into()])
        .await
        .unwrap();
    assert_eq!(
        oidc_providers::list_tags(iam, &root, ARN).await.unwrap(),
        vec![tag("env", "prod")]
    );

    oidc_providers::delete(iam, &root, ARN).await.unwrap();
    let gone = format!("OpenIDConnect Provider not found for arn {ARN}");
    assert_error(
        oidc_providers::get(iam, &root, ARN).await,
        "NoSuchEntity",
        &gone,
    );
    assert_error(
        oidc_providers::delete(iam, &root, ARN).await,
        "NoSuchEntity",
        &gone,
    );
    assert_error(
        oidc_providers::list_tags(iam, &root, ARN).await,
        "NoSuchEntity",
        &gone,
    );
    // Its tags went with it: a provider registered again starts bare.
    oidc_providers::create(
        iam,
        &root,
        CreateOidcProvider {
            tags: Vec::new(),
            ..provider("https://token.example.com/org")
        },
    )
    .await
    .unwrap();
    assert!(oidc_providers::list_tags(iam, &root, ARN)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_in_aws_words_and_changes_nothing() {
    let (t, root) = with_root().await;
    let iam = &t.iam;
    let cases: Vec<(CreateOidcProvider, &str, &str)> = vec![
        (provider("http://token.example.com"), "InvalidInput", "Invalid Open ID Connect Provider URL. The URL must begin with https://."),
        (provider("https://token.example.com:8443"), "InvalidInput", "Invalid Open ID Connect Provider URL."),
        (provider("https://token.example.com/?a=b"), "InvalidInput", "Invalid Open ID Connect Provider URL."),
        (provider("token.example.com"), "ValidationError", "Invalid Open ID Connect Provider URL"),
        (
            CreateOidcProvider { thumbprints: vec![PRINT.into(); 6], ..provider("https://a.example.com") },
            "InvalidInput",
            "Thumbprint list must contain fewer than 5 entries.",
        ),
        (
            CreateOidcProvider { thumbprints: vec!["abc".into()], ..provider("https://a.example.com") },
            "ValidationError",
            "1 validation error detected: Value at 'thumbprintList.1.member' failed to satisfy constraint: Member must have length greater than or equal to 40",
        ),
        (
            CreateOidcProvider { client_ids: (0..101).map(|i| format!("c{i}")).collect(), ..provider("https://a.example.com") },
            "LimitExceeded",
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100",
        ),
        (
            CreateOidcProvider { client_ids: vec!["x".repeat(256)], ..provider("https://a.example.com") },
            "ValidationError",
            "1 validation error detected: Value at 'clientIDList.1.member' failed to satisfy constraint: Member must have length less than or equal to 255",
        ),
    ];
    for (input, code, message) in cases {
        let url = input.url.clone();
        let result = oidc_providers::create(iam, &root, input).await;
        match result {
            Err(error) => assert_eq!(
                (error.code(), error.to_string().as_str()),
                (code, message),
                "{url}"
            ),
            Ok(arn) => panic!("{url}: created {arn}"),
        }
    }
    assert!(oidc_providers::list(iam, &root).await.unwrap().is_empty());
    // Plain http only with the operator's flag, and then only on loopback (for tests).
    assert_error(
        oidc_providers::create(iam, &root, provider("http://127.0.0.1:8080")).await,
        "InvalidInput",
        "Invalid Open ID Connect Provider URL. The URL must begin with https://.",
    );
}

#[tokio::test]
async fn an_account_holds_at_most_a_hundred_providers() {
    let (t, root) = with_root().await;
    for n in 0..100 {
        let input = CreateOidcProvider {
            tags: Vec::new(),
            ..provider(&format!("https://idp{n}.example.com"))
        };
        oidc_providers::create(&t.iam, &root, input).await.unwrap();
    }
    assert_error(
        oidc_providers::create(&t.iam, &root, provider("https://one-more.example.com")).await,
        "LimitExceeded",
        "Cannot exceed quota for OpenIDConnectProvidersPerAccount: 100",
    );
    let client_ids = (0..100).map(|i| format!("c{i}")).collect();
    let full = oidc_providers::create(
        &t.iam,
        &root,
        CreateOidcProvider {
            client_ids,
            ..provider("https://idp0.example.com/full")
        },
    )
    .await;
    assert_eq!(full.unwrap_err().code(), "LimitExceeded");
}

#[tokio::test]
async fn a_caller_without_permission_learns_nothing_of_which_providers_exist() {
    let t = test_iam(Settings::default()).await;
    let root = account(&t, ACCOUNT).await;
    let (_, nobody) = iam_user(&t, &root, "nobody").await;
    oidc_providers::create(&t.iam, &root, provider("https://token.example.com/org"))
        .await
        .unwrap();
    let missing = "arn:aws:iam::123456789012:oidc-provider/missing.example.com";
    for arn in [ARN, missing] {
        let denied = no_identity_allows(
            "arn:aws:iam::123456789012:user/nobody",
            "iam:GetOpenIDConnectProvider",
            arn,
        );
        assert_error(
            oidc_providers::get(&t.iam, &nobody, arn).await,
            "AccessDenied",
            &denied,
        );
    }
    // Another account's provider is refused, never read.
    let other = "arn:aws:iam::210987654321:oidc-provider/token.example.com/org";
    assert_eq!(
        oidc_providers::get(&t.iam, &root, other)
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
}
