//! Service tests: the console's composite creates of groups and roles attach their policies in
//! the same transaction, so a refused attachment leaves nothing behind.
#![cfg(feature = "ssr")]

mod common;

use ferriam::domain::entity_requests::NewEntity;

use common::test_iam;
use ferriam::domain::Principal;
use ferriam::server::service::account::accounts::{self, NewAccount};
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::{entities::groups, policies::attachments, Caller, ServiceError};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;

async fn root(t: &common::TestIam) -> Caller {
    let account = accounts::create_account_headless(
        &t.iam,
        NewAccount {
            email: "owner@example.com".into(),
            password: "correct horse battery".into(),
            confirm_password: "correct horse battery".into(),
            alias: None,
            account_id: Some("123456789012".into()),
        },
    )
    .await
    .unwrap();
    Caller::local(Principal::root(account.account_id))
}

fn aws_policies() -> Vec<String> {
    [
        "AdministratorAccess",
        "IAMFullAccess",
        "IAMReadOnlyAccess",
        "PowerUserAccess",
        "IAMUserChangePassword",
    ]
    .iter()
    .map(|name| format!("arn:aws:iam::aws:policy/{name}"))
    .collect()
}

fn role(name: &str) -> CreateRole {
    CreateRole {
        entity: NewEntity::parse(name, None).unwrap(),
        assume_role_policy_document: TRUST.into(),
        description: None,
        max_session_duration: None,
        tags: Vec::new(),
        permissions_boundary: None,
    }
}

#[tokio::test]
async fn a_group_is_created_with_its_policies() {
    let t = test_iam(Settings::default()).await;
    let root = root(&t).await;
    let group = groups::create_group_with_policies(
        &t.iam,
        &root,
        NewEntity::parse("devs", None).unwrap(),
        &aws_policies()[..2],
    )
    .await
    .unwrap();
    assert_eq!(group.group_name, "devs");
    let attached = attachments::list_attached_policies(&t.iam, &root, EntityKind::Group, "devs")
        .await
        .unwrap();
    let names: Vec<&str> = attached.iter().map(|p| p.policy_name.as_str()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"AdministratorAccess") && names.contains(&"IAMFullAccess"));
}

#[tokio::test]
async fn a_refused_policy_leaves_no_group_or_role() {
    let t = test_iam(Settings::default()).await;
    let root = root(&t).await;
    let unknown = vec!["arn:aws:iam::123456789012:policy/missing".to_string()];
    let error = groups::create_group_with_policies(
        &t.iam,
        &root,
        NewEntity::parse("devs", None).unwrap(),
        &unknown,
    )
    .await
    .unwrap_err();
    assert!(matches!(error, ServiceError::NoSuchEntity(_)), "{error:?}");
    assert!(groups::get_group(&t.iam, &root, "devs").await.is_err());

    let error = roles::create_role_with_policies(&t.iam, &root, role("ci"), &unknown)
        .await
        .unwrap_err();
    assert!(matches!(error, ServiceError::NoSuchEntity(_)), "{error:?}");
    assert!(roles::get_role(&t.iam, &root, "ci").await.is_err());
}

#[tokio::test]
async fn a_role_is_created_with_its_policies() {
    let t = test_iam(Settings::default()).await;
    let root = root(&t).await;
    let created =
        roles::create_role_with_policies(&t.iam, &root, role("ci"), &aws_policies()[2..3])
            .await
            .unwrap();
    assert_eq!(created.role_name, "ci");
    let attached = attachments::list_attached_policies(&t.iam, &root, EntityKind::Role, "ci")
        .await
        .unwrap();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].policy_name, "IAMReadOnlyAccess");
}
