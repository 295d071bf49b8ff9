//! Service tests for STS on a real SQLite database: the caller's identity, session tokens (with
//! and without MFA, expiry, token checks), and AssumeRole decided by the trust policy together
//! with the caller's policies, with session policies, MFA conditions and duration limits.

mod common;

use common::doors;

use common::fixtures::{code_at, seed_of};
use common::*;
use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::server::service::authorization::{authorize, RequestContext};
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::policies::{self, CreatePolicy};
use ferriam::server::service::sts::{self, AssumeRole, TemporaryKeyError};
use ferriam::server::service::{
    credentials::mfa, entities::users, policies::attachments, signin::throttle, Caller,
    ServiceError,
};

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
            entity: NewEntity::parse("deployer", None).unwrap(),
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
        ..AssumeRole::default()
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
    doors::update_user(&t.iam, &root, "bob", Some("robert"), Some("/team/"))
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

// ---- MFA codes through STS are guessed against the same defences as sign-in ----------------

const BAD_CODE: &str = "MultiFactorAuthentication failed with invalid MFA one time pass code.";
const THIEF: &str = "203.0.113.7";
const OWNER: &str = "198.51.100.20";

/// `caller` from the address `source`, as the Query API fills it in.
fn from(caller: &Caller, source: &str) -> Caller {
    let mut caller = caller.clone();
    caller.request.source_ip = Some(source.to_string());
    caller
}

async fn session_with_code(
    t: &TestIam,
    caller: &Caller,
    serial: &str,
    code: &str,
) -> Result<sts::Credentials, ServiceError> {
    sts::get_session_token(&t.iam, caller, None, Some(serial), Some(code)).await
}

/// An IAM user with an enabled MFA device, half a minute later (the step used to enable it is
/// spent): its user ID, its caller, the device's serial and seed.
async fn user_with_mfa(
    t: &TestIam,
    root: &Caller,
    name: &str,
) -> (String, Caller, String, Vec<u8>) {
    let (user, caller) = iam_user(t, root, name).await;
    let setup = enabled_user_mfa(t, root, name).await;
    t.clock.advance_millis(30_000);
    (
        user.user_id,
        caller,
        setup.serial_number.clone(),
        seed_of(&setup.base32_seed),
    )
}

async fn code_counter(t: &TestIam, owner: &str) -> ferriam::domain::throttle::Counter {
    throttle::code_counter(&t.iam, ACCOUNT, owner)
        .await
        .unwrap()
        .expect("a counter")
}

#[tokio::test]
async fn five_wrong_sts_codes_lock_the_principal_across_doors_and_a_code_is_used_once() {
    let (t, root) = with_root().await;
    let (bob_id, bob, serial, seed) = user_with_mfa(&t, &root, "bob").await;
    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", ""),
        None,
    )
    .await;
    let thief = from(&bob, THIEF);
    let owner = from(&bob, OWNER);
    // Three wrong codes through GetSessionToken and two through AssumeRole: one counter.
    for _ in 0..3 {
        assert_error(
            session_with_code(&t, &thief, &serial, "000000").await,
            "AccessDenied",
            BAD_CODE,
        );
    }
    for _ in 0..2 {
        let mut guess = assume("guess");
        guess.serial_number = Some(serial.clone());
        guess.token_code = Some("000000".into());
        assert_error(
            sts::assume_role(&t.iam, &thief, guess).await,
            "AccessDenied",
            BAD_CODE,
        );
    }
    // Locked for 60 s: even the right code, from the owner's own address, reads as wrong.
    assert_error(
        session_with_code(&t, &owner, &serial, &code_at(&t, &seed, 0)).await,
        "AccessDenied",
        BAD_CODE,
    );
    t.clock.advance_millis(59_000);
    assert_error(
        session_with_code(&t, &owner, &serial, &code_at(&t, &seed, 0)).await,
        "AccessDenied",
        BAD_CODE,
    );
    t.clock.advance_millis(1_000);
    let right = code_at(&t, &seed, 0);
    let credentials = session_with_code(&t, &owner, &serial, &right)
        .await
        .expect("the lock ends after 60 s");
    assert!(session_caller(&t, &credentials)
        .await
        .request
        .mfa_authenticated_at
        .is_some());
    assert_eq!(code_counter(&t, &bob_id).await.consecutive_failures, 0);
    // The same code again (a replay, or a second door) is refused, and counts as a guess.
    let mut replay = assume("replay");
    replay.serial_number = Some(serial.clone());
    replay.token_code = Some(right.clone());
    assert_error(
        sts::assume_role(&t.iam, &thief, replay).await,
        "AccessDenied",
        BAD_CODE,
    );
    assert_error(
        session_with_code(&t, &thief, &serial, &right).await,
        "AccessDenied",
        BAD_CODE,
    );
    assert_eq!(code_counter(&t, &bob_id).await.consecutive_failures, 2);
    println!("STS MFA: 5 wrong codes (GetSessionToken + AssumeRole) lock for 60 s; the right code at 59 s refused, at 60 s accepted, then refused as a replay");
}

#[tokio::test]
async fn twenty_concurrent_wrong_codes_get_no_more_than_the_free_failures() {
    let (t, root) = with_root().await;
    let (bob_id, bob, serial, seed) = user_with_mfa(&t, &root, "bob").await;
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..20 {
        let iam = t.iam.clone();
        // From twenty addresses: no source's counter stands in the way.
        let thief = from(&bob, &format!("203.0.113.{i}"));
        let serial = serial.clone();
        guesses.spawn(async move {
            sts::get_session_token(&iam, &thief, None, Some(&serial), Some("000000"))
                .await
                .map(|_| ())
        });
    }
    while let Some(guess) = guesses.join_next().await {
        assert_error(guess.unwrap(), "AccessDenied", BAD_CODE);
    }
    let counter = code_counter(&t, &bob_id).await;
    assert_eq!(
        counter.consecutive_failures, 5,
        "only the free failures were checked"
    );
    assert_error(
        session_with_code(&t, &from(&bob, OWNER), &serial, &code_at(&t, &seed, 0)).await,
        "AccessDenied",
        BAD_CODE,
    );
}

/// The number the review asked for: guesses per hour against one user's MFA through STS, from
/// a botnet (a new address for every guess, so only the principal's counter applies), trying
/// every five seconds.
#[tokio::test]
async fn an_hour_of_sts_guessing_gets_sixty_four_codes_checked() {
    let (t, root) = with_root().await;
    let (bob_id, bob, serial, _) = user_with_mfa(&t, &root, "bob").await;
    // Past the hour window the enabling code opened.
    t.clock.advance_millis(3_600_000);
    let started = t.clock.now_millis();
    let mut tries = 0;
    while t.clock.now_millis() - started < 3_600_000 {
        let thief = from(&bob, &format!("10.{}.{}.1", tries / 250, tries % 250));
        assert_error(
            session_with_code(&t, &thief, &serial, "000000").await,
            "AccessDenied",
            BAD_CODE,
        );
        tries += 1;
        t.clock.advance_millis(5_000);
    }
    let counter = code_counter(&t, &bob_id).await;
    assert_eq!(counter.window_started_at, started);
    assert_eq!(counter.window_failures, 64, "5 at once, then one a minute");
    println!(
        "STS MFA guessing: {tries} tries in one hour, {} codes checked (goal: at most 100)",
        counter.window_failures
    );
}

/// The real user's successes end the run of failures (5 free guesses again) but not the hour's
/// count: the guesser still gets no more than 100 codes checked in the hour.
#[tokio::test]
async fn the_real_users_successes_do_not_lift_the_hourly_cap() {
    let (t, root) = with_root().await;
    let (bob_id, bob, serial, seed) = user_with_mfa(&t, &root, "bob").await;
    let owner = from(&bob, OWNER);
    let started = t.clock.now_millis();
    for cycle in 0..20 {
        for guess in 0..5 {
            let thief = from(&bob, &format!("10.0.{cycle}.{guess}"));
            assert_error(
                session_with_code(&t, &thief, &serial, "000000").await,
                "AccessDenied",
                BAD_CODE,
            );
        }
        t.clock.advance_millis(60_000);
        let right = session_with_code(&t, &owner, &serial, &code_at(&t, &seed, 0)).await;
        if cycle < 19 {
            right.expect("the real user gets in between the guesses");
        } else {
            assert_error(right, "AccessDenied", BAD_CODE);
        }
    }
    assert_eq!(code_counter(&t, &bob_id).await.window_failures, 100);
    // A new hour, a new allowance.
    t.clock
        .advance_millis(started + 3_600_000 - t.clock.now_millis());
    session_with_code(&t, &owner, &serial, &code_at(&t, &seed, 0))
        .await
        .expect("the next hour");
}

/// One address holding several users' keys: 10 wrong codes across them lock the address, not
/// the users.
#[tokio::test]
async fn one_address_guessing_at_many_users_is_locked() {
    let (t, root) = with_root().await;
    let mut users = Vec::new();
    for name in ["ann", "ben", "cat"] {
        users.push(user_with_mfa(&t, &root, name).await);
    }
    for ((_, caller, serial, _), guesses) in users.iter().zip([4, 4, 2]) {
        for _ in 0..guesses {
            assert_error(
                session_with_code(&t, &from(caller, THIEF), serial, "000000").await,
                "AccessDenied",
                BAD_CODE,
            );
        }
    }
    let (_, cat, serial, seed) = &users[2];
    assert_error(
        session_with_code(&t, &from(cat, THIEF), serial, &code_at(&t, seed, 0)).await,
        "AccessDenied",
        BAD_CODE,
    );
    session_with_code(&t, &from(cat, OWNER), serial, &code_at(&t, seed, 0))
        .await
        .expect("another address is not locked");
}

const READ_ONLY: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";

/// Whether `session` may perform `action` on `resource`.
async fn may(t: &TestIam, session: &Caller, action: &str, resource: &str) -> bool {
    authorize(
        &t.iam,
        session,
        action,
        resource,
        &RequestContext::default(),
    )
    .await
    .is_ok()
}

#[tokio::test]
async fn managed_session_policies_cut_the_session_down() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", ""),
        None,
    )
    .await;
    let bob_arn = "arn:aws:iam::123456789012:user/bob";
    let new_user = "arn:aws:iam::123456789012:user/new";

    // The role has AdministratorAccess; IAMReadOnlyAccess as a session policy leaves reading.
    let mut read_only = assume("read-only");
    read_only.policy_arns = vec![READ_ONLY.into()];
    let (credentials, _) = sts::assume_role(&t.iam, &bob, read_only).await.unwrap();
    let session = session_caller(&t, &credentials).await;
    assert!(may(&t, &session, "iam:GetUser", bob_arn).await);
    assert_error(
        authorize(&t.iam, &session, "iam:CreateUser", new_user, &RequestContext::default()).await,
        "AccessDenied",
        "User: arn:aws:sts::123456789012:assumed-role/deployer/read-only is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/new because no session policy allows the iam:CreateUser action",
    );

    // An inline and managed session policies are one set: any of them may allow.
    let mut both = assume("both");
    both.policy_arns = vec![READ_ONLY.into()];
    both.policy = Some(allow("iam:CreateUser", "*"));
    let (credentials, _) = sts::assume_role(&t.iam, &bob, both).await.unwrap();
    let session = session_caller(&t, &credentials).await;
    assert!(may(&t, &session, "iam:GetUser", bob_arn).await);
    assert!(may(&t, &session, "iam:CreateUser", new_user).await);
    assert!(!may(&t, &session, "iam:DeleteUser", bob_arn).await);

    // A customer managed session policy is kept by reference: its default version now counts,
    // and once it is gone the session may do nothing (never everything the role may).
    let listing = policies::create_policy(
        &t.iam,
        &root,
        CreatePolicy {
            policy_name: "listing".into(),
            path: None,
            description: None,
            document: allow("iam:ListUsers", "*"),
        },
    )
    .await
    .unwrap();
    let mut customer = assume("customer");
    customer.policy_arns = vec![listing.arn.clone()];
    let (credentials, _) = sts::assume_role(&t.iam, &bob, customer).await.unwrap();
    let session = session_caller(&t, &credentials).await;
    let users_path = "arn:aws:iam::123456789012:user/";
    assert!(may(&t, &session, "iam:ListUsers", users_path).await);
    assert!(!may(&t, &session, "iam:GetUser", bob_arn).await);
    policies::create_policy_version(
        &t.iam,
        &root,
        &listing.arn,
        &allow("iam:GetUser", "*"),
        true,
    )
    .await
    .unwrap();
    assert!(may(&t, &session, "iam:GetUser", bob_arn).await);
    assert!(!may(&t, &session, "iam:ListUsers", users_path).await);
    policies::delete_policy_version(&t.iam, &root, &listing.arn, "v1")
        .await
        .unwrap();
    policies::delete_policy(&t.iam, &root, &listing.arn)
        .await
        .unwrap();
    assert!(!may(&t, &session, "iam:GetUser", bob_arn).await);
    assert!(!may(&t, &session, "iam:ListUsers", users_path).await);
    assert!(!may(&t, &session, "iam:CreateUser", new_user).await);
}

#[tokio::test]
async fn managed_session_policy_arns_are_checked_as_aws_checks_them() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", ""),
        None,
    )
    .await;
    let with_arns = |arns: Vec<String>| {
        let mut input = assume("checked");
        input.policy_arns = arns;
        input
    };
    assert_error(
        sts::assume_role(&t.iam, &bob, with_arns(vec![READ_ONLY.to_string(); 11])).await,
        "ValidationError",
        "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
    assert!(
        sts::assume_role(&t.iam, &bob, with_arns(vec![READ_ONLY.to_string(); 10]))
            .await
            .is_ok()
    );
    assert_error(
        sts::assume_role(&t.iam, &bob, with_arns(vec!["arn:aws:iam::aws".into()])).await,
        "ValidationError",
        "1 validation error detected: Value at 'policyArns.1.member.arn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
    for missing in [
        "arn:aws:iam::123456789012:policy/nope",
        "arn:aws:iam::aws:policy/NoSuchAwsPolicy",
        "arn:aws:iam::123456789012:role/deployer",
    ] {
        assert_error(
            sts::assume_role(
                &t.iam,
                &bob,
                with_arns(vec![READ_ONLY.into(), missing.into()]),
            )
            .await,
            "ValidationError",
            &format!("Policy {missing} does not exist or is not attachable."),
        );
    }
    // Another account's policy is not the role's account's, even if it exists there.
    let other_root = common::account(&t, "210987654321").await;
    let theirs = policies::create_policy(
        &t.iam,
        &other_root,
        CreatePolicy {
            policy_name: "theirs".into(),
            path: None,
            description: None,
            document: allow("iam:*", "*"),
        },
    )
    .await
    .unwrap();
    assert_error(
        sts::assume_role(&t.iam, &bob, with_arns(vec![theirs.arn.clone()])).await,
        "ValidationError",
        &format!("Policy {} does not exist or is not attachable.", theirs.arn),
    );
    // The inline policy and the ARNs share 2,048 characters of plaintext.
    let mut packed = with_arns(vec![READ_ONLY.to_string(); 2]);
    packed.policy = Some(document_of_size(2_000));
    assert_error(
        sts::assume_role(&t.iam, &bob, packed).await,
        "PackedPolicyTooLarge",
        "Packed policy consumes 102% of allotted space, please use smaller policy.",
    );
    assert_eq!(
        sts::packed_policy_size(Some(&document_of_size(2_000)), &[READ_ONLY.into()]),
        100
    );
    assert_eq!(sts::packed_policy_size(None, &[READ_ONLY.into()]), 3);
    // No ARNs at all is no managed session policy.
    assert!(sts::assume_role(&t.iam, &bob, with_arns(Vec::new()))
        .await
        .is_ok());
}

#[tokio::test]
async fn the_external_id_is_matched_by_the_trust_policy() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let external = r#",
      "Condition": {"StringEquals": {"sts:ExternalId": "partner-42"}}"#;
    role(
        &t,
        &root,
        trust("arn:aws:iam::123456789012:user/bob", external),
        None,
    )
    .await;
    let with_id = |id: Option<&str>| {
        let mut input = assume("partner");
        input.external_id = id.map(str::to_string);
        input
    };
    for refused in [None, Some("partner-43")] {
        assert_eq!(
            sts::assume_role(&t.iam, &bob, with_id(refused))
                .await
                .unwrap_err()
                .code(),
            "AccessDenied",
            "{refused:?}"
        );
    }
    let (credentials, _) = sts::assume_role(&t.iam, &bob, with_id(Some("partner-42")))
        .await
        .unwrap();
    assert!(credentials.access_key_id.starts_with("ASIA"));
    assert_error(
        sts::assume_role(&t.iam, &bob, with_id(Some("x"))).await,
        "ValidationError",
        "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    assert_eq!(
        sts::assume_role(&t.iam, &bob, with_id(Some("has space")))
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
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
