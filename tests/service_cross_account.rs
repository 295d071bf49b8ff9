//! Service tests for roles across accounts on a real database: AssumeRole into another
//! account's role needs both its trust policy and the caller's own policies; the session acts
//! in the role's account; external IDs, session tags (transitive through chaining), source
//! identity and the one-hour chaining limit hold as on AWS; GetAccessKeyInfo names a key's
//! account; roles and passwords report their last use.

mod common;

use common::fixtures::tag;
use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::server::service::credentials::access_keys;
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::entities::{users, EntityKind};
use ferriam::server::service::policies::attachments;
use ferriam::server::service::sts::{self, AssumeRole};
use ferriam::server::service::Caller;

const SHARED_ROLE: &str = "arn:aws:iam::210987654321:role/shared";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";

fn trust(principal: &str, actions: &str, condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":{actions}{condition}}}]}}"#
    )
}

/// The other account's role `name`, trusting as given, allowed to read everything.
async fn other_role(t: &TestIam, other_root: &Caller, name: &str, trust_policy: String) {
    roles::create_role(
        &t.iam,
        other_root,
        CreateRole {
            entity: NewEntity::parse(name, None).unwrap(),
            assume_role_policy_document: trust_policy,
            description: None,
            max_session_duration: Some(43_200),
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
    .expect("create role");
    attachments::attach_policy(&t.iam, other_root, EntityKind::Role, name, READ_ONLY)
        .await
        .expect("attach");
}

fn assume(role_arn: &str, session: &str) -> AssumeRole {
    AssumeRole {
        role_arn: role_arn.into(),
        role_session_name: session.into(),
        ..AssumeRole::default()
    }
}

/// The caller temporary credentials act as, as the Query API would rebuild it.
async fn session_caller(t: &TestIam, credentials: &sts::Credentials) -> Caller {
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

/// Two accounts: `ACCOUNT`'s user bob, and `OTHER_ACCOUNT`'s root.
async fn two_accounts() -> (TestIam, Caller, Caller, Caller) {
    let (t, root) = with_root().await;
    let other_root = account(&t, OTHER_ACCOUNT).await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    (t, root, other_root, bob)
}

async fn denied(t: &TestIam, caller: &Caller, input: AssumeRole) -> String {
    let error = sts::assume_role(&t.iam, caller, input).await.unwrap_err();
    assert_eq!(error.code(), "AccessDenied", "{error:?}");
    error.public_message()
}

#[tokio::test]
async fn another_accounts_role_needs_its_trust_and_the_callers_own_permission() {
    let (t, root, other_root, bob) = two_accounts().await;
    // The other account trusts bob by name; bob's account has not yet let him assume it.
    other_role(
        &t,
        &other_root,
        "shared",
        trust(
            "arn:aws:iam::123456789012:user/bob",
            r#""sts:AssumeRole""#,
            "",
        ),
    )
    .await;
    let message = denied(&t, &bob, assume(SHARED_ROLE, "s1")).await;
    assert_eq!(
        message,
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/shared"
    );
    put_user_policy(
        &t,
        &root,
        "bob",
        "assume",
        &allow("sts:AssumeRole", SHARED_ROLE),
    )
    .await;
    let (credentials, user) = sts::assume_role(&t.iam, &bob, assume(SHARED_ROLE, "s2"))
        .await
        .unwrap();
    assert_eq!(user.arn, "arn:aws:sts::210987654321:assumed-role/shared/s2");
    // Audited in the caller's account (DEVIATIONS.md: AWS records it in both).
    let assumed_by_bob = |events: Vec<ferriam::server::store::audit::AuditRow>| {
        events.iter().any(|event| {
            event.action == "sts:AssumeRole"
                && event.result == "Success"
                && event.principal_arn == "arn:aws:iam::123456789012:user/bob"
        })
    };
    assert!(assumed_by_bob(audit_events(&t, ACCOUNT).await));
    assert!(!assumed_by_bob(audit_events(&t, OTHER_ACCOUNT).await));
    // The session is the other account's: it reads there and nowhere else.
    let session = session_caller(&t, &credentials).await;
    assert_eq!(session.account_id().as_str(), OTHER_ACCOUNT);
    let identity = sts::get_caller_identity(&t.iam, &session).await.unwrap();
    assert_eq!(identity.account, OTHER_ACCOUNT);
    assert!(users::list_users(&t.iam, &session, Default::default())
        .await
        .is_ok());
    assert_eq!(
        users::get_user(&t.iam, &session, Some("bob"))
            .await
            .unwrap_err()
            .code(),
        "NoSuchEntity",
        "bob is not a user of the role's account"
    );

    // The caller's own permission alone is not enough: the role must trust it.
    other_role(
        &t,
        &other_root,
        "private",
        trust("arn:aws:iam::210987654321:root", r#""sts:AssumeRole""#, ""),
    )
    .await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "assume-any",
        &allow("sts:AssumeRole", "*"),
    )
    .await;
    denied(
        &t,
        &bob,
        assume("arn:aws:iam::210987654321:role/private", "s3"),
    )
    .await;
    // A deny in the caller's own account wins over the other account's trust.
    put_user_policy(
        &t,
        &root,
        "bob",
        "deny",
        &statement("Deny", "sts:AssumeRole", SHARED_ROLE),
    )
    .await;
    denied(&t, &bob, assume(SHARED_ROLE, "s4")).await;
}

#[tokio::test]
async fn trusting_an_account_delegates_to_its_administrators() {
    let (t, root, other_root, bob) = two_accounts().await;
    let (_, carol) = iam_user(&t, &root, "carol").await;
    for principal in ["123456789012", "arn:aws:iam::123456789012:root"] {
        let name = if principal.starts_with("arn") {
            "by-arn"
        } else {
            "by-id"
        };
        other_role(
            &t,
            &other_root,
            name,
            trust(principal, r#""sts:AssumeRole""#, ""),
        )
        .await;
    }
    put_user_policy(&t, &root, "bob", "assume", &allow("sts:AssumeRole", "*")).await;
    for name in ["by-arn", "by-id"] {
        let arn = format!("arn:aws:iam::210987654321:role/{name}");
        assert!(sts::assume_role(&t.iam, &bob, assume(&arn, "ok"))
            .await
            .is_ok());
        // Carol's account trusts her no further than her own policies: none.
        denied(&t, &carol, assume(&arn, "no")).await;
    }
    // Bob's permissions boundary limits what his account delegates to him.
    let boundary = managed_policy(&t, &root, "no-sts", &allow("iam:*", "*")).await;
    ferriam::server::service::entities::boundaries::put_boundary(
        &t.iam,
        &root,
        EntityKind::User,
        "bob",
        &boundary,
    )
    .await
    .unwrap();
    denied(
        &t,
        &bob,
        assume("arn:aws:iam::210987654321:role/by-id", "bounded"),
    )
    .await;
}

#[tokio::test]
async fn an_external_id_guards_a_role_against_the_confused_deputy() {
    let (t, root, other_root, bob) = two_accounts().await;
    other_role(
        &t,
        &other_root,
        "shared",
        trust(
            "123456789012",
            r#""sts:AssumeRole""#,
            r#","Condition":{"StringEquals":{"sts:ExternalId":"tenant-7"}}"#,
        ),
    )
    .await;
    put_user_policy(&t, &root, "bob", "assume", &allow("sts:AssumeRole", "*")).await;
    for external_id in [None, Some("tenant-8")] {
        let mut input = assume(SHARED_ROLE, "deputy");
        input.external_id = external_id.map(str::to_string);
        denied(&t, &bob, input).await;
    }
    let mut input = assume(SHARED_ROLE, "deputy");
    input.external_id = Some("tenant-7".into());
    assert!(sts::assume_role(&t.iam, &bob, input).await.is_ok());
}

/// A role of the other account that trusts `ACCOUNT` for AssumeRole, session tags and source
/// identity, and may assume the other account's roles itself.
async fn chain_of_roles(t: &TestIam, other_root: &Caller) {
    let everything = r#"["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]"#;
    other_role(
        t,
        other_root,
        "shared",
        trust("123456789012", everything, ""),
    )
    .await;
    other_role(t, other_root, "next", trust("210987654321", everything, "")).await;
    other_role(
        t,
        other_root,
        "no-tags",
        trust("210987654321", r#""sts:AssumeRole""#, ""),
    )
    .await;
    put_inline(
        t,
        other_root,
        EntityKind::Role,
        "shared",
        "chain",
        &allow("sts:*", "*"),
    )
    .await;
}

#[tokio::test]
async fn session_tags_are_checked_and_transitive_ones_follow_the_chain() {
    let (t, root, other_root, bob) = two_accounts().await;
    chain_of_roles(&t, &other_root).await;
    put_user_policy(&t, &root, "bob", "assume", &allow("sts:AssumeRole", "*")).await;
    let mut tagged = assume(SHARED_ROLE, "tagged");
    tagged.tags = vec![tag("Project", "blue"), tag("Team", "ops")];
    tagged.transitive_tag_keys = vec!["Project".into()];
    // Bob's own policies must allow tagging the session too: it is another account's role.
    denied(&t, &bob, tagged.clone()).await;
    put_user_policy(&t, &root, "bob", "tag", &allow("sts:TagSession", "*")).await;
    let (credentials, _) = sts::assume_role(&t.iam, &bob, tagged).await.unwrap();
    let first = session_caller(&t, &credentials).await;
    assert_eq!(first.session_tags.get("team"), Some("ops"));

    let (credentials, _) = sts::assume_role(
        &t.iam,
        &first,
        assume("arn:aws:iam::210987654321:role/next", "hop"),
    )
    .await
    .unwrap();
    let hop = session_caller(&t, &credentials).await;
    assert_eq!(hop.session_tags.get("Project"), Some("blue"));
    assert_eq!(hop.session_tags.get("Team"), None, "not transitive");

    // The inherited tag is a session tag: a role whose trust does not allow tagging refuses it.
    denied(
        &t,
        &first,
        assume("arn:aws:iam::210987654321:role/no-tags", "hop2"),
    )
    .await;
    // Nor may the next hop set it again.
    let mut overriding = assume("arn:aws:iam::210987654321:role/next", "hop3");
    overriding.tags = vec![tag("project", "red")];
    assert_error(
        sts::assume_role(&t.iam, &first, overriding).await,
        "InvalidParameterValue",
        "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
    );
    let mut stray = assume(SHARED_ROLE, "stray");
    stray.tags = vec![tag("a", "1")];
    stray.transitive_tag_keys = vec!["b".into()];
    assert_error(
        sts::assume_role(&t.iam, &bob, stray).await,
        "InvalidParameterValue",
        "The specified transitive tag key must be included in the requested tags.",
    );
}

#[tokio::test]
async fn a_source_identity_needs_leave_to_be_set_and_is_never_changed() {
    let (t, root, other_root, bob) = two_accounts().await;
    chain_of_roles(&t, &other_root).await;
    put_user_policy(&t, &root, "bob", "assume", &allow("sts:AssumeRole", "*")).await;
    let mut with_identity = assume(SHARED_ROLE, "alice");
    with_identity.source_identity = Some("alice@example.com".into());
    denied(&t, &bob, with_identity.clone()).await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "identity",
        &allow("sts:SetSourceIdentity", "*"),
    )
    .await;
    let (credentials, _) = sts::assume_role(&t.iam, &bob, with_identity).await.unwrap();
    let first = session_caller(&t, &credentials).await;
    assert_eq!(
        first.session_tags.source_identity.as_deref(),
        Some("alice@example.com")
    );

    let next = "arn:aws:iam::210987654321:role/next";
    let (credentials, _) = sts::assume_role(&t.iam, &first, assume(next, "kept"))
        .await
        .unwrap();
    let hop = session_caller(&t, &credentials).await;
    assert_eq!(
        hop.session_tags.source_identity.as_deref(),
        Some("alice@example.com")
    );
    let mut changed = assume(next, "changed");
    changed.source_identity = Some("mallory".into());
    assert_error(
        sts::assume_role(&t.iam, &hop, changed).await,
        "InvalidParameterValue",
        "The source identity of the calling session cannot be changed.",
    );
    // A role whose trust does not allow a source identity cannot be reached with one.
    denied(
        &t,
        &first,
        assume("arn:aws:iam::210987654321:role/no-tags", "kept"),
    )
    .await;
    // The audit log records who was behind the session's requests.
    t.iam.audit().flush().await;
    let events = audit_events(&t, OTHER_ACCOUNT).await;
    assert!(events.iter().any(|event| event.principal_arn
        == "arn:aws:sts::210987654321:assumed-role/shared/alice"
        && event
            .details
            .as_deref()
            .is_some_and(|details| details.contains("alice@example.com"))));
}

#[tokio::test]
async fn role_chaining_is_limited_to_one_hour() {
    let (t, root, other_root, bob) = two_accounts().await;
    chain_of_roles(&t, &other_root).await;
    put_user_policy(&t, &root, "bob", "assume", &allow("sts:AssumeRole", "*")).await;
    let mut long = assume(SHARED_ROLE, "long");
    long.duration_seconds = Some(7_200);
    let (credentials, _) = sts::assume_role(&t.iam, &bob, long).await.unwrap();
    let first = session_caller(&t, &credentials).await;
    let mut chained = assume("arn:aws:iam::210987654321:role/next", "chained");
    chained.duration_seconds = Some(3_601);
    assert_error(
        sts::assume_role(&t.iam, &first, chained.clone()).await,
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
    chained.duration_seconds = Some(3_600);
    assert!(sts::assume_role(&t.iam, &first, chained).await.is_ok());
}

#[tokio::test]
async fn get_access_key_info_names_the_account_of_long_term_and_temporary_keys() {
    let (t, root, other_root, bob) = two_accounts().await;
    put_user_policy(
        &t,
        &root,
        "bob",
        "info",
        &allow("sts:GetAccessKeyInfo", "*"),
    )
    .await;
    let key = access_keys::create_access_key(&t.iam, &other_root, None)
        .await
        .unwrap();
    assert_eq!(
        sts::get_access_key_info(&t.iam, &bob, &key.access_key_id)
            .await
            .unwrap(),
        OTHER_ACCOUNT
    );
    let (credentials, _) = {
        chain_of_roles(&t, &other_root).await;
        put_user_policy(&t, &root, "bob", "assume", &allow("sts:AssumeRole", "*")).await;
        sts::assume_role(&t.iam, &bob, assume(SHARED_ROLE, "info"))
            .await
            .unwrap()
    };
    assert_eq!(
        sts::get_access_key_info(&t.iam, &bob, &credentials.access_key_id)
            .await
            .unwrap(),
        OTHER_ACCOUNT
    );
    assert_error(
        sts::get_access_key_info(&t.iam, &bob, "AKIAAAAAAAAAAAAAAAAA").await,
        "InvalidParameterValue",
        "The specified access key ID does not exist.",
    );
    assert_eq!(
        sts::get_access_key_info(&t.iam, &bob, "short")
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );
    // An ordinary action: a deny takes it away.
    put_user_policy(
        &t,
        &root,
        "bob",
        "no-info",
        &statement("Deny", "sts:GetAccessKeyInfo", "*"),
    )
    .await;
    assert_eq!(
        sts::get_access_key_info(&t.iam, &bob, &key.access_key_id)
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
}

#[tokio::test]
async fn a_role_reports_when_its_sessions_were_last_used() {
    let (t, root) = with_root().await;
    roles::create_role(
        &t.iam,
        &root,
        CreateRole {
            entity: NewEntity::parse("worker", None).unwrap(),
            assume_role_policy_document: trust("123456789012", r#""sts:AssumeRole""#, ""),
            description: None,
            max_session_duration: None,
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
    .unwrap();
    let role = roles::get_role(&t.iam, &root, "worker").await.unwrap();
    assert_eq!(role.last_used, None);
    let role_id = role.role_id.clone();
    roles::record_role_use(&t.iam, &role_id, "eu-west-1")
        .await
        .unwrap();
    let used = roles::get_role(&t.iam, &root, "worker")
        .await
        .unwrap()
        .last_used
        .expect("recorded");
    assert_eq!(used.region, "eu-west-1");
    assert_eq!(used.date, t.clock.now_millis());
    // Within the interval a later use changes nothing; after it, it is recorded.
    t.clock.advance_millis(60_000);
    roles::record_role_use(&t.iam, &role_id, "us-east-1")
        .await
        .unwrap();
    let same = roles::get_role(&t.iam, &root, "worker").await.unwrap();
    assert_eq!(same.last_used.unwrap().region, "eu-west-1");
    t.clock
        .advance_millis(roles::ROLE_USE_RECORD_INTERVAL_MILLIS);
    roles::record_role_use(&t.iam, &role_id, "us-east-1")
        .await
        .unwrap();
    let later = roles::get_role(&t.iam, &root, "worker").await.unwrap();
    assert_eq!(later.last_used.unwrap().region, "us-east-1");
}

#[tokio::test]
async fn a_user_reports_when_it_last_signed_in_with_its_password() {
    let (t, root) = with_root().await;
    user_with_password(&t, &root, "dana", "A long enough password 1!").await;
    let before = users::get_user(&t.iam, &root, Some("dana")).await.unwrap();
    assert_eq!(before.password_last_used, None);
    t.clock.advance_millis(5_000);
    let signed_in = ferriam::server::service::signin::sign_in_user(
        &t.iam,
        &ferriam::server::service::RequestInfo::default(),
        ACCOUNT,
        "dana",
        "A long enough password 1!",
    )
    .await;
    assert!(signed_in.is_ok(), "{signed_in:?}");
    let after = users::get_user(&t.iam, &root, Some("dana")).await.unwrap();
    assert_eq!(after.password_last_used, Some(t.clock.now_millis()));
    let listed = users::list_users(&t.iam, &root, Default::default())
        .await
        .unwrap();
    assert_eq!(listed.items[0].password_last_used, after.password_last_used);
}

#[tokio::test]
async fn a_federated_users_credentials_assume_no_role() {
    use ferriam::server::service::federation::federation_token::{self, GetFederationToken};
    let (t, root, other_root, bob) = two_accounts().await;
    other_role(
        &t,
        &other_root,
        "shared",
        trust("123456789012", r#""sts:AssumeRole""#, ""),
    )
    .await;
    put_user_policy(&t, &root, "bob", "all", &allow("sts:*", "*")).await;
    let federated = federation_token::get_federation_token(
        &t.iam,
        &bob,
        GetFederationToken {
            name: "broker".into(),
            policy: Some(allow("sts:AssumeRole", "*")),
            policy_arns: Vec::new(),
            duration_seconds: None,
            tags: Vec::new(),
        },
    )
    .await
    .unwrap();
    let session = session_caller(&t, &federated.credentials).await;
    let message = denied(&t, &session, assume(SHARED_ROLE, "hop")).await;
    assert!(
        message.contains("because credentials from GetFederationToken can call no STS operation but GetCallerIdentity"),
        "{message}"
    );
}
