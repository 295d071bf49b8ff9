//! Service tests for SAML 2.0 federation on a real database: the provider registry with AWS's
//! rules and words (and a caller without permission who learns nothing of which providers
//! exist), and AssumeRoleWithSAML with responses pysaml2 signed (`tests/data/saml`; the live
//! IdP's journeys and the attacks are in `tests/aws/test_saml.py`): a good response buys the
//! role's credentials with AWS's extra fields; a refused one issues nothing.

mod common;

use common::fixtures::tag;
use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::federation::saml::assume_role::{
    assume_role_with_saml, name_qualifier, AssumeRoleWithSaml,
};
use ferriam::server::service::federation::saml::providers::{
    self, CreateSamlProvider, UpdateSamlProvider,
};
use ferriam::server::service::RequestInfo;
use serde_json::json;

const METADATA: &str = include_str!("data/saml/idp-metadata.xml");
const SIGNED_RESPONSE: &str = include_str!("data/saml/signed-response.xml");
const ARN: &str = "arn:aws:iam::123456789012:saml-provider/fixture";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/saml-role";
const ISSUER: &str = "https://fixture-idp.example.com/saml";

fn create(name: &str) -> CreateSamlProvider {
    CreateSamlProvider {
        name: name.into(),
        metadata: METADATA.into(),
        tags: vec![tag("team", "red")],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_provider_is_registered_read_updated_and_deleted() {
    let (t, root) = with_root().await;
    let iam = &t.iam;
    assert_eq!(
        providers::create(iam, &root, create("fixture"))
            .await
            .unwrap(),
        ARN
    );
    let got = providers::get(iam, &root, ARN).await.unwrap();
    assert_eq!(got.metadata, METADATA);
    assert_eq!(got.entity_id, ISSUER);
    assert_eq!(got.create_date, START_MILLIS);
    assert_eq!(got.certificates.len(), 1);
    assert_eq!(got.certificates[0].subject, "CN=fixture-idp.example.com");
    // No validUntil in the document: valid for a century, as AWS reports it.
    assert!(got.valid_until > START_MILLIS + 99 * 365 * 86_400_000);
    assert_eq!(got.tags, vec![tag("team", "red")]);
    let listed = providers::list(iam, &root).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].arn, ARN);

    assert_error(
        providers::create(iam, &root, create("fixture")).await,
        "EntityAlreadyExists",
        "SAMLProvider fixture already exists.",
    );
    let short = CreateSamlProvider {
        metadata: "<x/>".into(),
        ..create("short")
    };
    assert_error(
        providers::create(iam, &root, short).await,
        "ValidationError",
        "1 validation error detected: Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length greater than or equal to 1000",
    );
    let not_idp = CreateSamlProvider {
        metadata: METADATA.replace("IDPSSODescriptor", "SPSSODescriptor"),
        ..create("not-idp")
    };
    let error = providers::create(iam, &root, not_idp).await.unwrap_err();
    assert_eq!(error.code(), "InvalidInput");
    let encrypted = CreateSamlProvider {
        assertion_encryption_mode: Some("Required".into()),
        ..create("encrypted")
    };
    assert_eq!(
        providers::create(iam, &root, encrypted)
            .await
            .unwrap_err()
            .code(),
        "InvalidInput"
    );
    let bad_name = create("has space");
    assert_eq!(
        providers::create(iam, &root, bad_name)
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );
    assert_eq!(providers::list(iam, &root).await.unwrap().len(), 1);

    // New metadata replaces the old; a bad document changes nothing.
    let renamed = METADATA.replace(ISSUER, "https://renamed.example.com/saml");
    providers::update(
        iam,
        &root,
        UpdateSamlProvider {
            arn: ARN.into(),
            metadata: Some(renamed),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let broken = UpdateSamlProvider {
        arn: ARN.into(),
        metadata: Some(format!("<broken>{}", " ".repeat(1_000))),
        ..Default::default()
    };
    assert_eq!(
        providers::update(iam, &root, broken)
            .await
            .unwrap_err()
            .code(),
        "InvalidInput"
    );
    assert_eq!(
        providers::get(iam, &root, ARN).await.unwrap().entity_id,
        "https://renamed.example.com/saml"
    );

    providers::tag(iam, &root, ARN, vec![tag("env", "lab")])
        .await
        .unwrap();
    providers::untag(iam, &root, ARN, vec!["team".into()])
        .await
        .unwrap();
    assert_eq!(
        providers::list_tags(iam, &root, ARN).await.unwrap(),
        vec![tag("env", "lab")]
    );
    providers::delete(iam, &root, ARN).await.unwrap();
    assert_error(
        providers::get(iam, &root, ARN).await,
        "NoSuchEntity",
        &format!("Manifest not found for arn {ARN}"),
    );
    assert!(providers::list(iam, &root).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_caller_without_permission_learns_nothing_of_which_providers_exist() {
    let (t, root) = with_root().await;
    providers::create(&t.iam, &root, create("fixture"))
        .await
        .unwrap();
    let (_, nobody) = iam_user(&t, &root, "nobody").await;
    let missing = "arn:aws:iam::123456789012:saml-provider/missing";
    for arn in [ARN, missing] {
        let error = providers::get(&t.iam, &nobody, arn).await.unwrap_err();
        assert_eq!(error.code(), "AccessDenied", "{arn}");
        let error = providers::delete(&t.iam, &nobody, arn).await.unwrap_err();
        assert_eq!(error.code(), "AccessDenied", "{arn}");
    }
    assert_eq!(providers::list(&t.iam, &root).await.unwrap().len(), 1);
}

async fn with_role() -> TestIam {
    let (t, root) = with_root().await;
    providers::create(&t.iam, &root, create("fixture"))
        .await
        .unwrap();
    let trust = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": ARN}, "Action": "sts:AssumeRoleWithSAML",
        "Condition": {"StringEquals": {
            "SAML:aud": "https://iam.example.com/saml",
            "SAML:edupersonaffiliation": "staff"}}}]});
    roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            entity: NewEntity::parse("saml-role", None).unwrap(),
            assume_role_policy_document: trust.to_string(),
            description: None,
            max_session_duration: None,
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
    .unwrap();
    t
}

fn request(origin: &str) -> RequestInfo {
    RequestInfo {
        origin: Some(origin.to_string()),
        ..Default::default()
    }
}

fn input(response: &str) -> AssumeRoleWithSaml {
    AssumeRoleWithSaml {
        role_arn: ROLE_ARN.into(),
        principal_arn: ARN.into(),
        saml_assertion: base64_encode(response),
        ..Default::default()
    }
}

fn base64_encode(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[tokio::test]
async fn a_signed_response_buys_the_roles_credentials() {
    let t = with_role().await;
    let session = assume_role_with_saml(
        &t.iam,
        request("https://iam.example.com"),
        input(SIGNED_RESPONSE),
    )
    .await
    .unwrap();
    assert_eq!(
        session.assumed_role_user.arn,
        "arn:aws:sts::123456789012:assumed-role/saml-role/alice@example.com"
    );
    assert_eq!(session.subject, "alice");
    assert_eq!(session.subject_type, "persistent");
    assert_eq!(session.issuer, ISSUER);
    assert_eq!(session.audience, "https://iam.example.com/saml");
    assert_eq!(
        session.name_qualifier,
        name_qualifier(ISSUER, "123456789012", "fixture")
    );
    assert!(session.credentials.access_key_id.starts_with("ASIA"));
    // The default hour, as the assertion's own session has no end.
    assert_eq!(session.credentials.expiration, START_MILLIS + 3_600_000);
    let events = audit_events(&t, "123456789012").await;
    assert!(events
        .iter()
        .any(|e| e.action == "sts:AssumeRoleWithSAML" && e.result == "Success"));
}

#[tokio::test]
async fn a_refused_response_issues_nothing() {
    let t = with_role().await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sts_sessions")
            .fetch_one(t.iam.store().reader())
            .await
            .unwrap()
    };
    // Addressed to another service, changed after signing, or asking for another account's
    // provider: each is refused in AWS's words.
    let cases = [
        // A service that does not know its own address takes no SAML.
        (
            RequestInfo::default(),
            input(SIGNED_RESPONSE),
            "InvalidIdentityToken",
        ),
        (
            request("https://elsewhere.example.com"),
            input(SIGNED_RESPONSE),
            "InvalidIdentityToken",
        ),
        (
            request("https://iam.example.com"),
            input(&SIGNED_RESPONSE.replace(">alice<", ">admin<")),
            "InvalidIdentityToken",
        ),
        (
            request("https://iam.example.com"),
            AssumeRoleWithSaml {
                principal_arn: "arn:aws:iam::210987654321:saml-provider/fixture".into(),
                ..input(SIGNED_RESPONSE)
            },
            "InvalidIdentityToken",
        ),
        (
            request("https://iam.example.com"),
            AssumeRoleWithSaml {
                role_arn: "arn:aws:iam::123456789012:role/not-listed".into(),
                ..input(SIGNED_RESPONSE)
            },
            "AccessDenied",
        ),
        (
            request("https://iam.example.com"),
            AssumeRoleWithSaml {
                duration_seconds: Some(899),
                ..input(SIGNED_RESPONSE)
            },
            "ValidationError",
        ),
    ];
    for (request, input, code) in cases {
        let error = assume_role_with_saml(&t.iam, request, input)
            .await
            .unwrap_err();
        assert_eq!(error.code(), code, "{error}");
    }
    assert_eq!(count().await, 0);
}
