//! Service tests for STS on a real SQLite database: the caller's identity, session tokens (with
//! and without MFA, expiry, token checks), and AssumeRole decided by the trust policy together
//! with the caller's policies, with session policies, MFA conditions and duration limits.

mod common;

use common::*;
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::server::service::authorize::{authorize, RequestContext};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::roles::{self, CreateRole};
use ferriam::server::service::sts::{self, AssumeRole, TemporaryKeyError};
use ferriam::server::service::{attachments, mfa, users, Caller};

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/deployer";
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

fn trust(principal: &str, condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"{condition}}}]}}"#
    )
}

async fn role(t: &TestIam, root: &Caller, trust_policy: String, max_session: Option<i64>) {
    roles::create_role(
        &t.iam,
        root,
        CreateRole {
            role_name: "deployer".into(),
            path: None,
            assume_role_policy_document: trust_policy,
            description: None,
            max_session_duration: max_session,
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
    .expect("create role");
    attachments::attach_policy(&t.iam, root, EntityKind::Role, "deployer", ADMIN)
        .await
        .expect("attach");
}

fn assume(session: &str) -> AssumeRole {
    AssumeRole {
        role_arn: ROLE_ARN.into(),
        role_session_name: session.into(),
        duration_seconds: None,
        policy: None,
        serial_number: None,
        token_code: None,
    }
}

/// Why the Query API would refuse these credentials with `token`; `None` when it accepts them.
async fn refusal(
    t: &TestIam,
    access_key_id: &str,
    token: Option<&str>,
) -> Option<TemporaryKeyError> {
    sts::temporary_key(&t.iam, access_key_id, token)
        .await
        .unwrap()
        .err()
}

/// The caller temporary credentials act as, as the Query API would rebuild it.
async fn session_caller(t: &TestIam, credentials: &sts::Credentials) -> Caller {
    let key = sts::temporary_key(
        &t.iam,
        &credentials.access_key_id,
        Some(&credentials.session_token),
    )
    .await
    .unwrap()
    .expect("valid temporary credentials");
    assert_eq!(
        key.secret.as_slice(),
        credentials.secret_access_key.as_bytes()
    );
    key.caller
}

#[tokio::test]
async fn get_caller_identity_names_root_users_and_sessions() {
    let (t, root) = with_root().await;
    let (bob_user, bob) = iam_user(&t, &root, "bob").await;
    let me = sts::get_caller_identity(&t.iam, &root).await.unwrap();
    assert_eq!(
        (me.account.as_str(), me.arn.as_str(), me.user_id.as_str()),
        (ACCOUNT, "arn:aws:iam::123456789012:root", ACCOUNT)
    );
    let me = sts::get_caller_identity(&t.iam, &bob).await.unwrap();
    assert_eq!(
        (me.arn.as_str(), me.user_id.as_str()),
        (bob_user.arn.as_str(), bob_user.user_id.as_str())
    );

    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", ""),
        None,
    )
    .await;
    let (credentials, assumed) = sts::assume_role(&t.iam, &bob, assume("ci-run-1"))
        .await
        .unwrap();
    assert!(credentials.access_key_id.starts_with("ASIA"));
    assert_eq!(credentials.access_key_id.len(), 20);
    assert_eq!(credentials.secret_access_key.len(), 40);
    assert_eq!(
        assumed.arn,
        "arn:aws:sts::123456789012:assumed-role/deployer/ci-run-1"
    );
    assert!(
        assumed.assumed_role_id.starts_with("AROA")
            && assumed.assumed_role_id.ends_with(":ci-run-1")
    );
    let session = session_caller(&t, &credentials).await;
    let me = sts::get_caller_identity(&t.iam, &session).await.unwrap();
    assert_eq!((me.arn, me.user_id), (assumed.arn, assumed.assumed_role_id));
}

#[tokio::test]
async fn assume_role_needs_the_trust_policy_and_for_account_trust_the_callers_permission() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    // The trust policy trusts the account: bob's own policies must allow sts:AssumeRole.
    role(&t, &root, trust("arn:aws:iam::123456789012:root", ""), None).await;
    let error = sts::assume_role(&t.iam, &bob, assume("s1"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "AccessDenied");
    assert!(error.to_string().contains("sts:AssumeRole"), "{error}");
    attach_document(
        &t,
        &root,
        EntityKind::User,
        "bob",
        "assume",
        &allow("sts:AssumeRole", ROLE_ARN),
    )
    .await;
    assert!(sts::assume_role(&t.iam, &bob, assume("s1")).await.is_ok());
    // The root user cannot assume roles at all.
    assert_eq!(
        sts::assume_role(&t.iam, &root, assume("root"))
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    // A role of another account, or one that does not exist, is simply denied.
    let mut elsewhere = assume("s2");
    elsewhere.role_arn = "arn:aws:iam::210987654321:role/deployer".into();
    assert_eq!(
        sts::assume_role(&t.iam, &bob, elsewhere)
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    let mut missing = assume("s3");
    missing.role_arn = "arn:aws:iam::123456789012:role/nobody".into();
    assert_eq!(
        sts::assume_role(&t.iam, &bob, missing)
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
}

#[tokio::test]
async fn a_trust_policy_naming_the_user_is_enough_in_the_same_account() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let (_, alice) = iam_user(&t, &root, "alice").await;
    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", ""),
        None,
    )
    .await;
    assert!(sts::assume_role(&t.iam, &bob, assume("bob-session"))
        .await
        .is_ok());
    assert_eq!(
        sts::assume_role(&t.iam, &alice, assume("alice-session"))
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
}

#[tokio::test]
async fn sessions_act_with_the_role_s_policies_cut_by_the_session_policy() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", ""),
        None,
    )
    .await;
    let none = RequestContext::default();
    let new_user = "arn:aws:iam::123456789012:user/new";

    // Bob himself may not create users; the role (AdministratorAccess) may.
    assert!(authorize(&t.iam, &bob, "iam:CreateUser", new_user, &none)
        .await
        .is_err());
    let (credentials, _) = sts::assume_role(&t.iam, &bob, assume("admin"))
        .await
        .unwrap();
    let session = session_caller(&t, &credentials).await;
    authorize(&t.iam, &session, "iam:CreateUser", new_user, &none)
        .await
        .unwrap();

    // A session policy allowing only listing cuts the session down.
    let mut narrow = assume("narrow");
    narrow.policy = Some(allow("iam:List*", "*"));
    let (credentials, _) = sts::assume_role(&t.iam, &bob, narrow).await.unwrap();
    let session = session_caller(&t, &credentials).await;
    authorize(
        &t.iam,
        &session,
        "iam:ListUsers",
        "arn:aws:iam::123456789012:user/",
        &none,
    )
    .await
    .unwrap();
    assert_error(
        authorize(&t.iam, &session, "iam:CreateUser", new_user, &none).await,
        "AccessDenied",
        "User: arn:aws:sts::123456789012:assumed-role/deployer/narrow is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/new because no session policy allows the iam:CreateUser action",
    );
    // Sessions cannot mint session tokens, and role chaining is capped at an hour.
    assert_error(
        sts::get_session_token(&t.iam, &session, None, None, None).await,
        "AccessDenied",
        "Cannot call GetSessionToken with session credentials",
    );
}

#[tokio::test]
async fn durations_session_names_and_session_policies_are_checked() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", ""),
        Some(7_200),
    )
    .await;
    let mut long = assume("long");
    long.duration_seconds = Some(7_201);
    assert_error(
        sts::assume_role(&t.iam, &bob, long).await,
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
    let mut short = assume("short");
    short.duration_seconds = Some(899);
    assert_eq!(
        sts::assume_role(&t.iam, &bob, short)
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );
    let mut ok = assume("two-hours");
    ok.duration_seconds = Some(7_200);
    let (credentials, _) = sts::assume_role(&t.iam, &bob, ok).await.unwrap();
    assert_eq!(credentials.expiration, START_MILLIS + 7_200_000);

    for bad in ["x", "has space", &"n".repeat(65)] {
        assert_eq!(
            sts::assume_role(&t.iam, &bob, assume(bad))
                .await
                .unwrap_err()
                .code(),
            "ValidationError",
            "{bad}"
        );
    }
    let mut malformed = assume("policy");
    malformed.policy = Some("{not json".into());
    assert_eq!(
        sts::assume_role(&t.iam, &bob, malformed)
            .await
            .unwrap_err()
            .code(),
        "MalformedPolicyDocument"
    );
    let mut huge = assume("policy");
    huge.policy = Some(document_of_size(3_000));
    assert_eq!(
        sts::assume_role(&t.iam, &bob, huge)
            .await
            .unwrap_err()
            .code(),
        "PackedPolicyTooLarge"
    );
}

#[tokio::test]
async fn temporary_credentials_expire_and_need_their_own_token() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let credentials = sts::get_session_token(&t.iam, &bob, Some(900), None, None)
        .await
        .unwrap();
    let debugged = format!("{credentials:?}");
    assert!(debugged.contains(&credentials.access_key_id), "{debugged}");
    assert!(!debugged.contains(&credentials.secret_access_key));
    assert!(!debugged.contains(&credentials.session_token));
    let caller = session_caller(&t, &credentials).await;
    assert_eq!(caller.principal, bob.principal);
    assert!(caller.request.mfa_authenticated_at.is_none());
    assert_eq!(
        refusal(&t, &credentials.access_key_id, Some("not-the-token")).await,
        Some(TemporaryKeyError::Invalid)
    );
    assert_eq!(
        refusal(&t, &credentials.access_key_id, None).await,
        Some(TemporaryKeyError::Invalid)
    );
    assert_eq!(
        refusal(&t, "ASIANOSUCHKEY0000000", Some("x")).await,
        Some(TemporaryKeyError::Invalid)
    );
    t.clock.advance_millis(900_000);
    assert_eq!(
        refusal(
            &t,
            &credentials.access_key_id,
            Some(&credentials.session_token)
        )
        .await,
        Some(TemporaryKeyError::Expired)
    );
    // Durations: 900 s up to 36 h for users, one hour for the root user.
    assert_eq!(
        sts::get_session_token(&t.iam, &bob, Some(129_601), None, None)
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );
    assert_eq!(
        sts::get_session_token(&t.iam, &root, Some(3_601), None, None)
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );
    assert!(
        sts::get_session_token(&t.iam, &root, Some(3_600), None, None)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn an_mfa_code_marks_the_session_and_satisfies_mfa_conditions() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let setup = mfa::create_virtual_mfa_device(&t.iam, &root, "bob", None)
        .await
        .unwrap();
    let seed = totp_rs::Secret::try_from_base32(&setup.base32_seed)
        .unwrap()
        .as_bytes()
        .to_vec();
    let code = |offset: i64| {
        code_for_step(
            &seed,
            (step_at(t.clock.now_seconds()) as i64 + offset) as u64,
        )
        .unwrap()
    };
    mfa::enable_mfa_device(
        &t.iam,
        &root,
        Some("bob"),
        &setup.serial_number,
        &code(-1),
        &code(0),
    )
    .await
    .unwrap();

    let mfa_only = r#",
      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#;
    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", mfa_only),
        None,
    )
    .await;
    assert_eq!(
        sts::assume_role(&t.iam, &bob, assume("no-mfa"))
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );

    let mut wrong = assume("wrong-code");
    wrong.serial_number = Some(setup.serial_number.clone());
    wrong.token_code = Some("000000".into());
    assert_error(
        sts::assume_role(&t.iam, &bob, wrong).await,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    );
    let mut with_mfa = assume("with-mfa");
    with_mfa.serial_number = Some(setup.serial_number.clone());
    with_mfa.token_code = Some(code(1));
    let (credentials, _) = sts::assume_role(&t.iam, &bob, with_mfa).await.unwrap();
    assert!(session_caller(&t, &credentials)
        .await
        .request
        .mfa_authenticated_at
        .is_some());

    // GetSessionToken with a code marks its session too; a code is never accepted twice.
    t.clock.advance_millis(60_000);
    let token = sts::get_session_token(
        &t.iam,
        &bob,
        None,
        Some(&setup.serial_number),
        Some(&code(0)),
    )
    .await
    .unwrap();
    assert!(session_caller(&t, &token)
        .await
        .request
        .mfa_authenticated_at
        .is_some());
    assert_eq!(
        sts::get_session_token(
            &t.iam,
            &bob,
            None,
            Some(&setup.serial_number),
            Some(&code(0))
        )
        .await
        .unwrap_err()
        .code(),
        "AccessDenied"
    );
}

#[tokio::test]
async fn session_credentials_follow_their_user_through_a_rename_and_end_with_it() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let credentials = sts::get_session_token(&t.iam, &bob, Some(900), None, None)
        .await
        .unwrap();
    users::update_user(&t.iam, &root, "bob", Some("robert"), Some("/team/"))
        .await
        .unwrap();
    // A new user named bob owes nothing to the credentials of the old one.
    iam_user(&t, &root, "bob").await;
    let caller = session_caller(&t, &credentials).await;
    assert_eq!(
        caller.principal.arn(),
        "arn:aws:iam::123456789012:user/team/robert"
    );
    assert_eq!(caller.principal.user_id(), bob.principal.user_id());

    users::delete_user(&t.iam, &root, "robert").await.unwrap();
    assert_eq!(
        refusal(
            &t,
            &credentials.access_key_id,
            Some(&credentials.session_token)
        )
        .await,
        Some(TemporaryKeyError::Invalid)
    );
}

#[tokio::test]
async fn live_sessions_are_capped_per_principal_and_chains_count_where_they_started() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let (_, carol) = iam_user(&t, &root, "carol").await;
    // The account is trusted: bob (an administrator) and the role's sessions may assume it.
    attachments::attach_policy(&t.iam, &root, EntityKind::User, "bob", ADMIN)
        .await
        .unwrap();
    role(&t, &root, trust("arn:aws:iam::123456789012:root", ""), None).await;
    let cap = sts::MAX_LIVE_SESSIONS_PER_ISSUER;
    assert_eq!(cap, 1_000);
    let mut first = None;
    for _ in 0..cap - 1 {
        let credentials = sts::get_session_token(&t.iam, &bob, Some(900), None, None)
            .await
            .unwrap();
        first.get_or_insert(credentials);
    }
    // The last slot goes to a role session bob's own session asks for...
    let session = session_caller(&t, first.as_ref().unwrap()).await;
    let (chained, _) = sts::assume_role(&t.iam, &session, assume("hop-1"))
        .await
        .unwrap();
    // ...and sessions made from that one count against bob too, whatever their names.
    let hop = session_caller(&t, &chained).await;
    let full = "Cannot exceed quota for live temporary credentials per principal: 1000. Wait for some to expire.";
    assert_error(
        sts::assume_role(&t.iam, &hop, assume("hop-2")).await,
        "LimitExceeded",
        full,
    );
    assert_error(
        sts::get_session_token(&t.iam, &bob, None, None, None).await,
        "LimitExceeded",
        full,
    );
    // Others are not affected.
    assert!(sts::get_session_token(&t.iam, &carol, None, None, None)
        .await
        .is_ok());
    // Once bob's sessions expire (900 s; the role session lasts an hour), he may have more.
    t.clock.advance_millis(900_000);
    assert!(sts::get_session_token(&t.iam, &bob, None, None, None)
        .await
        .is_ok());
}

#[tokio::test]
async fn expired_sessions_are_deleted_by_housekeeping_an_hour_after_they_expire() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let old = sts::get_session_token(&t.iam, &bob, Some(900), None, None)
        .await
        .unwrap();
    let live = sts::get_session_token(&t.iam, &bob, Some(129_600), None, None)
        .await
        .unwrap();
    t.clock.advance_millis(900_000);
    ferriam::server::http::housekeeping(&t.iam).await;
    // Just expired: kept, so that SDKs hear ExpiredToken and refresh.
    assert_eq!(
        refusal(&t, &old.access_key_id, Some(&old.session_token)).await,
        Some(TemporaryKeyError::Expired)
    );
    assert_eq!(session_rows(&t).await, 2);
    t.clock
        .advance_millis(sts::EXPIRED_SESSION_RETENTION_MILLIS + 1);
    ferriam::server::http::housekeeping(&t.iam).await;
    assert_eq!(session_rows(&t).await, 1);
    assert_eq!(
        refusal(&t, &old.access_key_id, Some(&old.session_token)).await,
        Some(TemporaryKeyError::Invalid)
    );
    assert_eq!(
        refusal(&t, &live.access_key_id, Some(&live.session_token)).await,
        None
    );
}

async fn session_rows(t: &TestIam) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sts_sessions")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    count
}
