//! Service tests for GetFederationToken on a real database: a federated user may do what both
//! the user who federated and the session policies allow (nothing without one), never IAM or
//! STS (but GetCallerIdentity) through the API, for AWS's durations; session credentials cannot
//! federate; the credentials end with the user.

mod common;

use common::*;
use ferriam::domain::PrincipalKind;
use ferriam::server::service::authorization::{authorize, RequestContext};
use ferriam::server::service::entities::users;
use ferriam::server::service::federation::federation_token::{
    get_federation_token, GetFederationToken,
};
use ferriam::server::service::sts::{self, TemporaryKeyError};
use ferriam::server::service::Caller;

/// Ferriam authorizes only its own account's resources; other services' actions on `*`.
const BUCKET: &str = "*";

fn federate(name: &str, policy: Option<&str>) -> GetFederationToken {
    GetFederationToken {
        name: name.into(),
        policy: policy.map(str::to_string),
        ..GetFederationToken::default()
    }
}

/// The caller the federated user's credentials act as, as the Query API would see it.
async fn federated_caller(t: &TestIam, issuer: &Caller, input: GetFederationToken) -> Caller {
    let federated = get_federation_token(&t.iam, issuer, input).await.unwrap();
    let key = sts::temporary_key(
        &t.iam,
        &federated.credentials.access_key_id,
        Some(&federated.credentials.session_token),
    )
    .await
    .unwrap()
    .unwrap();
    key.caller
}

async fn allowed(t: &TestIam, caller: &Caller, action: &str, resource: &str) -> bool {
    let result = authorize(&t.iam, caller, action, resource, &RequestContext::default()).await;
    if let Err(error) = &result {
        eprintln!("{action}: {error}");
    }
    result.is_ok()
}

#[tokio::test]
async fn a_federated_user_may_do_what_both_the_user_and_the_session_policy_allow() {
    let (t, root) = with_root().await;
    let (_, broker) = iam_user(&t, &root, "broker").await;
    put_user_policy(&t, &root, "broker", "broker", &allow("*", "*")).await;
    put_user_policy(
        &t,
        &root,
        "broker",
        "no-delete",
        &statement("Deny", "s3:DeleteObject", "*"),
    )
    .await;

    let federated = get_federation_token(
        &t.iam,
        &broker,
        federate("carol", Some(&allow("s3:*", "*"))),
    )
    .await
    .unwrap();
    assert_eq!(federated.federated_user_id, "123456789012:carol");
    assert_eq!(
        federated.arn,
        "arn:aws:sts::123456789012:federated-user/carol"
    );
    assert_eq!(
        federated.credentials.expiration,
        START_MILLIS + 43_200_000,
        "12 hours by default"
    );
    let carol = federated_caller(&t, &broker, federate("carol", Some(&allow("s3:*", "*")))).await;
    assert!(
        matches!(carol.principal.kind, PrincipalKind::FederatedUser { ref name, .. } if name == "carol")
    );
    assert!(allowed(&t, &carol, "s3:GetObject", BUCKET).await);
    assert!(
        !allowed(&t, &carol, "s3:DeleteObject", BUCKET).await,
        "the user's deny holds"
    );
    assert!(
        !allowed(&t, &carol, "ec2:RunInstances", "*").await,
        "outside the session policy"
    );
    // Never IAM, nor STS but GetCallerIdentity, through the API.
    let refusal = authorize(
        &t.iam,
        &carol,
        "iam:ListUsers",
        "arn:aws:iam::123456789012:user/",
        &RequestContext::default(),
    )
    .await
    .unwrap_err();
    assert!(
        refusal.to_string().ends_with(
            "because credentials from GetFederationToken cannot call IAM through the API"
        ),
        "{refusal}"
    );
    assert_eq!(
        sts::get_caller_identity(&t.iam, &carol).await.unwrap().arn,
        "arn:aws:sts::123456789012:federated-user/carol"
    );
    assert_error(
        sts::get_session_token(&t.iam, &carol, None, None, None).await,
        "AccessDenied",
        "Cannot call GetSessionToken with session credentials",
    );
    assert_error(
        get_federation_token(&t.iam, &carol, federate("dave", None)).await,
        "AccessDenied",
        "Cannot call GetFederationToken with session credentials",
    );

    // Without a session policy, nothing.
    let bare = federated_caller(&t, &broker, federate("bare", None)).await;
    assert!(!allowed(&t, &bare, "s3:GetObject", BUCKET).await);
}

#[tokio::test]
async fn the_root_user_federates_for_an_hour_at_most() {
    let (t, root) = with_root().await;
    let mut input = federate("ops", Some(&allow("s3:GetObject", "*")));
    input.duration_seconds = Some(7_200);
    let federated = get_federation_token(&t.iam, &root, input).await.unwrap();
    assert_eq!(federated.credentials.expiration, START_MILLIS + 3_600_000);
    let ops = federated_caller(
        &t,
        &root,
        federate("ops", Some(&allow("s3:GetObject", "*"))),
    )
    .await;
    assert!(allowed(&t, &ops, "s3:GetObject", BUCKET).await);
    assert!(!allowed(&t, &ops, "s3:PutObject", BUCKET).await);
}

#[tokio::test]
async fn bad_input_is_refused_in_aws_words() {
    let (t, root) = with_root().await;
    let (_, nobody) = iam_user(&t, &root, "nobody").await;
    let cases: Vec<(GetFederationToken, &str, &str)> = vec![
        (federate("a", None), "ValidationError", "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2"),
        (federate(&"a".repeat(33), None), "ValidationError", "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 32"),
        (federate("bad name", None), "ValidationError", "The specified value for name is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"),
        (GetFederationToken { duration_seconds: Some(899), ..federate("ok", None) }, "ValidationError", "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"),
        (GetFederationToken { duration_seconds: Some(129_601), ..federate("ok", None) }, "ValidationError", "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600"),
        (federate("ok", Some("{")), "MalformedPolicyDocument", "Syntax errors in policy."),
    ];
    for (input, code, message) in cases {
        let name = input.name.clone();
        match get_federation_token(&t.iam, &root, input).await {
            Err(error) => assert_eq!(
                (error.code(), error.to_string().as_str()),
                (code, message),
                "{name}"
            ),
            Ok(_) => panic!("{name}: accepted"),
        }
    }
    // A user without permission to federate.
    assert_error(
        get_federation_token(&t.iam, &nobody, federate("x1", None)).await,
        "AccessDenied",
        &no_identity_allows(
            "arn:aws:iam::123456789012:user/nobody",
            "sts:GetFederationToken",
            "arn:aws:sts::123456789012:federated-user/x1",
        ),
    );
}

#[tokio::test]
async fn a_federated_user_s_credentials_end_with_the_user() {
    let (t, root) = with_root().await;
    let (_, broker) = iam_user(&t, &root, "broker").await;
    put_user_policy(&t, &root, "broker", "broker", &allow("*", "*")).await;
    let federated = get_federation_token(
        &t.iam,
        &broker,
        federate("carol", Some(&allow("s3:*", "*"))),
    )
    .await
    .unwrap();
    ferriam::server::service::policies::inline::delete_inline_policy(
        &t.iam,
        &root,
        ferriam::server::service::entities::EntityKind::User,
        "broker",
        "broker",
    )
    .await
    .unwrap();
    users::delete_user(&t.iam, &root, "broker").await.unwrap();
    let gone = sts::temporary_key(
        &t.iam,
        &federated.credentials.access_key_id,
        Some(&federated.credentials.session_token),
    )
    .await
    .unwrap();
    assert!(matches!(gone, Err(TemporaryKeyError::Invalid)));
}
