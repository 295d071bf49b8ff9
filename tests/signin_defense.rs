//! Attacks on sign-in through the service layer with a manual clock: password guessing from
//! one address and from many, the hourly cap, the real user's way back in, unknown principals
//! throttled alike, the browsers that signed in before (device cookies), and the MFA-code
//! lockout for sign-in and EnableMFADevice. Each test prints its numbers
//! (`cargo test --test signin_defense -- --nocapture`).

mod common;

use common::fixtures::seed_of;
use common::{iam_user, user_with_password, with_root, TestIam, ACCOUNT};
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::server::service::account::accounts::{self, NewAccount};
use ferriam::server::service::iam::Settings;
use ferriam::server::service::signin::device_id::DeviceId;
use ferriam::server::service::signin::throttle;
use ferriam::server::service::signin::{self, SignInOutcome};
use ferriam::server::service::{credentials::mfa, sts, Caller, RequestInfo, ServiceError};

/// A console request from `source`.
fn from(source: &str) -> RequestInfo {
    RequestInfo {
        source_ip: Some(source.to_string()),
        ..RequestInfo::default()
    }
}

/// A browser's request from `source` with its device cookie.
fn browser(source: &str, device: &DeviceId) -> RequestInfo {
    RequestInfo {
        device: Some(device.clone()),
        ..from(source)
    }
}

const GOOD: &str = "Correct-Horse-42";
const ATTACKER: &str = "203.0.113.7";
const REAL_USER: &str = "198.51.100.20";

async fn bob(t: &TestIam, root: &Caller) {
    user_with_password(t, root, "bob", GOOD).await;
}

async fn guess(t: &TestIam, user: &str, password: &str, source: &str) -> Result<(), ServiceError> {
    attempt(t, user, password, &from(source)).await
}

async fn attempt(
    t: &TestIam,
    user: &str,
    password: &str,
    request: &RequestInfo,
) -> Result<(), ServiceError> {
    signin::sign_in_user(&t.iam, request, ACCOUNT, user, password)
        .await
        .map(|_| ())
}

fn assert_generic(error: &ServiceError) {
    assert!(matches!(error, ServiceError::SignInFailed), "{error:?}");
    assert_eq!(
        error.public_message(),
        "Your authentication information is incorrect."
    );
}

#[tokio::test]
async fn a_thousand_guesses_from_one_address_mostly_never_reach_argon2() {
    let (t, root) = with_root().await;
    bob(&t, &root).await;
    let before = t.iam.hasher().verifications();
    // A fast attacker: one guess per second for 1,000 seconds.
    for i in 0..1000 {
        let error = guess(&t, "bob", &format!("guess-{i}"), ATTACKER)
            .await
            .unwrap_err();
        assert_generic(&error);
        t.clock.advance_millis(1_000);
    }
    let reached = t.iam.hasher().verifications() - before;
    println!(
        "one address, 1000 guesses in 1000 s: {reached} reached argon2, {} refused cheaply",
        1000 - reached
    );
    // 5 free, then locks of 1, 2, 4 … 512 s: 15 in the first 1,023 s.
    assert!(reached <= 15, "{reached} guesses reached argon2");
    assert!(
        reached >= 10,
        "the free guesses and the growing delays: {reached}"
    );

    // The real user, from elsewhere, waits at most the principal's 30 s.
    t.clock.advance_millis(30_000);
    guess(&t, "bob", GOOD, REAL_USER)
        .await
        .expect("the real user signs in from another address");
}

#[tokio::test]
async fn guessing_from_many_addresses_stops_at_the_hourly_cap_and_the_known_address_gets_in() {
    let (t, root) = with_root().await;
    bob(&t, &root).await;
    guess(&t, "bob", GOOD, REAL_USER).await.unwrap();
    let before = t.iam.hasher().verifications();
    // A botnet: 1,000 guesses from 1,000 addresses within 59 minutes.
    let mut refused_quickly = 0;
    for i in 0..1000 {
        let source = format!("10.0.{}.{}", i / 250, i % 250);
        let before_one = t.iam.hasher().verifications();
        assert_generic(&guess(&t, "bob", "wrong", &source).await.unwrap_err());
        if t.iam.hasher().verifications() == before_one {
            refused_quickly += 1;
        }
        t.clock.advance_millis(3_540);
    }
    let reached = t.iam.hasher().verifications() - before;
    println!(
        "1000 addresses, 1000 guesses in 59 min: {reached} reached argon2 (cap 100/h), {refused_quickly} refused cheaply"
    );
    assert_eq!(reached, 100, "the hourly cap per principal");
    assert_eq!(refused_quickly, 900);

    // A new address is refused for the rest of the hour, the right password too …
    assert_generic(&guess(&t, "bob", GOOD, "192.0.2.99").await.unwrap_err());
    // … but the address bob signed in from before gets in after at most 30 s.
    t.clock.advance_millis(30_000);
    guess(&t, "bob", GOOD, REAL_USER)
        .await
        .expect("a known address signs in despite the cap");
    // Success cleared the principal's counter: new addresses may try again.
    guess(&t, "bob", GOOD, "192.0.2.99").await.unwrap();
}

#[tokio::test]
async fn a_browser_that_signed_in_before_gets_in_from_a_new_network_after_the_hourly_cap() {
    let (t, root) = with_root().await;
    bob(&t, &root).await;
    let laptop = DeviceId::random();
    attempt(&t, "bob", GOOD, &browser(REAL_USER, &laptop))
        .await
        .expect("bob signs in from his laptop at the office");
    // A botnet: 1,000 guesses from 1,000 addresses within 59 minutes.
    let before = t.iam.hasher().verifications();
    for i in 0..1000 {
        let source = format!("10.0.{}.{}", i / 250, i % 250);
        assert_generic(&guess(&t, "bob", "wrong", &source).await.unwrap_err());
        t.clock.advance_millis(3_540);
    }
    assert_eq!(t.iam.hasher().verifications() - before, 100);

    // A new browser on a new network is refused for the rest of the hour, the right password
    // too; so is a device ID the server never trusted.
    for stranger in [
        from("192.0.2.99"),
        browser("192.0.2.99", &DeviceId::random()),
    ] {
        assert_generic(&attempt(&t, "bob", GOOD, &stranger).await.unwrap_err());
    }
    // Bob's laptop, on a hotel network it never used, gets in at once: no cap, no 30 s lock.
    attempt(&t, "bob", GOOD, &browser("192.0.2.50", &laptop))
        .await
        .expect("the trusted browser signs in despite the guessing");
    // Its success gave the guessers nothing back: the principal is still capped elsewhere.
    t.clock.advance_millis(30_000);
    assert_generic(&guess(&t, "bob", GOOD, "192.0.2.51").await.unwrap_err());
    println!(
        "after 100 guesses in an hour: new browser refused, trusted browser on a new network signed in"
    );
}

#[tokio::test]
async fn the_browser_that_created_the_account_is_trusted_from_the_start() {
    let t = common::test_iam(Settings::default()).await;
    let email = "Founder@Example.com";
    let account = accounts::sign_up(
        &t.iam,
        &RequestInfo::default(),
        NewAccount {
            email: email.into(),
            password: GOOD.into(),
            confirm_password: GOOD.into(),
            alias: None,
            account_id: None,
        },
    )
    .await
    .unwrap();
    let creator = DeviceId::random();
    signin::account_created(&t.iam, &browser(REAL_USER, &creator), &account.root_email)
        .await
        .unwrap();
    // A botnet spends the root user's hourly cap before its first sign-in.
    for i in 0..1000 {
        let source = format!("10.1.{}.{}", i / 250, i % 250);
        let error = signin::sign_in_root(&t.iam, &from(&source), email, "wrong")
            .await
            .unwrap_err();
        assert_generic(&error);
        t.clock.advance_millis(3_540);
    }
    // Another browser is refused, the right password too; the creator's, on a new network and
    // with the email typed in another case, gets in.
    let stranger = browser("192.0.2.99", &DeviceId::random());
    let error = signin::sign_in_root(&t.iam, &stranger, email, GOOD)
        .await
        .unwrap_err();
    assert_generic(&error);
    signin::sign_in_root(
        &t.iam,
        &browser("192.0.2.50", &creator),
        "founder@example.com",
        GOOD,
    )
    .await
    .expect("the browser that created the account signs in despite the guessing");
}

#[tokio::test]
async fn a_trusted_browser_spends_its_own_allowance_for_its_own_principal_for_180_days() {
    let (t, root) = with_root().await;
    bob(&t, &root).await;
    user_with_password(&t, &root, "alice", GOOD).await;
    let laptop = DeviceId::random();
    attempt(&t, "bob", GOOD, &browser(REAL_USER, &laptop))
        .await
        .unwrap();

    // Someone with the laptop's cookie guesses: 5 free failures, then the laptop waits 1 s,
    // even with the right password …
    let stolen = browser(ATTACKER, &laptop);
    for i in 0..5 {
        let wrong = attempt(&t, "bob", &format!("wrong-{i}"), &stolen).await;
        assert_generic(&wrong.unwrap_err());
    }
    let locked = attempt(&t, "bob", GOOD, &browser(REAL_USER, &laptop)).await;
    assert_generic(&locked.unwrap_err());
    // … while bob's principal and the attacker's address were not charged for them.
    attempt(&t, "bob", GOOD, &browser(ATTACKER, &DeviceId::random()))
        .await
        .expect("the laptop's failures lock the laptop only");
    t.clock.advance_millis(1_000);
    attempt(&t, "bob", GOOD, &browser(REAL_USER, &laptop))
        .await
        .expect("the laptop's lock ends");

    // The laptop is trusted for bob, not for alice: alice's lock holds for it.
    for i in 0..5 {
        let source = format!("10.4.0.{i}");
        assert_generic(&guess(&t, "alice", "wrong", &source).await.unwrap_err());
    }
    let for_alice = attempt(&t, "alice", GOOD, &browser(REAL_USER, &laptop)).await;
    assert_generic(&for_alice.unwrap_err());

    // 180 days after its last correct password the laptop is a stranger again.
    t.clock.advance_millis(180 * 24 * 60 * 60 * 1000);
    for i in 0..5 {
        let source = format!("10.5.0.{i}");
        assert_generic(&guess(&t, "bob", "wrong", &source).await.unwrap_err());
    }
    let expired = attempt(&t, "bob", GOOD, &browser(REAL_USER, &laptop)).await;
    assert_generic(&expired.unwrap_err());
}

#[tokio::test]
async fn addresses_and_browsers_are_forgotten_180_days_after_their_last_correct_password() {
    let (t, root) = with_root().await;
    bob(&t, &root).await;
    let laptop = DeviceId::random();
    attempt(&t, "bob", GOOD, &browser(REAL_USER, &laptop))
        .await
        .unwrap();
    let remembered = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM signin_known_sources")
            .fetch_one(t.iam.store().reader())
            .await
            .unwrap()
    };
    assert_eq!(remembered().await, 2, "the address and the browser");
    t.clock.advance_millis(180 * 24 * 60 * 60 * 1000);
    // The hour's 100 failures, from 100 addresses, 30 s apart (each waits out the lock).
    for i in 0..100 {
        let source = format!("10.6.0.{i}");
        assert_generic(&guess(&t, "bob", "wrong", &source).await.unwrap_err());
        t.clock.advance_millis(30_000);
    }
    // Neither the old address nor the old browser is let past the cap any more.
    assert_generic(&guess(&t, "bob", GOOD, REAL_USER).await.unwrap_err());
    let old_browser = attempt(&t, "bob", GOOD, &browser(REAL_USER, &laptop)).await;
    assert_generic(&old_browser.unwrap_err());
    // The clean-up removes their rows (and the counters idle for a day; none here).
    throttle::delete_stale(&t.iam).await.unwrap();
    assert_eq!(remembered().await, 0);
}

#[tokio::test]
async fn unknown_principals_are_throttled_exactly_like_real_ones() {
    let (t, root) = with_root().await;
    bob(&t, &root).await;
    let mut reached = Vec::new();
    for (user, source) in [("bob", "10.1.0.1"), ("nobody", "10.2.0.1")] {
        let before = t.iam.hasher().verifications();
        for i in 0..30 {
            let error = guess(&t, user, &format!("wrong-{i}"), source)
                .await
                .unwrap_err();
            assert_generic(&error);
            t.clock.advance_millis(500);
        }
        reached.push(t.iam.hasher().verifications() - before);
    }
    println!(
        "30 guesses in 15 s: real user {} vs unknown user {} reached argon2",
        reached[0], reached[1]
    );
    assert_eq!(reached[0], reached[1]);
    assert!(reached[0] < 30);
}

#[tokio::test]
async fn root_sign_in_is_throttled_and_success_resets_the_principal() {
    let (t, _) = with_root().await;
    let email = format!("root-{ACCOUNT}@example.com");
    let password = "correct horse battery";
    for i in 0..5 {
        let source = format!("10.3.0.{i}");
        signin::sign_in_root(&t.iam, &from(&source), &email, "wrong")
            .await
            .unwrap_err();
    }
    // Five in a row: the principal is locked for 1 s, the right password too.
    let error = signin::sign_in_root(&t.iam, &from("10.3.1.1"), &email, password)
        .await
        .unwrap_err();
    assert_generic(&error);
    t.clock.advance_millis(1_000);
    signin::sign_in_root(&t.iam, &from("10.3.1.1"), &email, password)
        .await
        .unwrap();
    // Success reset the count: the next failure is free again.
    signin::sign_in_root(&t.iam, &from("10.3.1.2"), &email, "wrong")
        .await
        .unwrap_err();
    signin::sign_in_root(&t.iam, &from("10.3.1.2"), &email, password)
        .await
        .unwrap();
}

fn code(seed: &[u8], t: &TestIam, offset: i64) -> String {
    code_for_step(
        seed,
        (step_at(t.clock.now_seconds()) as i64 + offset) as u64,
    )
    .unwrap()
}

fn is_code_error(error: &ServiceError) -> bool {
    matches!(error, ServiceError::InvalidAuthenticationCode { .. })
}

#[tokio::test]
async fn five_wrong_mfa_codes_lock_sign_in_for_sixty_seconds() {
    let (t, root) = with_root().await;
    let setup = mfa::create_root_virtual_mfa(&t.iam, &root).await.unwrap();
    let seed = seed_of(&setup.base32_seed);
    mfa::enable_root_mfa(&t.iam, &root, &code(&seed, &t, -1), &code(&seed, &t, 0))
        .await
        .unwrap();
    t.clock.advance_millis(30_000);
    let email = format!("root-{ACCOUNT}@example.com");
    let SignInOutcome::Pending(pending) =
        signin::sign_in_root(&t.iam, &from(REAL_USER), &email, "correct horse battery")
            .await
            .unwrap()
    else {
        panic!("MFA step expected");
    };
    let wrong_message = {
        let error = signin::complete_mfa(&t.iam, &RequestInfo::default(), &pending, "000000")
            .await
            .unwrap_err();
        assert!(is_code_error(&error));
        error.public_message()
    };
    for _ in 0..4 {
        signin::complete_mfa(&t.iam, &RequestInfo::default(), &pending, "000000")
            .await
            .unwrap_err();
    }
    // Locked: the right code is refused, in the same words as a wrong one.
    let error = signin::complete_mfa(
        &t.iam,
        &RequestInfo::default(),
        &pending,
        &code(&seed, &t, 0),
    )
    .await
    .unwrap_err();
    assert_eq!(error.public_message(), wrong_message);
    t.clock.advance_millis(59_000);
    signin::complete_mfa(
        &t.iam,
        &RequestInfo::default(),
        &pending,
        &code(&seed, &t, 0),
    )
    .await
    .unwrap_err();
    t.clock.advance_millis(1_000);
    let outcome = signin::complete_mfa(
        &t.iam,
        &RequestInfo::default(),
        &pending,
        &code(&seed, &t, 0),
    )
    .await
    .expect("the lock ends after 60 s");
    assert!(matches!(
        outcome,
        SignInOutcome::SignedIn { with_mfa: true, .. }
    ));
    println!("MFA sign-in: 5 wrong codes lock for 60 s; the right code at 59 s refused, at 60 s accepted");
}

/// One counter for a principal's MFA, whichever door a code comes through: five wrong codes
/// through STS (a leaked access key) lock the console sign-in's MFA step as well.
#[tokio::test]
async fn wrong_codes_through_sts_lock_the_sign_in_step_too() {
    let (t, root) = with_root().await;
    let (_, bob) = user_with_password(&t, &root, "bob", GOOD).await;
    let setup = common::enabled_user_mfa(&t, &root, "bob").await;
    let seed = seed_of(&setup.base32_seed);
    t.clock.advance_millis(30_000);
    let mut thief = bob.clone();
    thief.request.source_ip = Some(ATTACKER.into());
    for _ in 0..5 {
        sts::get_session_token(
            &t.iam,
            &thief,
            None,
            Some(&setup.serial_number),
            Some("000000"),
        )
        .await
        .unwrap_err();
    }
    let SignInOutcome::Pending(pending) =
        signin::sign_in_user(&t.iam, &from(REAL_USER), ACCOUNT, "bob", GOOD)
            .await
            .unwrap()
    else {
        panic!("MFA step expected");
    };
    let error = signin::complete_mfa(&t.iam, &from(REAL_USER), &pending, &code(&seed, &t, 0))
        .await
        .unwrap_err();
    assert!(is_code_error(&error), "{error:?}");
    t.clock.advance_millis(60_000);
    let outcome = signin::complete_mfa(&t.iam, &from(REAL_USER), &pending, &code(&seed, &t, 0))
        .await
        .expect("the lock ends after 60 s");
    assert!(matches!(
        outcome,
        SignInOutcome::SignedIn { with_mfa: true, .. }
    ));
}

#[tokio::test]
async fn enable_mfa_device_locks_after_five_wrong_code_pairs() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "carol").await;
    let setup = mfa::create_virtual_mfa_device(&t.iam, &root, "carol-phone", None)
        .await
        .unwrap();
    let seed = seed_of(&setup.base32_seed);
    let serial = setup.serial_number.clone();
    for _ in 0..5 {
        let error =
            mfa::enable_mfa_device(&t.iam, &root, Some("carol"), &serial, "111111", "222222")
                .await
                .unwrap_err();
        assert!(is_code_error(&error));
    }
    let error = mfa::enable_mfa_device(
        &t.iam,
        &root,
        Some("carol"),
        &serial,
        &code(&seed, &t, -1),
        &code(&seed, &t, 0),
    )
    .await
    .unwrap_err();
    assert!(
        is_code_error(&error),
        "the right codes are refused while locked"
    );
    t.clock.advance_millis(60_000);
    mfa::enable_mfa_device(
        &t.iam,
        &root,
        Some("carol"),
        &serial,
        &code(&seed, &t, -1),
        &code(&seed, &t, 0),
    )
    .await
    .expect("enabled once the lock ended");
}

/// Many people behind one address (an office, a proxy) sign in at the same moment: in-flight
/// attempts are not failures, so none of them is throttled.
#[tokio::test]
async fn a_crowd_behind_one_address_signs_in_at_once() {
    let (t, root) = with_root().await;
    let names: Vec<String> = (0..12).map(|i| format!("member-{i}")).collect();
    for name in &names {
        user_with_password(&t, &root, name, GOOD).await;
    }
    let mut attempts = tokio::task::JoinSet::new();
    for name in names {
        let iam = t.iam.clone();
        attempts.spawn(async move {
            signin::sign_in_user(&iam, &from(REAL_USER), ACCOUNT, &name, GOOD)
                .await
                .map(|_| ())
        });
    }
    let outcomes = attempts.join_all().await;
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
}

#[tokio::test]
async fn query_api_failures_counted_by_another_instance_refuse_here_within_a_second() {
    use ferriam::server::crypto::Sealer;
    use ferriam::server::passwords::PasswordHasher;
    use ferriam::server::service::iam::Settings;
    use ferriam::server::service::{signin::throttle, Iam};
    let (t, _) = with_root().await;
    // A second server process on the same database: its own memory, the same store.
    let other = Iam::new(
        t.iam.store().clone(),
        PasswordHasher::new(2),
        Sealer::new(&[7u8; 32]),
        t.clock.clone(),
        Settings::default(),
    );
    assert!(!throttle::api_source_refused(&t.iam, Some(ATTACKER))
        .await
        .unwrap());
    for _ in 0..11 {
        throttle::api_authentication_failed(&other, Some(ATTACKER))
            .await
            .unwrap();
    }
    assert!(throttle::api_source_refused(&other, Some(ATTACKER))
        .await
        .unwrap());
    t.clock.advance_millis(1_000);
    let mut refused_here = throttle::api_source_refused(&t.iam, Some(ATTACKER))
        .await
        .unwrap();
    println!("Query API lock counted by another instance seen here after 1 s: {refused_here}");
    assert!(refused_here);
    // The lock ends for both after its 1 s (11th failure: the first delay).
    t.clock.advance_millis(1_000);
    refused_here = throttle::api_source_refused(&t.iam, Some(ATTACKER))
        .await
        .unwrap();
    assert!(!refused_here);
    assert!(!throttle::api_source_refused(&t.iam, Some(REAL_USER))
        .await
        .unwrap());
}

/// The counting statement (`store::throttle::count_failure`, SQL so that admission and count
/// are one atomic step) computes exactly what the pure rule says, for every rule in use: the
/// doubling locks, their ceiling, the hour windows and the caps.
#[tokio::test]
async fn the_counting_statement_agrees_with_the_pure_rules() {
    use ferriam::domain::throttle::Rule;
    use ferriam::server::store::throttle as counters;
    let t = common::test_iam(Settings::default()).await;
    let rules: [(&str, Rule); 6] = [
        ("password-address", throttle::PASSWORD_BY_ADDRESS),
        ("password-principal", throttle::PASSWORD_BY_PRINCIPAL),
        ("mfa-principal", throttle::MFA_BY_PRINCIPAL),
        ("mfa-source", throttle::MFA_BY_SOURCE),
        ("api", throttle::API_BY_ADDRESS),
        ("sign-up", throttle::SIGN_UP_BY_SOURCE),
    ];
    for (name, rule) in rules {
        let mut expected = None;
        let mut now = 1_000_000;
        // 150 attempts, some at once and some spread out, across several hour windows.
        for attempt in 0..150_i64 {
            now += [0, 700, 20_000, 61_000, 900_001][(attempt % 5) as usize];
            let open = !expected.is_some_and(|c| rule.refuses(&c, now));
            let counted = counters::count_failure(t.iam.store().writer(), name, &rule, now, true)
                .await
                .unwrap();
            assert_eq!(
                counted.is_some(),
                open,
                "{name}: attempt {attempt} admitted"
            );
            if open {
                expected = Some(rule.after_failure(expected, now));
                assert_eq!(counted, expected, "{name}: attempt {attempt}");
            }
        }
        // A completed failure is counted even while locked.
        let charged = counters::count_failure(t.iam.store().writer(), name, &rule, now, false)
            .await
            .unwrap();
        assert_eq!(charged, Some(rule.after_failure(expected, now)), "{name}");
    }
}
