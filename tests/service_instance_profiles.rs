//! Service tests for instance profiles on a real database: one role per profile, the account's
//! quota, DeleteConflict both ways, the console's delete of a role taking it out of its
//! profiles (each removal authorized), and iam:PassRole for handing a role over.

mod common;

use common::fixtures::{instance_profile, role_trusting, service_trust};
use common::*;
use ferriam::server::service::entities::removal::{self, Dependents};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::workloads::instance_profiles::{
    self, CreateInstanceProfile, MAX_INSTANCE_PROFILES,
};
use ferriam::server::service::Caller;
use ferriam::server::store::instance_profiles::{self as store, InstanceProfileRow};

async fn role(t: &TestIam, root: &Caller, name: &str) {
    role_trusting(t, root, name, &service_trust("ec2.amazonaws.com")).await;
}

async fn profile(t: &TestIam, root: &Caller, name: &str) {
    instance_profile(t, root, name).await;
}

#[tokio::test]
async fn a_profile_holds_one_role_and_each_keeps_the_other_from_deletion() {
    let (t, root) = with_root().await;
    role(&t, &root, "web").await;
    role(&t, &root, "batch").await;
    profile(&t, &root, "web-servers").await;
    instance_profiles::add_role(&t.iam, &root, "web-servers", "web")
        .await
        .unwrap();
    assert_error(
        instance_profiles::add_role(&t.iam, &root, "web-servers", "batch").await,
        "LimitExceeded",
        "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
    );
    let conflict = "Cannot delete entity, must remove roles from instance profile first.";
    assert_error(
        instance_profiles::delete(&t.iam, &root, "web-servers").await,
        "DeleteConflict",
        conflict,
    );
    assert_error(
        removal::delete(&t.iam, &root, EntityKind::Role, "web", Dependents::Refuse).await,
        "DeleteConflict",
        conflict,
    );
    let held = instance_profiles::get(&t.iam, &root, "web-servers")
        .await
        .unwrap();
    assert_eq!(held.roles.len(), 1);
    assert_eq!(held.roles[0].role_name, "web");
}

#[tokio::test]
async fn the_consoles_delete_takes_a_role_out_of_its_profiles_with_leave_to() {
    let (t, root) = with_root().await;
    role(&t, &root, "web").await;
    profile(&t, &root, "web-servers").await;
    instance_profiles::add_role(&t.iam, &root, "web-servers", "web")
        .await
        .unwrap();
    let (_, admin) = iam_user(&t, &root, "admin").await;
    put_user_policy(&t, &root, "admin", "roles", &allow("iam:DeleteRole", "*")).await;
    let refused = removal::delete(&t.iam, &admin, EntityKind::Role, "web", Dependents::Remove)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "AccessDenied");
    assert!(
        refused
            .public_message()
            .contains("iam:RemoveRoleFromInstanceProfile"),
        "{refused:?}"
    );
    put_user_policy(
        &t,
        &root,
        "admin",
        "profiles",
        &allow("iam:RemoveRoleFromInstanceProfile", "*"),
    )
    .await;
    removal::delete(&t.iam, &admin, EntityKind::Role, "web", Dependents::Remove)
        .await
        .unwrap();
    let emptied = instance_profiles::get(&t.iam, &root, "web-servers")
        .await
        .unwrap();
    assert!(emptied.roles.is_empty());
    instance_profiles::delete(&t.iam, &root, "web-servers")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_account_has_at_most_a_thousand_profiles() {
    let (t, root) = with_root().await;
    let mut tx = t.iam.store().writer().begin().await.unwrap();
    for i in 0..MAX_INSTANCE_PROFILES {
        store::insert(
            &mut *tx,
            &InstanceProfileRow {
                instance_profile_id: format!("AIPA{i:017}"),
                account_id: ACCOUNT.into(),
                name: format!("p{i}"),
                path: "/".into(),
                role_id: None,
                created_at: 0,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let refused = instance_profiles::create(
        &t.iam,
        &root,
        CreateInstanceProfile {
            name: "one-more".into(),
            ..Default::default()
        },
    )
    .await;
    assert_error(
        refused,
        "LimitExceeded",
        "Cannot exceed quota for InstanceProfilesPerAccount: 1000",
    );
}

#[tokio::test]
async fn handing_a_role_over_needs_pass_role_and_a_refusal_changes_nothing() {
    let (t, root) = with_root().await;
    role(&t, &root, "web").await;
    profile(&t, &root, "web-servers").await;
    let (_, operator) = iam_user(&t, &root, "operator").await;
    put_user_policy(
        &t,
        &root,
        "operator",
        "profiles",
        &allow("iam:AddRoleToInstanceProfile", "*"),
    )
    .await;
    let refused = instance_profiles::add_role(&t.iam, &operator, "web-servers", "web")
        .await
        .unwrap_err();
    assert!(
        refused.public_message().contains("iam:PassRole"),
        "{refused:?}"
    );
    assert!(instance_profiles::get(&t.iam, &root, "web-servers")
        .await
        .unwrap()
        .roles
        .is_empty());
    put_user_policy(
        &t,
        &root,
        "operator",
        "pass",
        &allow("iam:PassRole", "arn:aws:iam::123456789012:role/web"),
    )
    .await;
    instance_profiles::add_role(&t.iam, &operator, "web-servers", "web")
        .await
        .unwrap();
    // A stranger cannot tell a missing profile from one it may not read.
    let (_, stranger) = iam_user(&t, &root, "stranger").await;
    for name in ["web-servers", "no-such-profile"] {
        let denied = instance_profiles::get(&t.iam, &stranger, name)
            .await
            .unwrap_err();
        assert_eq!(
            denied.public_message(),
            format!("User: arn:aws:iam::123456789012:user/stranger is not authorized to perform: iam:GetInstanceProfile on resource: instance profile {name} because no identity-based policy allows the iam:GetInstanceProfile action")
        );
    }
}

#[tokio::test]
async fn tag_conditions_and_pass_role_conditions_see_the_profile() {
    let (t, root) = with_root().await;
    role(&t, &root, "web").await;
    instance_profiles::create(
        &t.iam,
        &root,
        CreateInstanceProfile {
            name: "guarded".into(),
            tags: vec![common::fixtures::tag("protected", "true")],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    profile(&t, &root, "open").await;
    let (_, admin) = iam_user(&t, &root, "admin").await;
    put_user_policy(&t, &root, "admin", "all", &allow("iam:*", "*")).await;
    put_user_policy(
        &t,
        &root,
        "admin",
        "guard",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteInstanceProfile","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/protected":"true"}}}]}"#,
    )
    .await;
    assert_eq!(
        instance_profiles::delete(&t.iam, &admin, "guarded")
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    instance_profiles::delete(&t.iam, &admin, "open")
        .await
        .unwrap();

    // iam:PassedToService is the workloads' service principal.
    let (_, operator) = iam_user(&t, &root, "operator").await;
    put_user_policy(
        &t,
        &root,
        "operator",
        "pass-to-ec2",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AddRoleToInstanceProfile","Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}"#,
    )
    .await;
    instance_profiles::add_role(&t.iam, &operator, "guarded", "web")
        .await
        .unwrap();
    // Only the role the profile holds is looked at when one is taken out.
    for asked in ["no-such-role", "other"] {
        assert_error(
            instance_profiles::remove_role(&t.iam, &root, "guarded", asked).await,
            "NoSuchEntity",
            &format!("The role with name {asked} cannot be found in instance profile guarded."),
        );
    }
}
