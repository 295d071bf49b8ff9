//! Service tests for the console's credential flows on a real SQLite database: an IAM user's
//! virtual MFA device named after the user (an abandoned setup replaced, removal in one step,
//! self-service allowed and denied), the ARNs the console asks permission questions about, and
//! generated console passwords.

mod common;

use common::fixtures::{code_at, seed_of};
use common::*;
use ferriam::domain::password_policy::{check_password, PasswordPolicy};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::{
    credentials::mfa, credentials::passwords, credentials::user_mfa, policies::attachments,
};
use ferriam::server::store::sessions;

const SELF_MANAGE: &str = "arn:aws:iam::aws:policy/FerriamSelfManageCredentials";

async fn sessions_of(t: &TestIam, principal_arn: &str) -> usize {
    sessions::for_principal(t.iam.store().reader(), principal_arn, 0)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_user_device_is_named_after_the_user_and_an_abandoned_setup_is_replaced() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    let first = user_mfa::begin_user_mfa(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    assert_eq!(first.serial_number, "arn:aws:iam::123456789012:mfa/bob");
    // Abandoned: a second start gives a fresh seed for the same serial.
    let second = user_mfa::begin_user_mfa(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    assert_eq!(second.serial_number, first.serial_number);
    assert_ne!(second.base32_seed, first.base32_seed);
    assert_eq!(
        mfa::list_virtual_mfa_devices(&t.iam, &root, None, Default::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    // The first seed no longer enables it; the second does.
    let old = seed_of(&first.base32_seed);
    assert_error(
        mfa::enable_mfa_device(
            &t.iam,
            &root,
            Some("bob"),
            &first.serial_number,
            &code_at(&t, &old, -1),
            &code_at(&t, &old, 0),
        )
        .await,
        "InvalidAuthenticationCode",
        "Authentication code for device is not valid.",
    );
    let seed = seed_of(&second.base32_seed);
    mfa::enable_mfa_device(
        &t.iam,
        &root,
        Some("bob"),
        &second.serial_number,
        &code_at(&t, &seed, -1),
        &code_at(&t, &seed, 0),
    )
    .await
    .unwrap();
    let device = user_mfa::user_mfa(&t.iam, &root, Some("bob"))
        .await
        .unwrap()
        .device
        .expect("enabled device");
    assert_eq!(device.serial_number, second.serial_number);
    // An enabled device is not replaced by a new setup.
    assert_error(
        user_mfa::begin_user_mfa(&t.iam, &root, Some("bob")).await,
        "LimitExceeded",
        "Cannot exceed quota for MFADevicesPerUser: 1 (bob already has an MFA device).",
    );
}

#[tokio::test]
async fn removing_a_device_deactivates_and_deletes_it_together() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    let (_, alice) = iam_user(&t, &root, "alice").await;
    let setup = enabled_user_mfa(&t, &root, "bob").await;
    // Not alice's device: nothing changes.
    assert_error(
        user_mfa::remove_user_mfa(&t.iam, &root, Some("alice"), &setup.serial_number).await,
        "NoSuchEntity",
        "MFA device arn:aws:iam::123456789012:mfa/bob is not assigned to alice.",
    );
    assert!(user_mfa::user_mfa(&t.iam, &root, Some("bob"))
        .await
        .unwrap()
        .device
        .is_some());
    let bob_arn = "arn:aws:iam::123456789012:user/bob";
    console_session(&t, bob.principal).await;
    console_session(&t, alice.principal).await;
    user_mfa::remove_user_mfa(&t.iam, &root, Some("bob"), &setup.serial_number)
        .await
        .unwrap();
    assert_eq!(sessions_of(&t, bob_arn).await, 0, "bob signs in again");
    assert_eq!(
        sessions_of(&t, "arn:aws:iam::123456789012:user/alice").await,
        1
    );
    assert!(user_mfa::user_mfa(&t.iam, &root, Some("bob"))
        .await
        .unwrap()
        .device
        .is_none());
    assert!(
        mfa::list_virtual_mfa_devices(&t.iam, &root, None, Default::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn users_manage_their_own_device_with_the_self_service_policy_only() {
    let (t, root) = with_root().await;
    let (_, bob) = iam_user(&t, &root, "bob").await;
    iam_user(&t, &root, "alice").await;
    // Without a policy: AWS's sentence, and no device is created.
    assert_error(
        user_mfa::begin_user_mfa(&t.iam, &bob, None).await,
        "AccessDenied",
        &no_identity_allows(
            "arn:aws:iam::123456789012:user/bob",
            "iam:CreateVirtualMFADevice",
            "arn:aws:iam::123456789012:mfa/bob",
        ),
    );
    assert!(
        mfa::list_virtual_mfa_devices(&t.iam, &root, None, Default::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    attachments::attach_policy(&t.iam, &root, EntityKind::User, "bob", SELF_MANAGE)
        .await
        .unwrap();
    user_mfa::begin_user_mfa(&t.iam, &bob, None).await.unwrap();
    let setup = user_mfa::begin_user_mfa(&t.iam, &bob, None).await.unwrap();
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
    let own = user_mfa::user_mfa(&t.iam, &bob, None).await.unwrap();
    assert_eq!(own.owner_arn, "arn:aws:iam::123456789012:user/bob");
    assert_eq!(own.device_serial, "arn:aws:iam::123456789012:mfa/bob");
    assert_eq!(own.device.map(|d| d.serial_number), Some(own.device_serial));
    // Alice's device stays out of reach.
    assert_eq!(
        user_mfa::begin_user_mfa(&t.iam, &bob, Some("alice"))
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    // Removing it needs a session signed in with MFA, as in AWS's example policy.
    assert_eq!(
        user_mfa::remove_user_mfa(&t.iam, &bob, None, &setup.serial_number)
            .await
            .unwrap_err()
            .code(),
        "AccessDenied"
    );
    let mut bob_with_mfa = bob.clone();
    bob_with_mfa.request.mfa_authenticated_at = Some(t.clock.now_millis());
    user_mfa::remove_user_mfa(&t.iam, &bob_with_mfa, None, &setup.serial_number)
        .await
        .unwrap();
    assert!(user_mfa::user_mfa(&t.iam, &bob, None)
        .await
        .unwrap()
        .device
        .is_none());
}

#[tokio::test]
async fn the_root_device_is_not_managed_through_the_user_flow() {
    let (t, root) = with_root().await;
    assert_eq!(
        user_mfa::begin_user_mfa(&t.iam, &root, None)
            .await
            .unwrap_err()
            .code(),
        "InvalidInput"
    );
}

#[tokio::test]
async fn generated_passwords_meet_the_account_policy_and_differ() {
    let (t, root) = with_root().await;
    let policy = PasswordPolicy {
        minimum_password_length: 32,
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: true,
        ..PasswordPolicy::default()
    };
    passwords::update_account_password_policy(&t.iam, &root, policy.clone())
        .await
        .unwrap();
    let first = passwords::generate_password(&t.iam, &root).await.unwrap();
    let second = passwords::generate_password(&t.iam, &root).await.unwrap();
    assert_eq!(first.chars().count(), 32);
    assert_ne!(first, second);
    assert_eq!(check_password(Some(&policy), &first, &[]), Ok(()));
    iam_user(&t, &root, "bob").await;
    passwords::create_login_profile(&t.iam, &root, "bob", &first, true)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_console_password_is_typed_or_generated_and_read_back_without_an_error_when_absent() {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "bob").await;
    assert_eq!(
        passwords::find_login_profile(&t.iam, &root, "bob")
            .await
            .unwrap()
            .profile,
        None
    );
    assert_eq!(
        passwords::get_login_profile(&t.iam, &root, "bob")
            .await
            .unwrap_err()
            .code(),
        "NoSuchEntity"
    );
    let generated = passwords::set_console_password(&t.iam, &root, "bob", None, true, true)
        .await
        .unwrap()
        .expect("a generated password is shown");
    assert!(generated.chars().count() >= 8);
    let password = passwords::find_login_profile(&t.iam, &root, "bob")
        .await
        .unwrap();
    assert_eq!(password.user_arn, "arn:aws:iam::123456789012:user/bob");
    let profile = password.profile.expect("bob has a console password");
    assert!(profile.password_reset_required);
    let typed = passwords::set_console_password(
        &t.iam,
        &root,
        "bob",
        Some("Typed-Password-42"),
        false,
        false,
    )
    .await
    .unwrap();
    assert_eq!(typed, None, "a typed password is not echoed back");
    let profile = passwords::find_login_profile(&t.iam, &root, "bob")
        .await
        .unwrap()
        .profile
        .unwrap();
    assert!(!profile.password_reset_required);
    // An empty field is no password typed: one is generated.
    let from_empty =
        passwords::set_console_password(&t.iam, &root, "bob", Some(""), false, false).await;
    assert!(from_empty.unwrap().is_some_and(|p| p.chars().count() >= 8));
    // Someone without permission learns nothing, and gets no generated password.
    let (_, eve) = iam_user(&t, &root, "eve").await;
    let error = passwords::set_console_password(&t.iam, &eve, "bob", None, false, false)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "AccessDenied");
}

#[tokio::test]
async fn the_console_password_change_needs_the_new_password_typed_twice() {
    let (t, root) = with_root().await;
    let (_, bob) = user_with_password(&t, &root, "bob", "Old-Password-41").await;
    put_user_policy(&t, &root, "bob", "self", &allow("iam:ChangePassword", "*")).await;
    assert_error(
        passwords::change_password_confirmed(
            &t.iam,
            &bob,
            "Old-Password-41",
            "New-Password-42",
            "New-Password-43",
        )
        .await,
        "ValidationError",
        "The passwords do not match.",
    );
    passwords::change_password_confirmed(
        &t.iam,
        &bob,
        "Old-Password-41",
        "New-Password-42",
        "New-Password-42",
    )
    .await
    .expect("typed twice alike, the password changes");
}

#[tokio::test]
async fn no_other_device_takes_the_root_users_serial_number() {
    let (t, root) = with_root().await;
    assert_error(
        mfa::create_virtual_mfa_device(&t.iam, &root, "root-account-mfa-device", None).await,
        "ValidationError",
        "The name root-account-mfa-device at path / is reserved for the root user's MFA device.",
    );
    iam_user(&t, &root, "root-account-mfa-device").await;
    assert_eq!(
        user_mfa::begin_user_mfa(&t.iam, &root, Some("root-account-mfa-device"))
            .await
            .unwrap_err()
            .code(),
        "ValidationError"
    );
    // Elsewhere the name is an ordinary one.
    mfa::create_virtual_mfa_device(&t.iam, &root, "root-account-mfa-device", Some("/team/"))
        .await
        .unwrap();
    let setup = mfa::create_root_virtual_mfa(&t.iam, &root).await.unwrap();
    assert_eq!(
        setup.serial_number,
        "arn:aws:iam::123456789012:mfa/root-account-mfa-device"
    );
}
