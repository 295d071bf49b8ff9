//! Service tests for who a trust policy trusts and what temporary credentials may do: IAM users
//! and roles named in `Principal` are kept by unique ID (deleted → shown as the ID and trusted no
//! more; a new entity of the same name is not trusted; an unknown principal is refused), a
//! deleted role's sessions have no permissions, credentials from GetSessionToken keep AWS's
//! limits, and `aws:TokenIssueTime` and `aws:ResourceTag/*` are set for every request.

mod common;

use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::server::service::authorization::{authorize, RequestContext};
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::entities::tagging;
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::sts::{self, AssumeRole};
use ferriam::server::service::{entities::users, Caller};

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const NEW_USER: &str = "arn:aws:iam::123456789012:user/new";

fn trusting(principal: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

async fn create_role(
    t: &TestIam,
    root: &Caller,
    name: &str,
    path: Option<&str>,
    trust: String,
) -> Result<ferriam::domain::iam_models::Role, ferriam::server::service::ServiceError> {
    roles::create_role(
        &t.iam,
        root,
        CreateRole {
            entity: NewEntity::parse(name, path).unwrap(),
            assume_role_policy_document: trust,
            description: None,
            max_session_duration: None,
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
}

/// An administrator role `name` trusting `principal`.
async fn admin_role(t: &TestIam, root: &Caller, name: &str, path: Option<&str>, principal: &str) {
    create_role(t, root, name, path, trusting(principal))
        .await
        .expect("create role");
    steps::attach(t, root, EntityKind::Role, name, ADMIN).await;
}

fn assume(role_arn: &str, session: &str) -> AssumeRole {
    AssumeRole {
        role_arn: role_arn.into(),
        role_session_name: session.into(),
        ..AssumeRole::default()
    }
}

/// The caller temporary credentials act as, as the Query API rebuilds it.
async fn caller_of(t: &TestIam, credentials: &sts::Credentials) -> Caller {
    sts::temporary_key(
        &t.iam,
        &credentials.access_key_id,
        Some(&credentials.session_token),
    )
    .await
    .unwrap()
    .expect("valid temporary credentials")
    .caller
}

async fn may(t: &TestIam, caller: &Caller, action: &str, resource: &str) -> bool {
    authorize(&t.iam, caller, action, resource, &RequestContext::default())
        .await
        .is_ok()
}

#[tokio::test]
async fn a_trusted_user_is_kept_by_id_so_a_new_user_of_its_name_is_not_trusted() {
    let (t, root) = with_root().await;
    let (alice, old_alice) = iam_user(&t, &root, "alice").await;
    let alice_arn = "arn:aws:iam::123456789012:user/alice";
    admin_role(&t, &root, "deployer", None, alice_arn).await;
    let role_arn = "arn:aws:iam::123456789012:role/deployer";

    // Stored by ID, shown by the ARN while alice exists.
    let stored: (String,) =
        sqlx::query_as("SELECT assume_role_policy FROM roles WHERE name = 'deployer'")
            .fetch_one(t.iam.store().reader())
            .await
            .unwrap();
    assert!(stored.0.contains(&alice.user_id), "{}", stored.0);
    assert!(!stored.0.contains(alice_arn), "{}", stored.0);
    let shown = roles::get_role(&t.iam, &root, "deployer").await.unwrap();
    assert_eq!(shown.assume_role_policy_document, trusting(alice_arn));
    assert!(sts::assume_role(&t.iam, &old_alice, assume(role_arn, "s1"))
        .await
        .is_ok());

    // Deleted: the trust policy shows her ID, and a new alice is not trusted.
    users::delete_user(&t.iam, &root, "alice").await.unwrap();
    let shown = roles::get_role(&t.iam, &root, "deployer").await.unwrap();
    assert_eq!(shown.assume_role_policy_document, trusting(&alice.user_id));
    let listed = roles::list_roles(
        &t.iam,
        &root,
        roles::ListRoles {
            path_prefix: None,
            name_prefix: None,
            marker: None,
            max_items: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        listed.items[0].assume_role_policy_document,
        trusting(&alice.user_id)
    );
    let (_, new_alice) = iam_user(&t, &root, "alice").await;
    assert_error(
        sts::assume_role(&t.iam, &new_alice, assume(role_arn, "s2")).await,
        "AccessDenied",
        &format!("User: {alice_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"),
    );
    // Naming the new alice again trusts her (and shows her ARN).
    roles::update_assume_role_policy(&t.iam, &root, "deployer", &trusting(alice_arn))
        .await
        .unwrap();
    assert!(sts::assume_role(&t.iam, &new_alice, assume(role_arn, "s3"))
        .await
        .is_ok());
    let shown = roles::get_role(&t.iam, &root, "deployer").await.unwrap();
    assert_eq!(shown.assume_role_policy_document, trusting(alice_arn));
}

#[tokio::test]
async fn a_principal_that_does_not_exist_is_refused_and_nothing_changes() {
    let (t, root) = with_root().await;
    let (_, _bob) = iam_user(&t, &root, "bob").await;
    for principal in [
        "arn:aws:iam::123456789012:user/nobody",
        "arn:aws:iam::123456789012:role/nobody",
        // Bob exists, but not on this path.
        "arn:aws:iam::123456789012:user/team/bob",
        "AIDAAAAAAAAAAAAAAAAAA",
    ] {
        assert_error(
            create_role(&t, &root, "r", None, trusting(principal)).await,
            "MalformedPolicyDocument",
            &format!("Invalid principal in policy: \"AWS\":\"{principal}\""),
        );
    }
    assert!(roles::get_role(&t.iam, &root, "r").await.is_err());
    // A role may not trust itself into being: it does not exist yet.
    assert_error(
        create_role(
            &t,
            &root,
            "selfish",
            None,
            trusting("arn:aws:iam::123456789012:role/selfish"),
        )
        .await,
        "MalformedPolicyDocument",
        "Invalid principal in policy: \"AWS\":\"arn:aws:iam::123456789012:role/selfish\"",
    );
    // An update naming nobody keeps the trust policy as it was.
    admin_role(&t, &root, "r", None, "arn:aws:iam::123456789012:user/bob").await;
    assert_error(
        roles::update_assume_role_policy(
            &t.iam,
            &root,
            "r",
            &trusting("arn:aws:iam::123456789012:user/nobody"),
        )
        .await,
        "MalformedPolicyDocument",
        "Invalid principal in policy: \"AWS\":\"arn:aws:iam::123456789012:user/nobody\"",
    );
    assert_eq!(
        roles::get_role(&t.iam, &root, "r")
            .await
            .unwrap()
            .assume_role_policy_document,
        trusting("arn:aws:iam::123456789012:user/bob")
    );
    // Accounts, the root user and services are not IAM users or roles: kept as written.
    let account_trust = trusting("123456789012");
    create_role(&t, &root, "by-account", None, account_trust.clone())
        .await
        .unwrap();
    assert_eq!(
        roles::get_role(&t.iam, &root, "by-account")
            .await
            .unwrap()
            .assume_role_policy_document,
        account_trust
    );
}

#[tokio::test]
async fn a_deleted_role_s_sessions_have_no_permissions_and_its_name_earns_no_trust() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    admin_role(&t, &root, "r", None, "arn:aws:iam::123456789012:user/bob").await;
    admin_role(&t, &root, "x", None, "arn:aws:iam::123456789012:role/r").await;
    let r_arn = "arn:aws:iam::123456789012:role/r";
    let x_arn = "arn:aws:iam::123456789012:role/x";
    let (credentials, _) = sts::assume_role(&t.iam, &bob, assume(r_arn, "s1"))
        .await
        .unwrap();
    let session = caller_of(&t, &credentials).await;
    assert!(may(&t, &session, "iam:CreateUser", NEW_USER).await);
    assert!(sts::assume_role(&t.iam, &session, assume(x_arn, "chained"))
        .await
        .is_ok());

    roles::delete_role_and_dependents(&t.iam, &root, "r")
        .await
        .unwrap();
    assert!(!may(&t, &session, "iam:CreateUser", NEW_USER).await);
    assert_eq!(
        sts::assume_role(&t.iam, &session, assume(x_arn, "dead"))
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );

    // A new role named r — here on another path, as a user allowed only `role/sandbox/*` could
    // make it — is not the role x trusts: no escalation through the old name.
    admin_role(
        &t,
        &root,
        "r",
        Some("/sandbox/"),
        "arn:aws:iam::123456789012:user/bob",
    )
    .await;
    let (credentials, _) = sts::assume_role(
        &t.iam,
        &bob,
        assume("arn:aws:iam::123456789012:role/sandbox/r", "new"),
    )
    .await
    .unwrap();
    let impostor = caller_of(&t, &credentials).await;
    assert_eq!(
        sts::assume_role(&t.iam, &impostor, assume(x_arn, "escalate"))
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
}

#[tokio::test]
async fn credentials_from_get_session_token_call_iam_only_with_mfa_and_of_sts_only_assume_role() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    steps::attach(&t, &root, EntityKind::User, "bob", ADMIN).await;
    admin_role(&t, &root, "r", None, "arn:aws:iam::123456789012:user/bob").await;
    let setup = steps::enabled_user_mfa(&t, &root, "bob").await;
    let seed = fixtures::seed_of(&setup.base32_seed);

    let plain = sts::get_session_token(&t.iam, &bob, None, None, None)
        .await
        .unwrap();
    let plain = caller_of(&t, &plain).await;
    assert_error(
        authorize(&t.iam, &plain, "iam:CreateUser", NEW_USER, &RequestContext::default()).await,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/new because credentials from GetSessionToken can call IAM only when MFA authentication information was included in the GetSessionToken request",
    );
    assert!(!may(&t, &plain, "sts:GetFederationToken", "*").await);
    // AssumeRole is allowed with them.
    assert!(sts::assume_role(
        &t.iam,
        &plain,
        assume("arn:aws:iam::123456789012:role/r", "from-token")
    )
    .await
    .is_ok());

    t.clock.advance_millis(60_000);
    let code = code_for_step(&seed, step_at(t.clock.now_seconds())).unwrap();
    let with_mfa =
        sts::get_session_token(&t.iam, &bob, None, Some(&setup.serial_number), Some(&code))
            .await
            .unwrap();
    let with_mfa = caller_of(&t, &with_mfa).await;
    assert!(may(&t, &with_mfa, "iam:CreateUser", NEW_USER).await);
    assert!(!may(&t, &with_mfa, "sts:GetFederationToken", "*").await);
    // Bob's own long-term identity is not limited.
    assert!(may(&t, &bob, "iam:CreateUser", NEW_USER).await);
}

#[tokio::test]
async fn a_revocation_policy_on_token_issue_time_ends_older_sessions_only() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    admin_role(&t, &root, "r", None, "arn:aws:iam::123456789012:user/bob").await;
    let role_arn = "arn:aws:iam::123456789012:role/r";
    let (old, _) = sts::assume_role(&t.iam, &bob, assume(role_arn, "old"))
        .await
        .unwrap();
    let old = caller_of(&t, &old).await;
    t.clock.advance_millis(10_000);
    // What the console's "Revoke active sessions" writes: deny every session issued before now.
    let now = time::OffsetDateTime::from_unix_timestamp(t.clock.now_seconds() as i64)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let revoke = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"DateLessThan":{{"aws:TokenIssueTime":"{now}"}}}}}}]}}"#
    );
    steps::put_inline(
        &t,
        &root,
        EntityKind::Role,
        "r",
        "AWSRevokeOlderSessions",
        &revoke,
    )
    .await;
    t.clock.advance_millis(1_000);
    let (new, _) = sts::assume_role(&t.iam, &bob, assume(role_arn, "new"))
        .await
        .unwrap();
    let new = caller_of(&t, &new).await;
    assert!(!may(&t, &old, "iam:CreateUser", NEW_USER).await);
    assert!(may(&t, &new, "iam:CreateUser", NEW_USER).await);
}

#[tokio::test]
async fn a_guardrail_on_resource_tags_protects_tagged_users_and_roles() {
    let (t, root) = with_root().await;
    let (_, admin) = iam_user(&t, &root, "admin").await;
    steps::attach(&t, &root, EntityKind::User, "admin", ADMIN).await;
    let guardrail = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/protected":"true"}}},{"Effect":"Deny","Action":"iam:Delete*","Resource":"*","Condition":{"StringEquals":{"iam:ResourceTag/team":"core"}}}]}"#;
    put_user_policy(&t, &root, "admin", "guardrail", guardrail).await;
    iam_user(&t, &root, "vault").await;
    iam_user(&t, &root, "core").await;
    iam_user(&t, &root, "plain").await;
    tagging::tag(
        &t.iam,
        &root,
        EntityKind::User,
        "vault",
        vec![fixtures::tag("protected", "true")],
    )
    .await
    .unwrap();
    tagging::tag(
        &t.iam,
        &root,
        EntityKind::User,
        "core",
        vec![fixtures::tag("team", "core")],
    )
    .await
    .unwrap();
    admin_role(&t, &root, "vault-role", None, "123456789012").await;
    tagging::tag(
        &t.iam,
        &root,
        EntityKind::Role,
        "vault-role",
        vec![fixtures::tag("protected", "true")],
    )
    .await
    .unwrap();

    let user = |name: &str| format!("arn:aws:iam::123456789012:user/{name}");
    assert!(!may(&t, &admin, "iam:DeleteUser", &user("vault")).await);
    assert!(!may(&t, &admin, "iam:AttachUserPolicy", &user("vault")).await);
    assert!(!may(&t, &admin, "iam:DeleteUser", &user("core")).await);
    assert!(may(&t, &admin, "iam:TagUser", &user("core")).await);
    assert!(may(&t, &admin, "iam:DeleteUser", &user("plain")).await);
    assert!(
        !may(
            &t,
            &admin,
            "iam:DeleteRole",
            "arn:aws:iam::123456789012:role/vault-role"
        )
        .await
    );
    // Through the operation too, not only the check.
    assert_eq!(
        users::delete_user(&t.iam, &admin, "vault")
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    assert!(users::delete_user(&t.iam, &admin, "plain").await.is_ok());
}

#[tokio::test]
async fn trust_policies_stored_by_an_older_release_are_upgraded_to_ids_at_start() {
    let (t, root) = with_root().await;
    let (bob, _) = iam_user(&t, &root, "bob").await;
    admin_role(&t, &root, "r", None, "123456789012").await;
    // As the previous release stored it: ARNs as written, one of them naming nobody.
    let old = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:user/bob","arn:aws:iam::123456789012:user/gone"]},"Action":"sts:AssumeRole"}]}"#.to_string();
    sqlx::query("UPDATE roles SET assume_role_policy = $1 WHERE name = 'r'")
        .bind(&old)
        .execute(t.iam.store().writer())
        .await
        .unwrap();
    t.iam.store().migrate().await.unwrap();
    let stored: (String,) = sqlx::query_as("SELECT assume_role_policy FROM roles WHERE name = 'r'")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(
        stored.0,
        old.replace("arn:aws:iam::123456789012:user/bob", &bob.user_id)
    );
    // People still read it as they wrote it.
    assert_eq!(
        roles::get_role(&t.iam, &root, "r")
            .await
            .unwrap()
            .assume_role_policy_document,
        old
    );
}

#[tokio::test]
async fn a_trust_policy_can_require_the_session_name() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:RoleSessionName":"${aws:username}"}}}]}"#;
    create_role(&t, &root, "named", None, trust.to_string())
        .await
        .unwrap();
    let role_arn = "arn:aws:iam::123456789012:role/named";
    assert!(sts::assume_role(&t.iam, &bob, assume(role_arn, "bob"))
        .await
        .is_ok());
    assert_eq!(
        sts::assume_role(&t.iam, &bob, assume(role_arn, "someone-else"))
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
}
