//! Service tests: root sign-in, the MFA device lifecycle, and the session's time limits.

mod common;

use std::sync::Arc;

use common::fixtures::{code_at, seed_of};
use common::{test_iam, TestIam};
use ferriam::domain::Principal;
use ferriam::server::service::account::accounts::{self, NewAccount};
use ferriam::server::service::iam::Settings;
use ferriam::server::service::signin::{self, SignInOutcome};
use ferriam::server::service::{credentials::mfa, Caller, RequestInfo, ServiceError};
use ferriam::server::session;
use ferriam::server::store::sessions::DbSessionStore;

const EMAIL: &str = "owner@example.com";
const PASSWORD: &str = "correct horse battery";

async fn with_account() -> (TestIam, Principal) {
    let t = test_iam(Settings::default()).await;
    let account = accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        NewAccount {
            email: EMAIL.into(),
            password: PASSWORD.into(),
            confirm_password: PASSWORD.into(),
            alias: None,
            account_id: None,
        },
    )
    .await
    .unwrap();
    (t, Principal::root(account.account_id))
}

/// Assigns and enables the root device; returns its seed.
async fn enable_mfa(t: &TestIam, principal: &Principal) -> Vec<u8> {
    let setup = mfa::create_root_virtual_mfa(&t.iam, &Caller::local(principal.clone()))
        .await
        .unwrap();
    let seed = seed_of(&setup.base32_seed);
    mfa::enable_root_mfa(
        &t.iam,
        &Caller::local(principal.clone()),
        &code_at(t, &seed, -1),
        &code_at(t, &seed, 0),
    )
    .await
    .unwrap();
    seed
}

#[tokio::test]
async fn correct_password_signs_in_without_mfa() {
    let (t, principal) = with_account().await;
    match signin::sign_in_root(
        &t.iam,
        &RequestInfo::default(),
        "  OWNER@example.com ",
        PASSWORD,
    )
    .await
    .unwrap()
    {
        SignInOutcome::SignedIn {
            principal: signed_in,
            with_mfa,
        } => {
            assert_eq!(signed_in, principal);
            assert!(!with_mfa);
        }
        other => panic!("expected SignedIn, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_email_fail_identically() {
    let (t, _) = with_account().await;
    let wrong = signin::sign_in_root(&t.iam, &RequestInfo::default(), EMAIL, "wrong password")
        .await
        .unwrap_err();
    let unknown = signin::sign_in_root(
        &t.iam,
        &RequestInfo::default(),
        "nobody@example.com",
        PASSWORD,
    )
    .await
    .unwrap_err();
    let empty = signin::sign_in_root(&t.iam, &RequestInfo::default(), "", "")
        .await
        .unwrap_err();
    for error in [&wrong, &unknown, &empty] {
        assert!(matches!(error, ServiceError::SignInFailed));
        assert_eq!(
            error.public_message(),
            "Your authentication information is incorrect."
        );
    }
}

#[tokio::test]
async fn unknown_email_costs_the_same_argon2_work() {
    let (t, _) = with_account().await;
    let time = |email: &'static str| {
        let iam = t.iam.clone();
        // Past any throttle lock, so every attempt does the argon2 work.
        t.clock.advance_millis(20 * 60 * 1000);
        async move {
            let start = std::time::Instant::now();
            let _ =
                signin::sign_in_root(&iam, &RequestInfo::default(), email, "wrong password").await;
            start.elapsed()
        }
    };
    // Warm up, then compare medians of a few runs each.
    let _ = time(EMAIL).await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..5 {
        known.push(time(EMAIL).await);
        unknown.push(time("nobody@example.com").await);
    }
    known.sort();
    unknown.sort();
    let ratio = unknown[2].as_secs_f64() / known[2].as_secs_f64();
    assert!(
        (0.5..2.0).contains(&ratio),
        "unknown/known timing ratio {ratio}"
    );
}

#[tokio::test]
async fn mfa_is_enabled_with_two_consecutive_codes_and_then_required() {
    let (t, principal) = with_account().await;
    let setup = mfa::create_root_virtual_mfa(&t.iam, &Caller::local(principal.clone()))
        .await
        .unwrap();
    assert_eq!(
        setup.serial_number,
        format!(
            "arn:aws:iam::{}:mfa/root-account-mfa-device",
            principal.account_id
        )
    );
    assert_eq!(setup.base32_seed.len(), 32);
    assert!(!setup.qr_png_base64.is_empty());
    let seed = seed_of(&setup.base32_seed);

    // Not consecutive, wrong order, malformed: refused, device stays disabled.
    for (first, second) in [
        (code_at(&t, &seed, -2), code_at(&t, &seed, 0)),
        (code_at(&t, &seed, 0), code_at(&t, &seed, -1)),
        ("12345".to_string(), code_at(&t, &seed, 0)),
    ] {
        let error =
            mfa::enable_root_mfa(&t.iam, &Caller::local(principal.clone()), &first, &second)
                .await
                .unwrap_err();
        assert_eq!(error.code(), "InvalidAuthenticationCode");
    }
    let status = mfa::root_mfa_status(&t.iam, &Caller::local(principal.clone()))
        .await
        .unwrap()
        .unwrap();
    assert!(status.enabled_at.is_none());
    // Still no code asked at sign-in.
    assert!(matches!(
        signin::sign_in_root(&t.iam, &RequestInfo::default(), EMAIL, PASSWORD)
            .await
            .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));

    mfa::enable_root_mfa(
        &t.iam,
        &Caller::local(principal.clone()),
        &code_at(&t, &seed, -1),
        &code_at(&t, &seed, 0),
    )
    .await
    .unwrap();
    assert!(
        mfa::root_mfa_status(&t.iam, &Caller::local(principal.clone()))
            .await
            .unwrap()
            .unwrap()
            .enabled_at
            .is_some()
    );

    // A second device cannot be assigned while one is enabled.
    let again = mfa::create_root_virtual_mfa(&t.iam, &Caller::local(principal.clone()))
        .await
        .unwrap_err();
    assert_eq!(again.code(), "EntityAlreadyExists");

    let SignInOutcome::Pending(pending) =
        signin::sign_in_root(&t.iam, &RequestInfo::default(), EMAIL, PASSWORD)
            .await
            .unwrap()
    else {
        panic!("MFA must be required");
    };
    // The step used to enable is spent; the next step works once.
    let spent = code_at(&t, &seed, 0);
    assert_eq!(
        signin::complete_mfa(&t.iam, &RequestInfo::default(), &pending, &spent)
            .await
            .unwrap_err()
            .code(),
        "InvalidAuthenticationCode"
    );
    let next = code_at(&t, &seed, 1);
    match signin::complete_mfa(&t.iam, &RequestInfo::default(), &pending, &next)
        .await
        .unwrap()
    {
        SignInOutcome::SignedIn {
            principal: signed_in,
            with_mfa,
        } => {
            assert_eq!(signed_in, principal);
            assert!(with_mfa, "the session must know MFA was used");
        }
        other => panic!("expected SignedIn, got {other:?}"),
    }
    assert_eq!(
        signin::complete_mfa(&t.iam, &RequestInfo::default(), &pending, &next)
            .await
            .unwrap_err()
            .code(),
        "InvalidAuthenticationCode"
    );
}

#[tokio::test]
async fn codes_outside_the_window_or_after_the_pending_timeout_fail() {
    let (t, principal) = with_account().await;
    let seed = enable_mfa(&t, &principal).await;
    let SignInOutcome::Pending(pending) =
        signin::sign_in_root(&t.iam, &RequestInfo::default(), EMAIL, PASSWORD)
            .await
            .unwrap()
    else {
        panic!("MFA must be required");
    };
    assert!(signin::complete_mfa(
        &t.iam,
        &RequestInfo::default(),
        &pending,
        &code_at(&t, &seed, 2)
    )
    .await
    .is_err());
    assert!(
        signin::complete_mfa(&t.iam, &RequestInfo::default(), &pending, "abcdef")
            .await
            .is_err()
    );
    // Six minutes later the password step has to be repeated, whatever the code.
    t.clock.advance_millis(6 * 60 * 1000);
    let error = signin::complete_mfa(
        &t.iam,
        &RequestInfo::default(),
        &pending,
        &code_at(&t, &seed, 0),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, ServiceError::SignInFailed));
}

#[tokio::test]
async fn removing_the_device_needs_a_valid_current_code() {
    let (t, principal) = with_account().await;
    let seed = enable_mfa(&t, &principal).await;
    t.clock.advance_millis(30_000);
    let error = mfa::deactivate_root_mfa(&t.iam, &Caller::local(principal.clone()), "000000")
        .await
        .unwrap_err();
    assert_eq!(error.code(), "InvalidAuthenticationCode");
    assert!(
        mfa::root_mfa_status(&t.iam, &Caller::local(principal.clone()))
            .await
            .unwrap()
            .is_some()
    );
    mfa::deactivate_root_mfa(
        &t.iam,
        &Caller::local(principal.clone()),
        &code_at(&t, &seed, 0),
    )
    .await
    .unwrap();
    assert!(
        mfa::root_mfa_status(&t.iam, &Caller::local(principal.clone()))
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        signin::sign_in_root(&t.iam, &RequestInfo::default(), EMAIL, PASSWORD)
            .await
            .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));
}

/// SECURITY: a stolen root session must not guess its way to removing the root user's MFA:
/// the removal's code is throttled like every other (5 wrong codes lock for 60 s).
#[tokio::test]
async fn removing_the_device_is_throttled_like_every_code() {
    let (t, principal) = with_account().await;
    let seed = enable_mfa(&t, &principal).await;
    t.clock.advance_millis(30_000);
    let root = Caller::local(principal.clone());
    let wrong = mfa::deactivate_root_mfa(&t.iam, &root, "000000")
        .await
        .unwrap_err();
    for _ in 0..4 {
        mfa::deactivate_root_mfa(&t.iam, &root, "000000")
            .await
            .unwrap_err();
    }
    let locked = mfa::deactivate_root_mfa(&t.iam, &root, &code_at(&t, &seed, 0))
        .await
        .unwrap_err();
    assert_eq!(
        (locked.code(), locked.to_string()),
        (wrong.code(), wrong.to_string()),
        "a throttled code reads as a wrong one"
    );
    assert!(mfa::root_mfa_status(&t.iam, &root)
        .await
        .unwrap()
        .is_some_and(|device| device.enabled_at.is_some()));
    t.clock.advance_millis(60_000);
    mfa::deactivate_root_mfa(&t.iam, &root, &code_at(&t, &seed, 0))
        .await
        .expect("the lock ends after 60 s");
    assert!(mfa::root_mfa_status(&t.iam, &root).await.unwrap().is_none());
}

#[tokio::test]
async fn the_seed_is_encrypted_at_rest() {
    let (t, principal) = with_account().await;
    let seed = enable_mfa(&t, &principal).await;
    let base32 = totp_rs::Secret::from(seed.clone()).to_base32();
    let bytes = common::stored::stored_bytes(&t).await;
    assert!(
        !bytes.windows(seed.len()).any(|w| w == seed.as_slice()),
        "raw seed found in the database"
    );
    assert!(
        !bytes.windows(base32.len()).any(|w| w == base32.as_bytes()),
        "base32 seed found in the database"
    );
}

#[tokio::test]
async fn sessions_rotate_their_id_and_expire_when_idle_or_old() {
    let (t, principal) = with_account().await;
    let store = Arc::new(DbSessionStore::new(t.iam.store().clone()));
    let session = tower_sessions::Session::new(None, store.clone(), None);
    session.insert("anonymous", true).await.unwrap();
    session.save().await.unwrap();
    let before = session.id();
    session::establish(
        &session,
        &t.clock,
        principal.clone(),
        false,
        &Default::default(),
    )
    .await
    .unwrap();
    session.save().await.unwrap();
    assert_ne!(session.id(), before, "sign-in must issue a new session ID");
    assert_eq!(
        session::current(&session, &t.iam)
            .await
            .unwrap()
            .map(|signed_in| signed_in.principal),
        Some(principal.clone())
    );

    // Active use keeps it alive for 12 hours, and not beyond.
    for round in 1..=25 {
        t.clock.advance_millis(29 * 60 * 1000);
        let alive = session::current(&session, &t.iam).await.unwrap().is_some();
        assert_eq!(alive, round * 29 <= 12 * 60, "after {} minutes", round * 29);
    }

    // 31 idle minutes end a fresh session.
    let session = tower_sessions::Session::new(None, store, None);
    session::establish(&session, &t.clock, principal, true, &Default::default())
        .await
        .unwrap();
    t.clock.advance_millis(31 * 60 * 1000);
    assert_eq!(session::current(&session, &t.iam).await.unwrap(), None);
}
