//! Service tests: who may do what — root, IAM users allowed by their own and their groups'
//! policies, implicit and explicit denials, permissions boundaries, `${aws:username}`
//! self-service, policy edits taking effect on the next call, and account isolation.

mod common;

use common::doors;

use common::*;
use ferriam::catalog::Op;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::tags::Tag;
use ferriam::domain::Principal;
use ferriam::server::service::entities::boundaries;
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::entities::tagging;
use ferriam::server::service::entities::users::{self, CreateUser, ListUsers};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::{
    authorization::permissions, credentials::user_mfa, entities::groups, policies,
    policies::attachments, policies::inline, Caller, ServiceError,
};
use ferriam::server::store;

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
const SELF_MANAGE: &str = "arn:aws:iam::aws:policy/FerriamSelfManageCredentials";
const BOB: &str = "arn:aws:iam::123456789012:user/bob";
const USERS: &str = "arn:aws:iam::123456789012:user/";

fn list_all() -> ListUsers {
    ListUsers {
        path_prefix: None,
        name_prefix: None,
        marker: None,
        max_items: None,
    }
}

async fn list_users(t: &TestIam, caller: &Caller) -> Result<usize, ServiceError> {
    users::list_users(&t.iam, caller, list_all())
        .await
        .map(|page| page.items.len())
}

/// Asserts bob may list users now, or is refused with AWS's implicit-deny sentence.
async fn assert_can_list(t: &TestIam, bob: &Caller, allowed: bool) {
    let result = list_users(t, bob).await;
    if allowed {
        assert!(
            result.is_ok(),
            "expected ListUsers to be allowed: {result:?}"
        );
    } else {
        assert_error(
            result,
            "AccessDenied",
            &no_identity_allows(BOB, "iam:ListUsers", USERS),
        );
    }
}

fn condition_policy(action: &str, condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*","Condition":{condition}}}]}}"#
    )
}

#[tokio::test]
async fn root_may_do_everything_in_its_own_account() {
    let (t, root) = with_root().await;
    let checks: Vec<(Op, String)> = [
        ("iam:CreateUser", "arn:aws:iam::123456789012:user/anyone"),
        ("iam:DeleteRole", "arn:aws:iam::123456789012:role/x"),
        ("iam:PutUserPermissionsBoundary", BOB),
        ("iam:ListUsers", USERS),
        ("iam:GetPolicy", READ_ONLY),
    ]
    .iter()
    .map(|(a, r)| (Op::by_action(a).unwrap(), r.to_string()))
    .collect();
    let answers = permissions::check_actions(&t.iam, &root, &checks)
        .await
        .unwrap();
    assert_eq!(answers, vec![None; checks.len()]);
    iam_user(&t, &root, "bob").await;
    attach(&t, &root, EntityKind::User, "bob", ADMIN).await;
    users::delete_user_and_dependents(&t.iam, &root, "bob")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_iam_user_is_denied_by_default_with_aws_sentence() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    assert_error(
        users::create_user(&t.iam, &bob, new_user("carol")).await,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/carol because no identity-based policy allows the iam:CreateUser action",
    );
    assert_can_list(&t, &bob, false).await;
    // Even reading itself needs a policy.
    assert_error(
        users::get_user(&t.iam, &bob, None).await,
        "AccessDenied",
        &no_identity_allows(BOB, "iam:GetUser", "user bob"),
    );
}

#[tokio::test]
async fn a_group_policy_allows_its_members() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    create_group(&t, &root, "admins").await;
    put_inline(
        &t,
        &root,
        EntityKind::Group,
        "admins",
        "create-users",
        &allow("iam:CreateUser", "arn:aws:iam::123456789012:user/*"),
    )
    .await;
    add_to_group(&t, &root, "admins", "bob").await;
    let carol = users::create_user(&t.iam, &bob, new_user("carol"))
        .await
        .unwrap();
    assert_eq!(carol.arn, "arn:aws:iam::123456789012:user/carol");
    let events = audit_events(&t, ACCOUNT).await;
    let last = events.last().unwrap();
    assert_eq!(
        (
            last.action.as_str(),
            last.principal_arn.as_str(),
            last.result.as_str()
        ),
        ("iam:CreateUser", BOB, "Success")
    );
    // The group allows creating users, nothing else.
    assert_error(
        users::delete_user(&t.iam, &bob, "carol").await,
        "AccessDenied",
        &no_identity_allows(BOB, "iam:DeleteUser", "user carol"),
    );
}

#[tokio::test]
async fn an_explicit_deny_wins_over_any_allow() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    attach(&t, &root, EntityKind::User, "bob", ADMIN).await;
    create_group(&t, &root, "guarded").await;
    attach_document(
        &t,
        &root,
        EntityKind::Group,
        "guarded",
        "NoDeletes",
        &statement("Deny", "iam:Delete*", "*"),
    )
    .await;
    add_to_group(&t, &root, "guarded", "bob").await;
    assert_error(
        users::delete_user(&t.iam, &bob, "alice").await,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:DeleteUser on resource: user alice with an explicit deny in an identity-based policy",
    );
    users::get_user(&t.iam, &root, Some("alice")).await.unwrap();
    // What the deny does not cover stays allowed.
    users::create_user(&t.iam, &bob, new_user("carol"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_permissions_boundary_cuts_what_the_policies_allow() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    attach(&t, &root, EntityKind::User, "bob", ADMIN).await;
    boundaries::put_boundary(&t.iam, &root, EntityKind::User, "bob", READ_ONLY)
        .await
        .unwrap();
    assert_can_list(&t, &bob, true).await;
    assert_error(
        users::create_user(&t.iam, &bob, new_user("carol")).await,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/carol because no permissions boundary allows the iam:CreateUser action",
    );
    // A boundary only limits: it grants nothing the identity policies do not.
    let (_, dave) = iam_user(&t, &root, "dave").await;
    boundaries::put_boundary(&t.iam, &root, EntityKind::User, "dave", ADMIN)
        .await
        .unwrap();
    assert_error(
        list_users(&t, &dave).await,
        "AccessDenied",
        &no_identity_allows(
            "arn:aws:iam::123456789012:user/dave",
            "iam:ListUsers",
            USERS,
        ),
    );
    // An explicit deny in the boundary says so.
    let fence = managed_policy(
        &t,
        &root,
        "Fence",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}"#,
    )
    .await;
    boundaries::put_boundary(&t.iam, &root, EntityKind::User, "bob", &fence)
        .await
        .unwrap();
    assert_error(
        users::create_user(&t.iam, &bob, new_user("carol")).await,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/carol with an explicit deny in a permissions boundary",
    );
}

#[tokio::test]
async fn self_service_lets_a_user_act_on_itself_only() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    let carol = users::create_user(
        &t.iam,
        &root,
        CreateUser {
            entity: NewEntity::parse("carol", Some("/eng/")).unwrap(),
            ..new_user("carol")
        },
    )
    .await
    .unwrap();
    let carol_caller = caller_for(&carol, root.account_id());
    for name in ["bob", "carol"] {
        attach(&t, &root, EntityKind::User, name, SELF_MANAGE).await;
    }
    assert_eq!(
        users::get_user(&t.iam, &bob, Some("bob"))
            .await
            .unwrap()
            .user_name,
        "bob"
    );
    assert_error(
        users::get_user(&t.iam, &bob, Some("alice")).await,
        "AccessDenied",
        &no_identity_allows(BOB, "iam:GetUser", "user alice"),
    );
    // A user with a path matches `user/*/${aws:username}`, and is named by its full ARN.
    users::get_user(&t.iam, &carol_caller, None).await.unwrap();
    assert_error(
        users::get_user(&t.iam, &carol_caller, Some("bob")).await,
        "AccessDenied",
        &no_identity_allows(
            "arn:aws:iam::123456789012:user/eng/carol",
            "iam:GetUser",
            "user bob",
        ),
    );

    let checks: Vec<(Op, String)> = [
        ("iam:CreateAccessKey", BOB),
        ("iam:ChangePassword", BOB),
        (
            "iam:CreateAccessKey",
            "arn:aws:iam::123456789012:user/alice",
        ),
        (
            "iam:CreateVirtualMFADevice",
            "arn:aws:iam::123456789012:mfa/bob",
        ),
        (
            "iam:CreateVirtualMFADevice",
            "arn:aws:iam::123456789012:mfa/alice",
        ),
        ("iam:DeleteUser", BOB),
    ]
    .iter()
    .map(|(a, r)| (Op::by_action(a).unwrap(), r.to_string()))
    .collect();
    let answers = permissions::check_actions(&t.iam, &bob, &checks)
        .await
        .unwrap();
    assert_eq!(
        answers,
        vec![
            None,
            None,
            Some(no_identity_allows(
                BOB,
                "iam:CreateAccessKey",
                "arn:aws:iam::123456789012:user/alice"
            )),
            None,
            Some(no_identity_allows(
                BOB,
                "iam:CreateVirtualMFADevice",
                "arn:aws:iam::123456789012:mfa/alice"
            )),
            Some(no_identity_allows(BOB, "iam:DeleteUser", BOB)),
        ]
    );
}

#[tokio::test]
async fn attach_and_detach_take_effect_on_the_next_call() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    assert_can_list(&t, &bob, false).await;
    attach(&t, &root, EntityKind::User, "bob", READ_ONLY).await;
    assert_can_list(&t, &bob, true).await;
    detach(&t, &root, EntityKind::User, "bob", READ_ONLY).await;
    assert_can_list(&t, &bob, false).await;
}

#[tokio::test]
async fn a_new_default_version_takes_effect_on_the_next_call() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let arn = attach_document(
        &t,
        &root,
        EntityKind::User,
        "bob",
        "P",
        &allow("iam:ListUsers", "*"),
    )
    .await;
    assert_can_list(&t, &bob, true).await;
    // A version that is not the default changes nothing.
    policies::create_policy_version(&t.iam, &root, &arn, &allow("iam:GetUser", "*"), false)
        .await
        .unwrap();
    assert_can_list(&t, &bob, true).await;
    policies::set_default_policy_version(&t.iam, &root, &arn, "v2")
        .await
        .unwrap();
    assert_can_list(&t, &bob, false).await;
    policies::create_policy_version(&t.iam, &root, &arn, &allow("iam:List*", "*"), true)
        .await
        .unwrap();
    assert_can_list(&t, &bob, true).await;
    policies::set_default_policy_version(&t.iam, &root, &arn, "v2")
        .await
        .unwrap();
    assert_can_list(&t, &bob, false).await;
}

#[tokio::test]
async fn group_membership_and_group_policies_take_effect_on_the_next_call() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    create_group(&t, &root, "readers").await;
    attach(&t, &root, EntityKind::Group, "readers", READ_ONLY).await;
    add_to_group(&t, &root, "readers", "bob").await;
    assert_can_list(&t, &bob, true).await;
    groups::remove_user_from_group(&t.iam, &root, "readers", "bob")
        .await
        .unwrap();
    assert_can_list(&t, &bob, false).await;
    add_to_group(&t, &root, "readers", "bob").await;
    assert_can_list(&t, &bob, true).await;
    detach(&t, &root, EntityKind::Group, "readers", READ_ONLY).await;
    assert_can_list(&t, &bob, false).await;
    put_inline(
        &t,
        &root,
        EntityKind::Group,
        "readers",
        "list",
        &allow("iam:ListUsers", "*"),
    )
    .await;
    assert_can_list(&t, &bob, true).await;
    groups::delete_group_and_dependents(&t.iam, &root, "readers")
        .await
        .unwrap();
    assert_can_list(&t, &bob, false).await;
}

#[tokio::test]
async fn boundary_changes_take_effect_on_the_next_call() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    attach(&t, &root, EntityKind::User, "bob", READ_ONLY).await;
    let only_get = managed_policy(&t, &root, "OnlyGet", &allow("iam:GetUser", "*")).await;
    boundaries::put_boundary(&t.iam, &root, EntityKind::User, "bob", &only_get)
        .await
        .unwrap();
    let cut = format!("User: {BOB} is not authorized to perform: iam:ListUsers on resource: {USERS} because no permissions boundary allows the iam:ListUsers action");
    assert_error(list_users(&t, &bob).await, "AccessDenied", &cut);
    // Editing the boundary policy itself counts too.
    policies::create_policy_version(&t.iam, &root, &only_get, &allow("iam:*", "*"), true)
        .await
        .unwrap();
    assert_can_list(&t, &bob, true).await;
    policies::set_default_policy_version(&t.iam, &root, &only_get, "v1")
        .await
        .unwrap();
    assert_error(list_users(&t, &bob).await, "AccessDenied", &cut);
    boundaries::delete_boundary(&t.iam, &root, EntityKind::User, "bob")
        .await
        .unwrap();
    assert_can_list(&t, &bob, true).await;
}

#[tokio::test]
async fn inline_edits_tags_and_deletion_take_effect_on_the_next_call() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    put_user_policy(&t, &root, "bob", "p", &allow("iam:ListUsers", "*")).await;
    assert_can_list(&t, &bob, true).await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "p",
        &statement("Deny", "iam:ListUsers", "*"),
    )
    .await;
    assert_error(
        list_users(&t, &bob).await,
        "AccessDenied",
        &format!("User: {BOB} is not authorized to perform: iam:ListUsers on resource: {USERS} with an explicit deny in an identity-based policy"),
    );
    inline::delete_inline_policy(&t.iam, &root, EntityKind::User, "bob", "p")
        .await
        .unwrap();
    assert_can_list(&t, &bob, false).await;

    // `aws:PrincipalTag` follows the user's tags.
    put_user_policy(
        &t,
        &root,
        "bob",
        "by-tag",
        &condition_policy(
            "iam:ListUsers",
            r#"{"StringEquals":{"aws:PrincipalTag/team":"ops"}}"#,
        ),
    )
    .await;
    assert_can_list(&t, &bob, false).await;
    let ops = Tag {
        key: "team".into(),
        value: "ops".into(),
    };
    tagging::tag(&t.iam, &root, EntityKind::User, "bob", vec![ops])
        .await
        .unwrap();
    assert_can_list(&t, &bob, true).await;
    tagging::untag(&t.iam, &root, EntityKind::User, "bob", vec!["team".into()])
        .await
        .unwrap();
    assert_can_list(&t, &bob, false).await;

    // A deleted user keeps no permissions, even with a live session.
    put_user_policy(&t, &root, "bob", "p", &allow("iam:ListUsers", "*")).await;
    assert_can_list(&t, &bob, true).await;
    users::delete_user_and_dependents(&t.iam, &root, "bob")
        .await
        .unwrap();
    assert_can_list(&t, &bob, false).await;
    // Nor does a new user who takes the name.
    iam_user(&t, &root, "bob").await;
    put_user_policy(&t, &root, "bob", "p", &allow("iam:ListUsers", "*")).await;
    assert_can_list(&t, &bob, false).await;
}

#[tokio::test]
async fn request_context_keys_let_admins_delegate_safely() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let boundary = managed_policy(&t, &root, "Boundary", &allow("s3:*", "*")).await;
    // Bob may create users only with the boundary, and attach only the read-only policy.
    put_user_policy(
        &t,
        &root,
        "bob",
        "create-bounded",
        &condition_policy(
            "iam:CreateUser",
            &format!(r#"{{"StringEquals":{{"iam:PermissionsBoundary":"{boundary}"}}}}"#),
        ),
    )
    .await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "attach-readonly",
        &condition_policy(
            "iam:AttachUserPolicy",
            &format!(r#"{{"ArnEquals":{{"iam:PolicyARN":"{READ_ONLY}"}}}}"#),
        ),
    )
    .await;
    let bounded = users::create_user(
        &t.iam,
        &bob,
        CreateUser {
            permissions_boundary: Some(boundary.clone()),
            ..new_user("carol")
        },
    )
    .await
    .unwrap();
    assert_eq!(
        bounded.permissions_boundary_arn.as_deref(),
        Some(boundary.as_str())
    );
    assert_error(
        users::create_user(&t.iam, &bob, new_user("dave")).await,
        "AccessDenied",
        &no_identity_allows(BOB, "iam:CreateUser", "arn:aws:iam::123456789012:user/dave"),
    );
    // The same for roles.
    put_user_policy(
        &t,
        &root,
        "bob",
        "role-bounded",
        &condition_policy(
            "iam:CreateRole",
            &format!(r#"{{"StringEquals":{{"iam:PermissionsBoundary":"{boundary}"}}}}"#),
        ),
    )
    .await;
    let role = |boundary: Option<String>| {
        CreateRole {
        entity: NewEntity::parse("app", None).unwrap(),
        assume_role_policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
        description: None,
        max_session_duration: None,
        tags: Vec::new(),
        permissions_boundary: boundary,
    }
    };
    assert_error(
        roles::create_role(&t.iam, &bob, role(None)).await,
        "AccessDenied",
        &no_identity_allows(BOB, "iam:CreateRole", "arn:aws:iam::123456789012:role/app"),
    );
    roles::create_role(&t.iam, &bob, role(Some(boundary.clone())))
        .await
        .unwrap();
    attach(&t, &bob, EntityKind::User, "carol", READ_ONLY).await;
    assert_error(
        attachments::attach_policy(&t.iam, &bob, EntityKind::User, "carol", ADMIN).await,
        "AccessDenied",
        &no_identity_allows(BOB, "iam:AttachUserPolicy", "user carol"),
    );
    // Tags on create are authorized as iam:TagUser too.
    put_user_policy(
        &t,
        &root,
        "bob",
        "create-any",
        &allow("iam:CreateUser", "*"),
    )
    .await;
    assert_error(
        users::create_user(
            &t.iam,
            &bob,
            CreateUser {
                tags: vec![Tag {
                    key: "team".into(),
                    value: "ops".into(),
                }],
                ..new_user("erin")
            },
        )
        .await,
        "AccessDenied",
        &no_identity_allows(BOB, "iam:TagUser", "arn:aws:iam::123456789012:user/erin"),
    );
    assert_error(
        users::get_user(&t.iam, &root, Some("erin")).await,
        "NoSuchEntity",
        "The user with name erin cannot be found.",
    );
}

#[tokio::test]
async fn a_rename_needs_permission_on_the_new_name_too() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "p",
        &allow("iam:UpdateUser", "arn:aws:iam::123456789012:user/alice"),
    )
    .await;
    assert_error(
        doors::update_user(&t.iam, &bob, "alice", Some("alicia"), None).await,
        "AccessDenied",
        &no_identity_allows(
            BOB,
            "iam:UpdateUser",
            "arn:aws:iam::123456789012:user/alicia",
        ),
    );
    users::get_user(&t.iam, &root, Some("alice")).await.unwrap();
    put_user_policy(
        &t,
        &root,
        "bob",
        "q",
        &allow("iam:UpdateUser", "arn:aws:iam::123456789012:user/alicia"),
    )
    .await;
    doors::update_user(&t.iam, &bob, "alice", Some("alicia"), None)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_denied_step_rolls_back_the_whole_composite_delete() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let (alice, _) = iam_user(&t, &root, "alice").await;
    put_user_policy(&t, &root, "alice", "inline", &allow("s3:*", "*")).await;
    attach(&t, &root, EntityKind::User, "alice", READ_ONLY).await;
    create_group(&t, &root, "ops").await;
    add_to_group(&t, &root, "ops", "alice").await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "almost",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:DeleteUser","iam:DeleteUserPolicy","iam:DetachUserPolicy"],"Resource":"*"}]}"#,
    )
    .await;
    let before = audit_events(&t, ACCOUNT).await.len();
    assert_error(
        users::delete_user_and_dependents(&t.iam, &bob, "alice").await,
        "AccessDenied",
        &no_identity_allows(
            BOB,
            "iam:RemoveUserFromGroup",
            "arn:aws:iam::123456789012:group/ops",
        ),
    );
    let still = users::get_user(&t.iam, &root, Some("alice")).await.unwrap();
    assert_eq!(still.user_id, alice.user_id);
    assert_eq!(
        inline::list_inline_policies(&t.iam, &root, EntityKind::User, "alice")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        attachments::list_attached_policies(&t.iam, &root, EntityKind::User, "alice")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        groups::list_groups_for_user(&t.iam, &root, "alice")
            .await
            .unwrap()
            .len(),
        1
    );
    // One record: the denied step, naming the action and resource that were refused.
    let events = audit_events(&t, ACCOUNT).await;
    let denial = &events[before];
    assert_eq!(
        (
            denial.action.as_str(),
            denial.resource_arn.as_str(),
            denial.principal_arn.as_str(),
            denial.result.as_str()
        ),
        (
            "iam:RemoveUserFromGroup",
            "arn:aws:iam::123456789012:group/ops",
            BOB,
            "AccessDenied"
        )
    );
    assert!(
        events[before + 1..].iter().all(|e| e.principal_arn != BOB),
        "nothing bob did succeeded"
    );

    // With the missing permission, the same call removes everything.
    put_user_policy(
        &t,
        &root,
        "bob",
        "rest",
        &allow("iam:RemoveUserFromGroup", "*"),
    )
    .await;
    users::delete_user_and_dependents(&t.iam, &bob, "alice")
        .await
        .unwrap();
    let events = audit_events(&t, ACCOUNT).await;
    let mut bob_successes: Vec<&str> = events
        .iter()
        .filter(|e| e.principal_arn == BOB && e.result == "Success")
        .map(|e| e.action.as_str())
        .collect();
    bob_successes.sort();
    assert_eq!(
        bob_successes,
        [
            "iam:DeleteUser",
            "iam:DeleteUserPolicy",
            "iam:DetachUserPolicy",
            "iam:RemoveUserFromGroup"
        ]
    );
}

#[tokio::test]
async fn an_iam_user_never_acts_on_another_accounts_resources() {
    let (t, root) = with_root().await;
    let other_root = account(&t, OTHER_ACCOUNT).await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    attach(&t, &root, EntityKind::User, "bob", ADMIN).await;
    let theirs = managed_policy(&t, &other_root, "Theirs", &allow("s3:*", "*")).await;
    users::create_user(&t.iam, &other_root, new_user("carol"))
        .await
        .unwrap();

    let reason = "because the resource is in another account";
    assert_error(
        policies::get_policy(&t.iam, &bob, &theirs).await,
        "AccessDenied",
        &format!("User: {BOB} is not authorized to perform: iam:GetPolicy on resource: {theirs} {reason}"),
    );
    // Not even the root user reaches into another account.
    assert_error(
        policies::get_policy(&t.iam, &root, &theirs).await,
        "AccessDenied",
        &format!("User: arn:aws:iam::123456789012:root is not authorized to perform: iam:GetPolicy on resource: {theirs} {reason}"),
    );
    assert_error(
        policies::create_policy_version(&t.iam, &bob, &theirs, &allow("*", "*"), true).await,
        "AccessDenied",
        &format!("User: {BOB} is not authorized to perform: iam:CreatePolicyVersion on resource: {theirs} {reason}"),
    );
    assert_error(
        attachments::attach_policy(&t.iam, &bob, EntityKind::User, "bob", &theirs).await,
        "NoSuchEntity",
        &format!("Policy {theirs} does not exist or is not attachable."),
    );
    // Names resolve in the caller's own account only.
    assert_error(
        users::get_user(&t.iam, &bob, Some("carol")).await,
        "NoSuchEntity",
        "The user with name carol cannot be found.",
    );
    let listed = users::list_users(&t.iam, &bob, list_all()).await.unwrap();
    assert_eq!(
        listed
            .items
            .iter()
            .map(|u| u.user_name.as_str())
            .collect::<Vec<_>>(),
        ["bob"]
    );
    let answers = permissions::check_actions(
        &t.iam,
        &bob,
        &[(
            Op::by_action("iam:DeleteUser").unwrap(),
            "arn:aws:iam::210987654321:user/carol".to_string(),
        )],
    )
    .await
    .unwrap();
    assert_eq!(
        answers[0].as_deref(),
        Some(format!("User: {BOB} is not authorized to perform: iam:DeleteUser on resource: arn:aws:iam::210987654321:user/carol {reason}").as_str())
    );
    // Usage counts of an AWS managed policy are per account.
    attach(&t, &other_root, EntityKind::User, "carol", ADMIN).await;
    assert_eq!(
        policies::get_policy(&t.iam, &bob, ADMIN)
            .await
            .unwrap()
            .attachment_count,
        1
    );
    let entities = policies::list_entities_for_policy(&t.iam, &bob, ADMIN)
        .await
        .unwrap();
    assert_eq!(
        entities
            .users
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>(),
        ["bob"]
    );
    // The other account's policy is untouched.
    assert_eq!(
        policies::list_policy_versions(&t.iam, &other_root, &theirs)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_principal_whose_user_belongs_to_another_account_gets_nothing() {
    let (t, root) = with_root().await;
    let other_root = account(&t, OTHER_ACCOUNT).await;
    // An administrator in the other account ...
    let (theirs, their_bob) = iam_user(&t, &other_root, "bob").await;
    attach(&t, &other_root, EntityKind::User, "bob", ADMIN).await;
    // Their set is cached, and this account's generation is made to match theirs.
    list_users(&t, &their_bob).await.unwrap();
    let generation = |account: &'static str| {
        let iam = t.iam.clone();
        async move {
            store::accounts::authz_generation(iam.store().reader(), account)
                .await
                .unwrap()
        }
    };
    while generation(ACCOUNT).await < generation(OTHER_ACCOUNT).await {
        store::accounts::bump_authz_generation(t.iam.store().writer(), ACCOUNT)
            .await
            .unwrap();
    }
    assert_eq!(generation(ACCOUNT).await, generation(OTHER_ACCOUNT).await);
    // ... presented as a principal of this account must not bring its policies along.
    let forged = Caller::local(Principal::user(
        root.account_id().clone(),
        &theirs.user_id,
        "bob",
        "/",
    ));
    assert_error(
        users::create_user(&t.iam, &forged, new_user("mallory")).await,
        "AccessDenied",
        &no_identity_allows(
            BOB,
            "iam:CreateUser",
            "arn:aws:iam::123456789012:user/mallory",
        ),
    );
    assert_error(
        list_users(&t, &forged).await,
        "AccessDenied",
        &no_identity_allows(BOB, "iam:ListUsers", USERS),
    );
}

#[tokio::test]
async fn a_denied_step_rolls_back_delete_policy_everywhere() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    let arn = attach_document(
        &t,
        &root,
        EntityKind::User,
        "alice",
        "P",
        &allow("s3:*", "*"),
    )
    .await;
    create_group(&t, &root, "ops").await;
    attach(&t, &root, EntityKind::Group, "ops", &arn).await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "p",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:DeletePolicy","iam:DetachUserPolicy"],"Resource":"*"}]}"#,
    )
    .await;
    assert_error(
        policies::delete_policy_everywhere(&t.iam, &bob, &arn).await,
        "AccessDenied",
        &no_identity_allows(
            BOB,
            "iam:DetachGroupPolicy",
            "arn:aws:iam::123456789012:group/ops",
        ),
    );
    let kept = policies::get_policy(&t.iam, &root, &arn).await.unwrap();
    assert_eq!(kept.attachment_count, 2);
}

#[tokio::test]
async fn a_caller_without_permission_cannot_probe_which_names_exist() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    // No permissions at all: existing and missing names read the same.
    for name in ["alice", "nobody"] {
        let error = users::get_user(&t.iam, &bob, Some(name)).await.unwrap_err();
        assert_eq!(error.code(), "AccessDenied", "{name}: {error}");
    }
    // With permission, a missing name is simply not found.
    attach_document(
        &t,
        &root,
        EntityKind::User,
        "bob",
        "read",
        &allow("iam:GetUser", "*"),
    )
    .await;
    let error = users::get_user(&t.iam, &bob, Some("nobody"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "NoSuchEntity");
    assert_eq!(
        error.to_string(),
        "The user with name nobody cannot be found."
    );
}

#[tokio::test]
async fn moving_a_user_to_another_path_needs_permission_on_the_new_arn() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    attach_document(
        &t,
        &root,
        EntityKind::User,
        "bob",
        "move-within-staff",
        &allow("iam:UpdateUser", "arn:aws:iam::123456789012:user/alice"),
    )
    .await;
    let error = doors::update_user(&t.iam, &bob, "alice", None, Some("/contractors/"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "AccessDenied");
    assert!(
        error.to_string().contains("user/contractors/alice"),
        "{error}"
    );
}

#[tokio::test]
async fn the_composite_delete_needs_leave_to_delete_the_users_mfa_device() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    enabled_user_mfa(&t, &root, "alice").await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "all-but-the-device",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Effect":"Deny","Action":"iam:DeleteVirtualMFADevice","Resource":"*"}]}"#,
    )
    .await;
    assert_eq!(
        users::delete_user_and_dependents(&t.iam, &bob, "alice")
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    assert!(user_mfa::user_mfa(&t.iam, &root, Some("alice"))
        .await
        .unwrap()
        .device
        .is_some());
    users::get_user(&t.iam, &root, Some("alice")).await.unwrap();
}
