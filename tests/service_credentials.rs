//! Service tests for credentials on a real SQLite database: access keys (limit, secret shown
//! once and sealed at rest), console passwords and the account password policy (each rule,
//! reuse prevention, expiry and hard expiry), IAM-user sign-in, virtual MFA devices, and
//! self-service allowed and denied.

mod common;

use common::fixtures::{code_at, seed_of};
use common::*;
use ferriam::domain::iam_models::Page;
use ferriam::domain::password_policy::PasswordPolicy;
use ferriam::server::service::credentials::mfa::MfaDevice;
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::paging::PageRequest;
use ferriam::server::service::signin::{self, SignInOutcome};
use ferriam::server::service::{
    account::alias, credentials::access_keys, credentials::mfa, credentials::passwords,
    entities::groups, entities::users, Caller, RequestInfo,
};

const SELF_MANAGE: &str = "arn:aws:iam::aws:policy/FerriamSelfManageCredentials";
const CHANGE_PASSWORD: &str = "arn:aws:iam::aws:policy/IAMUserChangePassword";
const GOOD: &str = "Correct-Horse-42";

fn strict_policy() -> PasswordPolicy {
    PasswordPolicy {
        minimum_password_length: 12,
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: true,
        allow_users_to_change_password: true,
        max_password_age: Some(90),
        password_reuse_prevention: Some(3),
        hard_expiry: false,
    }
}

async fn with_password(t: &TestIam, root: &Caller, name: &str, password: &str, reset: bool) {
    passwords::create_login_profile(&t.iam, root, name, password, reset)
        .await
        .expect("create login profile");
}

// ---- Access keys -------------------------------------------------------------------------------

#[tokio::test]
async fn access_keys_have_aws_shapes_and_at_most_two_per_principal() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    let first = access_keys::create_access_key(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    assert_eq!(first.access_key_id.len(), 20);
    assert!(first.access_key_id.starts_with("AKIA"));
    assert!(first.access_key_id[4..]
        .bytes()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    assert_eq!(first.secret_access_key.len(), 40);
    assert_eq!(
        (first.status.as_str(), first.user_name.as_deref()),
        ("Active", Some("bob"))
    );
    let second = access_keys::create_access_key(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    assert_ne!(first.secret_access_key, second.secret_access_key);
    assert_error(
        access_keys::create_access_key(&t.iam, &root, Some("bob")).await,
        "LimitExceeded",
        "Cannot exceed quota for AccessKeysPerUser: 2",
    );
    // The root user's keys are separate and limited the same way.
    access_keys::create_access_key(&t.iam, &root, None)
        .await
        .unwrap();
    access_keys::create_access_key(&t.iam, &root, None)
        .await
        .unwrap();
    assert!(access_keys::create_access_key(&t.iam, &root, None)
        .await
        .is_err());
}

#[tokio::test]
async fn two_concurrent_creates_at_the_limit_never_yield_a_third_key() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    access_keys::create_access_key(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        access_keys::create_access_key(&t.iam, &root, Some("bob")),
        access_keys::create_access_key(&t.iam, &root, Some("bob")),
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1);
    let keys = access_keys::list_access_keys(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    assert_eq!(keys.len(), 2);
}

#[tokio::test]
async fn the_keys_overview_shows_age_and_last_use_only_to_who_may_read_it() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    let (_, lister) = iam_user(&t, &root, "lister").await;
    let (_, auditor) = iam_user(&t, &root, "auditor").await;
    put_user_policy(
        &t,
        &root,
        "lister",
        "list",
        &allow("iam:ListAccessKeys", "*"),
    )
    .await;
    let both = allow("iam:ListAccessKeys", "*").replace(
        r#""Action":"iam:ListAccessKeys""#,
        r#""Action":["iam:ListAccessKeys","iam:GetAccessKeyLastUsed"]"#,
    );
    put_user_policy(&t, &root, "auditor", "both", &both).await;
    let key = access_keys::create_access_key(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    t.clock.advance_millis(3 * 86_400_000 + 5_000);
    ferriam::server::service::credentials::api_keys::record_key_use(
        &t.iam,
        &key.access_key_id,
        "iam",
        "eu-west-1",
    )
    .await
    .unwrap();
    let used_at = t.clock.now_millis();

    let overview = access_keys::access_key_overview(&t.iam, &auditor, Some("bob"))
        .await
        .unwrap();
    assert_eq!(
        overview.owner_arn,
        format!("arn:aws:iam::{ACCOUNT}:user/bob")
    );
    let seen = overview.keys;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].key.access_key_id, key.access_key_id);
    assert_eq!(seen[0].key.user_name.as_deref(), Some("bob"));
    assert_eq!(seen[0].age_days, 3);
    let used = seen[0]
        .last_used
        .as_ref()
        .expect("the auditor sees the use");
    assert_eq!(used.last_used_date, Some(used_at));
    assert_eq!(used.service_name.as_deref(), Some("iam"));
    assert_eq!(used.region.as_deref(), Some("eu-west-1"));

    // Listing without GetAccessKeyLastUsed shows the key but not its use ("N/A").
    let listed = access_keys::access_key_overview(&t.iam, &lister, Some("bob"))
        .await
        .unwrap()
        .keys;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].last_used, None);

    // Without ListAccessKeys nothing is shown.
    let (nobody_user, nobody) = iam_user(&t, &root, "nobody").await;
    assert_error(
        access_keys::access_key_overview(&t.iam, &nobody, Some("bob")).await,
        "AccessDenied",
        &no_identity_allows(&nobody_user.arn, "iam:ListAccessKeys", "user bob"),
    );
}

#[tokio::test]
async fn the_secret_is_returned_once_and_sealed_at_rest() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    let key = access_keys::create_access_key(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    let secret = key.secret_access_key.clone();

    // No read path carries it.
    let listed = access_keys::list_access_keys(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    let last_used = access_keys::get_access_key_last_used(&t.iam, &root, &key.access_key_id)
        .await
        .unwrap();
    let detail =
        ferriam::server::service::entities::user_detail::get_user_detail(&t.iam, &root, "bob")
            .await
            .unwrap();
    for text in [
        serde_json::to_string(&listed).unwrap(),
        serde_json::to_string(&last_used).unwrap(),
        serde_json::to_string(&detail).unwrap(),
    ] {
        assert!(
            !text.contains(&secret),
            "a read path returned the secret: {text}"
        );
    }
    assert_eq!(listed[0].access_key_id, key.access_key_id);
    assert_eq!(last_used.last_used_date, None);

    // SigV4 can still open it.
    let signing = access_keys::signing_key(&t.iam, &key.access_key_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(signing.secret.as_slice(), secret.as_bytes());
    assert!(signing.active);

    // The database never holds it in the clear.
    let bytes = common::stored::stored_bytes(&t).await;
    assert!(
        !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
        "secret found in the database"
    );
}

#[tokio::test]
async fn keys_are_deactivated_reactivated_and_deleted_only_by_their_owner() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    let key = access_keys::create_access_key(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    access_keys::update_access_key(&t.iam, &root, Some("bob"), &key.access_key_id, "Inactive")
        .await
        .unwrap();
    assert!(
        !access_keys::signing_key(&t.iam, &key.access_key_id)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    assert_error(
        access_keys::update_access_key(&t.iam, &root, Some("bob"), &key.access_key_id, "Paused").await,
        "ValidationError",
        "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]",
    );
    // Another user's name does not reach bob's key.
    assert_error(
        access_keys::delete_access_key(&t.iam, &root, Some("alice"), &key.access_key_id).await,
        "NoSuchEntity",
        &format!(
            "The Access Key with id {} cannot be found.",
            key.access_key_id
        ),
    );
    access_keys::delete_access_key(&t.iam, &root, Some("bob"), &key.access_key_id)
        .await
        .unwrap();
    assert!(access_keys::signing_key(&t.iam, &key.access_key_id)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_user_with_keys_or_a_password_cannot_be_deleted_through_the_api() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    with_password(&t, &root, "bob", GOOD, false).await;
    let key = access_keys::create_access_key(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    assert_error(
        users::delete_user(&t.iam, &root, "bob").await,
        "DeleteConflict",
        "Cannot delete entity, must delete login profile first.",
    );
    passwords::delete_login_profile(&t.iam, &root, "bob")
        .await
        .unwrap();
    assert_error(
        users::delete_user(&t.iam, &root, "bob").await,
        "DeleteConflict",
        "Cannot delete entity, must delete access keys first.",
    );
    // The console's delete removes both in one go.
    users::delete_user_and_dependents(&t.iam, &root, "bob")
        .await
        .unwrap();
    assert!(access_keys::signing_key(&t.iam, &key.access_key_id)
        .await
        .unwrap()
        .is_none());
}

// ---- Password policy and login profiles -------------------------------------------------------

#[tokio::test]
async fn each_password_policy_rule_is_enforced_with_its_message() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    assert_error(
        passwords::get_account_password_policy(&t.iam, &root).await,
        "NoSuchEntity",
        "The Password Policy with domain name 123456789012 cannot be found.",
    );
    // Without a policy, AWS's default rules apply.
    assert_error(
        passwords::create_login_profile(&t.iam, &root, "bob", "horsebattery", false).await,
        "PasswordPolicyViolation",
        "Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol",
    );
    passwords::update_account_password_policy(&t.iam, &root, strict_policy())
        .await
        .unwrap();
    assert_eq!(
        passwords::get_account_password_policy(&t.iam, &root)
            .await
            .unwrap(),
        strict_policy()
    );
    for (password, message) in [
        ("Short-1a", "Password should have a minimum length of 12"),
        (
            "correct-horse-42",
            "Password should have at least one uppercase letter",
        ),
        (
            "CORRECT-HORSE-42",
            "Password should have at least one lowercase letter",
        ),
        (
            "Correct-Horse-xx",
            "Password should have at least one number",
        ),
        (
            "CorrectHorse4242",
            "Password should have at least one symbol",
        ),
    ] {
        assert_error(
            passwords::create_login_profile(&t.iam, &root, "bob", password, false).await,
            "PasswordPolicyViolation",
            message,
        );
    }
    assert_error(
        passwords::get_login_profile(&t.iam, &root, "bob").await,
        "NoSuchEntity",
        "Login Profile for User bob cannot be found.",
    );
    let profile = passwords::create_login_profile(&t.iam, &root, "bob", GOOD, true)
        .await
        .unwrap();
    assert!(profile.password_reset_required);
    assert_error(
        passwords::create_login_profile(&t.iam, &root, "bob", GOOD, true).await,
        "EntityAlreadyExists",
        "Login Profile for user bob already exists.",
    );
}

#[tokio::test]
async fn password_policy_settings_are_range_checked() {
    let (t, root) = with_root().await;
    for (policy, message) in [
        (
            PasswordPolicy { minimum_password_length: 5, ..strict_policy() },
            "1 validation error detected: Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
        ),
        (
            PasswordPolicy { max_password_age: Some(1096), ..strict_policy() },
            "1 validation error detected: Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095",
        ),
        (
            PasswordPolicy { password_reuse_prevention: Some(25), ..strict_policy() },
            "1 validation error detected: Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24",
        ),
    ] {
        assert_error(passwords::update_account_password_policy(&t.iam, &root, policy).await, "ValidationError", message);
    }
    assert!(
        passwords::get_account_password_policy(&t.iam, &root)
            .await
            .is_err(),
        "nothing saved"
    );
    passwords::update_account_password_policy(&t.iam, &root, strict_policy())
        .await
        .unwrap();
    passwords::delete_account_password_policy(&t.iam, &root)
        .await
        .unwrap();
    assert!(passwords::get_account_password_policy(&t.iam, &root)
        .await
        .is_err());
}

#[tokio::test]
async fn users_change_their_own_password_only_when_allowed() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    with_password(&t, &root, "bob", GOOD, false).await;
    // No policy flag and no permission: denied with AWS's sentence.
    let denied = passwords::change_password(&t.iam, &bob, GOOD, "Another-Horse-43")
        .await
        .unwrap_err();
    assert_eq!(denied.code(), "AccessDenied", "{denied}");
    // IAMUserChangePassword grants it.
    ferriam::server::service::policies::attachments::attach_policy(
        &t.iam,
        &root,
        EntityKind::User,
        "bob",
        CHANGE_PASSWORD,
    )
    .await
    .unwrap();
    assert_error(
        passwords::change_password(&t.iam, &bob, "wrong old password", "Another-Horse-43").await,
        "InvalidInput",
        "The old password is incorrect.",
    );
    passwords::change_password(&t.iam, &bob, GOOD, "Another-Horse-43")
        .await
        .unwrap();
    // The root user has no login profile to change this way.
    assert_eq!(
        passwords::change_password(&t.iam, &root, "a", "b")
            .await
            .unwrap_err()
            .code(),
        "InvalidUserType"
    );
}

/// SECURITY: with a stolen key or session, ChangePassword's old password could be guessed;
/// it goes through the sign-in's defences, on the same counter as the user's sign-in (three
/// wrong here and two at sign-in make the five free failures), and a throttled attempt reads
/// as a wrong password and costs no argon2 work.
#[tokio::test]
async fn wrong_old_passwords_lock_change_password_together_with_sign_in() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    with_password(&t, &root, "bob", GOOD, false).await;
    ferriam::server::service::policies::attachments::attach_policy(
        &t.iam,
        &root,
        EntityKind::User,
        "bob",
        CHANGE_PASSWORD,
    )
    .await
    .unwrap();
    let from = |source: &str| RequestInfo {
        source_ip: Some(source.to_string()),
        ..RequestInfo::default()
    };
    let mut thief = bob.clone();
    thief.request.source_ip = Some("203.0.113.7".into());
    for _ in 0..3 {
        assert_error(
            passwords::change_password(&t.iam, &thief, "wrong old password", "Another-Horse-43")
                .await,
            "InvalidInput",
            "The old password is incorrect.",
        );
    }
    for _ in 0..2 {
        signin::sign_in_user(&t.iam, &from("203.0.113.8"), ACCOUNT, "bob", "wrong")
            .await
            .unwrap_err();
    }
    let verified = t.iam.hasher().verifications();
    assert_error(
        passwords::change_password(&t.iam, &thief, GOOD, "Another-Horse-43").await,
        "InvalidInput",
        "The old password is incorrect.",
    );
    assert!(
        signin::sign_in_user(&t.iam, &from("198.51.100.20"), ACCOUNT, "bob", GOOD)
            .await
            .is_err()
    );
    assert_eq!(
        t.iam.hasher().verifications(),
        verified,
        "refused without argon2 work"
    );
    t.clock.advance_millis(1_000);
    passwords::change_password(&t.iam, &bob, GOOD, "Another-Horse-43")
        .await
        .expect("the lock ends");
}

#[tokio::test]
async fn recent_passwords_cannot_be_reused() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    passwords::update_account_password_policy(&t.iam, &root, strict_policy())
        .await
        .unwrap();
    with_password(&t, &root, "bob", GOOD, false).await;
    passwords::change_password(&t.iam, &bob, GOOD, "Second-Horse-43")
        .await
        .unwrap();
    passwords::change_password(&t.iam, &bob, "Second-Horse-43", "Third-Horse-444")
        .await
        .unwrap();
    assert_error(
        passwords::change_password(&t.iam, &bob, "Third-Horse-444", GOOD).await,
        "PasswordPolicyViolation",
        "Password should not be one of your last 3 passwords",
    );
    passwords::change_password(&t.iam, &bob, "Third-Horse-444", "Fourth-Horse-45")
        .await
        .unwrap();
    // Four passwords later, the first is allowed again.
    passwords::change_password(&t.iam, &bob, "Fourth-Horse-45", GOOD)
        .await
        .unwrap();
}

// ---- IAM-user sign-in -------------------------------------------------------------------------

#[tokio::test]
async fn iam_users_sign_in_by_account_id_or_alias_with_the_generic_error() {
    let (t, root) = with_root().await;
    let (bob_user, _) = iam_user(&t, &root, "bob").await;
    with_password(&t, &root, "bob", GOOD, false).await;
    alias::create_account_alias(&t.iam, &root, "acme")
        .await
        .unwrap();
    for account in [ACCOUNT, "acme"] {
        match signin::sign_in_user(&t.iam, &RequestInfo::default(), account, "BOB", GOOD)
            .await
            .unwrap()
        {
            SignInOutcome::SignedIn {
                principal,
                with_mfa,
            } => {
                assert_eq!(principal.arn(), bob_user.arn);
                assert!(!with_mfa);
            }
            other => panic!("expected SignedIn, got {other:?}"),
        }
    }
    for (account, user, password) in [
        (ACCOUNT, "bob", "wrong"),
        (ACCOUNT, "nobody", GOOD),
        ("no-such-alias", "bob", GOOD),
        ("999999999999", "bob", GOOD),
    ] {
        let error = signin::sign_in_user(&t.iam, &RequestInfo::default(), account, user, password)
            .await
            .unwrap_err();
        assert_eq!(
            error.public_message(),
            "Your authentication information is incorrect."
        );
    }
    // A user without a console password cannot sign in.
    iam_user(&t, &root, "carol").await;
    assert!(
        signin::sign_in_user(&t.iam, &RequestInfo::default(), ACCOUNT, "carol", GOOD)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_reset_or_expired_password_must_be_replaced_and_hard_expiry_blocks() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    passwords::update_account_password_policy(&t.iam, &root, strict_policy())
        .await
        .unwrap();
    with_password(&t, &root, "bob", GOOD, true).await;
    let SignInOutcome::Pending(pending) =
        signin::sign_in_user(&t.iam, &RequestInfo::default(), ACCOUNT, "bob", GOOD)
            .await
            .unwrap()
    else {
        panic!("a reset password must be replaced first");
    };
    assert!(pending.needs_new_password && !pending.password_expired && !pending.needs_mfa);
    assert_error(
        passwords::complete_new_password(&t.iam, &pending, "weak", "weak").await,
        "PasswordPolicyViolation",
        "Password should have a minimum length of 12, Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol",
    );
    assert_error(
        passwords::complete_new_password(&t.iam, &pending, GOOD, GOOD).await,
        "PasswordPolicyViolation",
        "Password should not be one of your last 3 passwords",
    );
    let done = passwords::complete_new_password(
        &t.iam,
        &pending,
        "Brand-New-Horse-1",
        "Brand-New-Horse-1",
    )
    .await
    .unwrap();
    assert!(matches!(done, SignInOutcome::SignedIn { .. }));
    assert!(matches!(
        signin::sign_in_user(
            &t.iam,
            &RequestInfo::default(),
            ACCOUNT,
            "bob",
            "Brand-New-Horse-1"
        )
        .await
        .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));

    // 91 days later the password has expired: a new one is asked for.
    t.clock.advance_millis(91 * 24 * 60 * 60 * 1000);
    let SignInOutcome::Pending(pending) = signin::sign_in_user(
        &t.iam,
        &RequestInfo::default(),
        ACCOUNT,
        "bob",
        "Brand-New-Horse-1",
    )
    .await
    .unwrap() else {
        panic!("an expired password must be replaced");
    };
    assert!(pending.password_expired);
    // With hard expiry, the user is blocked until an administrator resets it.
    passwords::update_account_password_policy(
        &t.iam,
        &root,
        PasswordPolicy {
            hard_expiry: true,
            ..strict_policy()
        },
    )
    .await
    .unwrap();
    assert_error(
        signin::sign_in_user(
            &t.iam,
            &RequestInfo::default(),
            ACCOUNT,
            "bob",
            "Brand-New-Horse-1",
        )
        .await,
        "PasswordExpired",
        "Your password has expired. Ask your administrator to reset it.",
    );
    passwords::update_login_profile(
        &t.iam,
        &root,
        "bob",
        Some("Admin-Reset-Horse-7"),
        Some(false),
    )
    .await
    .unwrap();
    assert!(matches!(
        signin::sign_in_user(
            &t.iam,
            &RequestInfo::default(),
            ACCOUNT,
            "bob",
            "Admin-Reset-Horse-7"
        )
        .await
        .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));
}

// ---- Virtual MFA for IAM users ------------------------------------------------------------------

#[tokio::test]
async fn mfa_devices_are_created_enabled_resynced_deactivated_and_deleted() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    with_password(&t, &root, "bob", GOOD, false).await;
    let setup = mfa::create_virtual_mfa_device(&t.iam, &root, "bob-phone", None)
        .await
        .unwrap();
    assert_eq!(
        setup.serial_number,
        "arn:aws:iam::123456789012:mfa/bob-phone"
    );
    assert_error(
        mfa::create_virtual_mfa_device(&t.iam, &root, "bob-phone", None).await,
        "EntityAlreadyExists",
        "MFADevice entity at the same path and name already exists.",
    );
    let seed = seed_of(&setup.base32_seed);
    let serial = setup.serial_number.clone();
    assert_error(
        mfa::enable_mfa_device(&t.iam, &root, Some("bob"), &serial, "000000", "111111").await,
        "InvalidAuthenticationCode",
        "Authentication code for device is not valid.",
    );
    mfa::enable_mfa_device(
        &t.iam,
        &root,
        Some("bob"),
        &serial,
        &code_at(&t, &seed, -1),
        &code_at(&t, &seed, 0),
    )
    .await
    .unwrap();
    let devices = mfa::list_mfa_devices(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].serial_number, serial);

    // Sign-in now asks for a code; the step used to enable is spent.
    let SignInOutcome::Pending(pending) =
        signin::sign_in_user(&t.iam, &RequestInfo::default(), ACCOUNT, "bob", GOOD)
            .await
            .unwrap()
    else {
        panic!("MFA must be required");
    };
    assert!(signin::complete_mfa(
        &t.iam,
        &RequestInfo::default(),
        &pending,
        &code_at(&t, &seed, 0)
    )
    .await
    .is_err());
    assert!(matches!(
        signin::complete_mfa(
            &t.iam,
            &RequestInfo::default(),
            &pending,
            &code_at(&t, &seed, 1)
        )
        .await
        .unwrap(),
        SignInOutcome::SignedIn { with_mfa: true, .. }
    ));

    // Resync after the device drifts: two consecutive codes from later steps.
    t.clock.advance_millis(10 * 60 * 1000);
    mfa::resync_mfa_device(
        &t.iam,
        &root,
        Some("bob"),
        &serial,
        &code_at(&t, &seed, -1),
        &code_at(&t, &seed, 0),
    )
    .await
    .unwrap();
    assert_error(
        mfa::delete_virtual_mfa_device(&t.iam, &root, &serial).await,
        "DeleteConflict",
        "MFA device is in use. Deactivate it first.",
    );
    mfa::deactivate_mfa_device(&t.iam, &root, Some("bob"), &serial)
        .await
        .unwrap();
    assert!(mfa::list_mfa_devices(&t.iam, &root, Some("bob"))
        .await
        .unwrap()
        .is_empty());
    let unassigned =
        mfa::list_virtual_mfa_devices(&t.iam, &root, Some("Unassigned"), Default::default())
            .await
            .unwrap()
            .items;
    assert_eq!(unassigned.len(), 1);
    mfa::delete_virtual_mfa_device(&t.iam, &root, &serial)
        .await
        .unwrap();
    assert!(
        mfa::list_virtual_mfa_devices(&t.iam, &root, None, Default::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // Without a device, sign-in needs no code again.
    assert!(matches!(
        signin::sign_in_user(&t.iam, &RequestInfo::default(), ACCOUNT, "bob", GOOD)
            .await
            .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));
}

// ---- Self-service ----------------------------------------------------------------------------------

#[tokio::test]
async fn the_self_service_policy_covers_own_credentials_only() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    ferriam::server::service::policies::attachments::attach_policy(
        &t.iam,
        &root,
        EntityKind::User,
        "bob",
        SELF_MANAGE,
    )
    .await
    .unwrap();
    // Own access keys: yes. Alice's: no, with AWS's sentence.
    let key = access_keys::create_access_key(&t.iam, &bob, None)
        .await
        .unwrap();
    assert_eq!(key.user_name.as_deref(), Some("bob"));
    assert_eq!(
        access_keys::list_access_keys(&t.iam, &bob, None)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_error(
        access_keys::create_access_key(&t.iam, &bob, Some("alice")).await,
        "AccessDenied",
        &no_identity_allows(
            "arn:aws:iam::123456789012:user/bob",
            "iam:CreateAccessKey",
            "user alice",
        ),
    );
    // Own MFA device, named after the user as the policy's `mfa/${aws:username}` expects.
    let setup = mfa::create_virtual_mfa_device(&t.iam, &bob, "bob", None)
        .await
        .unwrap();
    let seed = seed_of(&setup.base32_seed);
    mfa::enable_mfa_device(
        &t.iam,
        &bob,
        None,
        &setup.serial_number,
        &code_at(&t, &seed, -1),
        &code_at(&t, &seed, 0),
    )
    .await
    .unwrap();
    assert!(mfa::create_virtual_mfa_device(&t.iam, &bob, "alice", None)
        .await
        .is_err());
    // Administrative actions stay out of reach.
    assert_eq!(
        users::delete_user(&t.iam, &bob, "alice")
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
}

#[tokio::test]
async fn only_the_root_user_manages_root_keys_and_the_root_device() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    ferriam::server::service::policies::attachments::attach_policy(
        &t.iam,
        &root,
        EntityKind::User,
        "bob",
        "arn:aws:iam::aws:policy/AdministratorAccess",
    )
    .await
    .unwrap();
    assert_eq!(
        mfa::create_root_virtual_mfa(&t.iam, &bob)
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    // Bob's own keys (no user name) are bob's, never the root user's.
    let key = access_keys::create_access_key(&t.iam, &bob, None)
        .await
        .unwrap();
    assert_eq!(key.user_name.as_deref(), Some("bob"));
    assert!(access_keys::list_access_keys(&t.iam, &root, None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_account_alias_is_unique_and_replaceable() {
    let t = test_iam(Default::default()).await;
    let one = account(&t, ACCOUNT).await;
    let two = account(&t, OTHER_ACCOUNT).await;
    alias::create_account_alias(&t.iam, &one, "acme")
        .await
        .unwrap();
    alias::create_account_alias(&t.iam, &one, "acme")
        .await
        .unwrap();
    assert_error(
        alias::create_account_alias(&t.iam, &two, "acme").await,
        "EntityAlreadyExists",
        "The account alias acme already exists.",
    );
    assert_eq!(
        alias::create_account_alias(&t.iam, &two, "Not_Valid")
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );
    alias::create_account_alias(&t.iam, &one, "acme-prod")
        .await
        .unwrap();
    assert_eq!(
        alias::list_account_aliases(&t.iam, &one).await.unwrap(),
        vec!["acme-prod".to_string()]
    );
    assert_error(
        alias::delete_account_alias(&t.iam, &one, "acme").await,
        "NoSuchEntity",
        "The account alias acme cannot be found.",
    );
    alias::delete_account_alias(&t.iam, &one, "acme-prod")
        .await
        .unwrap();
    assert!(alias::list_account_aliases(&t.iam, &one)
        .await
        .unwrap()
        .is_empty());
    // The freed alias is available to the other account.
    alias::create_account_alias(&t.iam, &two, "acme")
        .await
        .unwrap();
}

#[tokio::test]
async fn revoking_the_password_stops_a_sign_in_halfway_through_its_steps() {
    const NEW: &str = "Brand-New-Horse-1";
    let refused = |result| {
        assert_error(
            result,
            "SignInFailed",
            "Your authentication information is incorrect.",
        )
    };
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    with_password(&t, &root, "bob", GOOD, true).await;
    let pending_step = || async {
        match signin::sign_in_user(&t.iam, &RequestInfo::default(), ACCOUNT, "bob", GOOD)
            .await
            .unwrap()
        {
            SignInOutcome::Pending(pending) => pending,
            other => panic!("a new password is asked for first, got {other:?}"),
        }
    };

    // An administrator sets another password meanwhile: the pending step cannot replace it.
    let pending = pending_step().await;
    passwords::update_login_profile(&t.iam, &root, "bob", Some("Admin-Chosen-Pw-7"), Some(true))
        .await
        .unwrap();
    refused(passwords::complete_new_password(&t.iam, &pending, NEW, NEW).await);
    assert!(matches!(
        signin::sign_in_user(
            &t.iam,
            &RequestInfo::default(),
            ACCOUNT,
            "bob",
            "Admin-Chosen-Pw-7"
        )
        .await
        .unwrap(),
        SignInOutcome::Pending(_)
    ));

    // The console password is deleted meanwhile: no session comes of the pending step.
    passwords::update_login_profile(&t.iam, &root, "bob", Some(GOOD), Some(true))
        .await
        .unwrap();
    let pending = pending_step().await;
    passwords::delete_login_profile(&t.iam, &root, "bob")
        .await
        .unwrap();
    refused(passwords::complete_new_password(&t.iam, &pending, NEW, NEW).await);
}

/// Every page of `ListVirtualMFADevices` with `status` and `max_items`: (serial's device
/// name, user name) of each device on each page.
async fn device_pages(
    t: &TestIam,
    root: &Caller,
    status: Option<&str>,
    max_items: i64,
) -> Vec<Vec<(String, Option<String>)>> {
    let mut pages = Vec::new();
    let mut marker = None;
    loop {
        let request = PageRequest {
            marker: marker.take(),
            max_items: Some(max_items),
        };
        let page = mfa::list_virtual_mfa_devices(&t.iam, root, status, request)
            .await
            .unwrap();
        pages.push(
            page.items
                .into_iter()
                .map(|d| {
                    let name = d.serial_number.rsplit('/').next().unwrap().to_string();
                    (name, d.user_name)
                })
                .collect(),
        );
        match page.marker {
            Some(next) => marker = Some(next),
            None => return pages,
        }
    }
}

/// Unassigned devices alpha, cat, eel, fox and the enabled devices of users bob and dan.
async fn six_devices(t: &TestIam, root: &Caller) {
    for name in ["alpha", "cat", "eel", "fox"] {
        mfa::create_virtual_mfa_device(&t.iam, root, name, None)
            .await
            .unwrap();
    }
    for user in ["bob", "dan"] {
        iam_user(t, root, user).await;
        enabled_user_mfa(t, root, user).await;
    }
}

fn names(page: &[(String, Option<String>)]) -> Vec<&str> {
    page.iter().map(|(name, _)| name.as_str()).collect()
}

#[tokio::test]
async fn virtual_mfa_devices_page_in_the_store_with_the_filter_applied_first() {
    let (t, root) = with_root().await;
    six_devices(&t, &root).await;
    for max_items in [1, 2] {
        let pages = device_pages(&t, &root, None, max_items).await;
        assert_eq!(
            names(&pages.concat()),
            ["alpha", "bob", "cat", "dan", "eel", "fox"]
        );
        assert!(pages.iter().all(|page| page.len() == max_items as usize));
        // Filtered: assigned and unassigned devices alternate, yet every page is full.
        let unassigned = device_pages(&t, &root, Some("Unassigned"), max_items).await;
        assert!(unassigned
            .iter()
            .all(|page| page.len() == max_items as usize));
        let unassigned = unassigned.concat();
        assert_eq!(names(&unassigned), ["alpha", "cat", "eel", "fox"]);
        assert!(unassigned.iter().all(|(_, user)| user.is_none()));
        let assigned = device_pages(&t, &root, Some("Assigned"), max_items).await;
        assert!(assigned.iter().all(|page| page.len() == max_items as usize));
        assert_eq!(
            assigned.concat(),
            [
                ("bob".to_string(), Some("bob".to_string())),
                ("dan".to_string(), Some("dan".to_string()))
            ]
        );
    }
}

#[tokio::test]
async fn virtual_mfa_devices_continue_after_the_last_one_shown_when_devices_change() {
    let (t, root) = with_root().await;
    six_devices(&t, &root).await;
    let two = |marker: Option<String>| PageRequest {
        marker,
        max_items: Some(2),
    };
    let first = mfa::list_virtual_mfa_devices(&t.iam, &root, None, two(None))
        .await
        .unwrap();
    let serial = |name: &str| format!("arn:aws:iam::123456789012:mfa/{name}");
    let serials = |page: &Page<MfaDevice>| -> Vec<String> {
        page.items.iter().map(|d| d.serial_number.clone()).collect()
    };
    assert_eq!(serials(&first), [serial("alpha"), serial("bob")]);
    // Between the pages: a device of page 1 goes, two sorting before the marker come.
    mfa::delete_virtual_mfa_device(&t.iam, &root, &serial("alpha"))
        .await
        .unwrap();
    for name in ["aa", "ab"] {
        mfa::create_virtual_mfa_device(&t.iam, &root, name, None)
            .await
            .unwrap();
    }
    let second = mfa::list_virtual_mfa_devices(&t.iam, &root, None, two(first.marker))
        .await
        .unwrap();
    assert_eq!(serials(&second), [serial("cat"), serial("dan")]);
}

#[tokio::test]
async fn virtual_mfa_devices_refuse_markers_they_did_not_make() {
    let (t, root) = with_root().await;
    six_devices(&t, &root).await;
    let groups_marker = {
        for name in ["ops", "web"] {
            create_group(&t, &root, name).await;
        }
        groups::list_groups(
            &t.iam,
            &root,
            groups::ListGroups {
                path_prefix: None,
                name_prefix: None,
                marker: None,
                max_items: Some(1),
            },
        )
        .await
        .unwrap()
        .marker
        .unwrap()
    };
    for marker in ["%%%".to_string(), groups_marker] {
        assert_error(
            mfa::list_virtual_mfa_devices(
                &t.iam,
                &root,
                Some("Any"),
                PageRequest {
                    marker: Some(marker),
                    max_items: None,
                },
            )
            .await,
            "ValidationError",
            "Invalid Marker: the marker does not come from a previous listing.",
        );
    }
}
