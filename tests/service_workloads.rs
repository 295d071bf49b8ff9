//! Service tests for workload tokens on a real database: issuing one needs iam:PassRole on the
//! profile's role; the token buys the role's credentials only while the role trusts
//! ec2.amazonaws.com and stays in the profile; revoking it, or deleting the profile, ends it; each
//! use is counted; the secret is kept only as a digest.

mod common;

use common::fixtures::{instance_profile, role_trusting, service_trust};
use common::*;
use ferriam::server::service::workloads::instance_profiles::{self, CreateInstanceProfile};
use ferriam::server::service::workloads::tokens::{self, WorkloadRefusal};
use ferriam::server::service::{sts, Caller, RequestInfo};

async fn role(t: &TestIam, root: &Caller, name: &str, trust: &str) {
    role_trusting(t, root, name, trust).await;
}

async fn profile_with_role(t: &TestIam, root: &Caller, profile: &str, role_name: &str) {
    instance_profile(t, root, profile).await;
    instance_profiles::add_role(&t.iam, root, profile, role_name)
        .await
        .unwrap();
}

async fn fetch(t: &TestIam, token: &str) -> Result<tokens::WorkloadCredentials, WorkloadRefusal> {
    tokens::credentials(&t.iam, RequestInfo::default(), token)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_token_buys_its_profiles_role_credentials_until_revoked() {
    let (t, root) = with_root().await;
    role(&t, &root, "web", &service_trust("ec2.amazonaws.com")).await;
    put_inline(
        &t,
        &root,
        ferriam::domain::EntityKind::Role,
        "web",
        "read",
        &allow("iam:ListRoles", "*"),
    )
    .await;
    profile_with_role(&t, &root, "web-servers", "web").await;
    let issued = tokens::create(&t.iam, &root, "web-servers").await.unwrap();
    assert!(issued.token.starts_with("fwt_") && issued.token.len() == 47);
    assert!(!format!("{issued:?}").contains(&issued.token));

    let got = fetch(&t, &issued.token).await.expect("credentials");
    assert_eq!(got.role_arn, "arn:aws:iam::123456789012:role/web");
    let session = sts::temporary_key(
        &t.iam,
        &got.credentials.access_key_id,
        Some(&got.credentials.session_token),
    )
    .await
    .unwrap()
    .expect("valid credentials");
    assert_eq!(
        session.caller.principal.arn(),
        format!(
            "arn:aws:sts::123456789012:assumed-role/web/{}",
            issued.token_id
        )
    );
    // The role's default maximum session: one hour.
    assert_eq!(got.credentials.expiration, t.clock.now_millis() + 3_600_000);
    let second = fetch(&t, &issued.token).await.expect("credentials");
    assert_ne!(
        second.credentials.access_key_id,
        got.credentials.access_key_id
    );
    let listed = tokens::list(&t.iam, &root, "web-servers").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].uses, 2);
    assert_eq!(listed[0].last_used_at, Some(t.clock.now_millis()));

    // Stored only as a digest.
    let stored: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM workload_tokens")
        .fetch_all(t.iam.store().reader())
        .await
        .unwrap();
    assert!(!stored[0].0.contains(&issued.token) && stored[0].0.len() == 64);

    tokens::delete(&t.iam, &root, "web-servers", &issued.token_id)
        .await
        .unwrap();
    assert!(matches!(
        fetch(&t, &issued.token).await,
        Err(WorkloadRefusal::UnknownToken)
    ));
    assert_error(
        tokens::delete(&t.iam, &root, "web-servers", &issued.token_id).await,
        "NoSuchEntity",
        &format!(
            "The workload token {} cannot be found in instance profile web-servers.",
            issued.token_id
        ),
    );
    assert!(matches!(
        fetch(&t, "fwt_not-a-token").await,
        Err(WorkloadRefusal::UnknownToken)
    ));
}

#[tokio::test]
async fn no_credentials_without_a_trusting_role_in_the_profile() {
    let (t, root) = with_root().await;
    role(&t, &root, "web", &service_trust("ec2.amazonaws.com")).await;
    role(&t, &root, "lambda", &service_trust("lambda.amazonaws.com")).await;
    instance_profiles::create(
        &t.iam,
        &root,
        CreateInstanceProfile {
            name: "empty".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        tokens::create(&t.iam, &root, "empty")
            .await
            .unwrap_err()
            .code(),
        "InvalidInput"
    );
    profile_with_role(&t, &root, "functions", "lambda").await;
    let untrusted = tokens::create(&t.iam, &root, "functions").await.unwrap();
    assert!(matches!(
        fetch(&t, &untrusted.token).await,
        Err(WorkloadRefusal::NoRole(message)) if message.contains("does not trust ec2.amazonaws.com")
    ));

    profile_with_role(&t, &root, "web-servers", "web").await;
    let token = tokens::create(&t.iam, &root, "web-servers").await.unwrap();
    assert!(fetch(&t, &token.token).await.is_ok());
    instance_profiles::remove_role(&t.iam, &root, "web-servers", "web")
        .await
        .unwrap();
    assert!(matches!(
        fetch(&t, &token.token).await,
        Err(WorkloadRefusal::NoRole(_))
    ));
    // Deleting the profile ends its tokens.
    instance_profiles::delete(&t.iam, &root, "web-servers")
        .await
        .unwrap();
    assert!(matches!(
        fetch(&t, &token.token).await,
        Err(WorkloadRefusal::UnknownToken)
    ));
}

#[tokio::test]
async fn issuing_a_token_needs_pass_role_on_the_profiles_role() {
    let (t, root) = with_root().await;
    role(&t, &root, "web", &service_trust("ec2.amazonaws.com")).await;
    profile_with_role(&t, &root, "web-servers", "web").await;
    let (_, operator) = iam_user(&t, &root, "operator").await;
    put_user_policy(
        &t,
        &root,
        "operator",
        "tokens",
        &allow("iam:CreateWorkloadToken", "*"),
    )
    .await;
    let refused = tokens::create(&t.iam, &operator, "web-servers")
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "AccessDenied");
    assert!(refused.public_message().contains("iam:PassRole"));
    assert!(tokens::list(&t.iam, &root, "web-servers")
        .await
        .unwrap()
        .is_empty());
    put_user_policy(
        &t,
        &root,
        "operator",
        "pass",
        &allow("iam:PassRole", "arn:aws:iam::123456789012:role/web"),
    )
    .await;
    assert!(tokens::create(&t.iam, &operator, "web-servers")
        .await
        .is_ok());
    // Listing and revoking are actions of their own.
    assert_eq!(
        tokens::list(&t.iam, &operator, "web-servers")
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
}

#[tokio::test]
async fn each_token_has_its_own_cap_of_live_credentials() {
    let (t, root) = with_root().await;
    role(&t, &root, "web", &service_trust("ec2.amazonaws.com")).await;
    profile_with_role(&t, &root, "web-servers", "web").await;
    let greedy = tokens::create(&t.iam, &root, "web-servers").await.unwrap();
    let modest = tokens::create(&t.iam, &root, "web-servers").await.unwrap();
    for _ in 0..sts::MAX_LIVE_SESSIONS_PER_ISSUER {
        fetch(&t, &greedy.token).await.expect("within the cap");
    }
    let refused = tokens::credentials(&t.iam, RequestInfo::default(), &greedy.token)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "LimitExceeded");
    // The role's other workloads are not held up by it.
    assert!(fetch(&t, &modest.token).await.is_ok());
}
