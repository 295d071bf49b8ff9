//! `ferriam master-key rotate`: every sealed value moves to the new key in one transaction, the
//! key file is replaced (0600), keys and MFA devices keep working, and the old key opens nothing.

mod common;

use ferriam::server::service::federation::console_signin::{self, SetConsoleSignin};
use ferriam::server::service::federation::oidc_providers::{self, CreateOidcProvider};
use std::path::Path;

use common::*;
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::server::crypto::{load_master_key, load_or_create_master_key};
use ferriam::server::master_key::{rotate, RotateError, Rotated};
use ferriam::server::passwords::PasswordHasher;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::signin::{self, SignInOutcome};
use ferriam::server::service::{credentials::access_keys, credentials::mfa, Iam, RequestInfo};
use ferriam::server::store::Store;

const PASSWORD: &str = "Correct-Horse-Battery-9";

fn iam_with_key(t: &TestIam, key_file: &Path) -> Iam {
    Iam::new(
        t.iam.store().clone(),
        PasswordHasher::new(2),
        load_master_key(key_file).expect("key"),
        t.clock.clone(),
        Settings::default(),
    )
}

async fn with_key_file() -> (TestIam, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("master.key");
    let url = format!("sqlite://{}", dir.path().join("ferriam.db").display());
    let store = Store::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    let clock = ferriam::server::clock::Clock::manual(START_MILLIS);
    let iam = Iam::new(
        store,
        PasswordHasher::new(2),
        load_or_create_master_key(&key_file).unwrap(),
        clock.clone(),
        Settings::default(),
    );
    (
        TestIam {
            iam,
            clock,
            dir,
            database: DroppedWithTest::none(),
        },
        key_file,
    )
}

fn code(t: &TestIam, seed: &[u8], offset: i64) -> String {
    code_for_step(
        seed,
        (step_at(t.clock.now_seconds()) as i64 + offset) as u64,
    )
    .unwrap()
}

/// Signs bob in with his password and a code from his device.
async fn signs_in_with_mfa(iam: &Iam, t: &TestIam, seed: &[u8], offset: i64) -> bool {
    let request = RequestInfo::default();
    let Ok(SignInOutcome::Pending(pending)) =
        signin::sign_in_user(iam, &request, ACCOUNT, "bob", PASSWORD).await
    else {
        panic!("password step");
    };
    matches!(
        signin::complete_mfa(iam, &request, &pending, &code(t, seed, offset)).await,
        Ok(SignInOutcome::SignedIn { with_mfa: true, .. })
    )
}

#[tokio::test]
async fn rotation_reseals_everything_and_the_old_key_opens_nothing() {
    let (t, key_file) = with_key_file().await;
    let root = account(&t, ACCOUNT).await;
    user_with_password(&t, &root, "bob", PASSWORD).await;
    let key = access_keys::create_access_key(&t.iam, &root, Some("bob"))
        .await
        .unwrap();
    let setup = mfa::create_virtual_mfa_device(&t.iam, &root, "bob-phone", None)
        .await
        .unwrap();
    let seed = totp_rs::Secret::try_from_base32(&setup.base32_seed)
        .unwrap()
        .as_bytes()
        .to_vec();
    mfa::enable_mfa_device(
        &t.iam,
        &root,
        Some("bob"),
        &setup.serial_number,
        &code(&t, &seed, -1),
        &code(&t, &seed, 0),
    )
    .await
    .unwrap();
    let provider = "arn:aws:iam::123456789012:oidc-provider/login.example.com";
    oidc_providers::create(
        &t.iam,
        &root,
        CreateOidcProvider {
            url: "https://login.example.com".into(),
            client_ids: vec!["console".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    console_signin::set(
        &t.iam,
        &root,
        provider,
        SetConsoleSignin {
            label: "Corp".into(),
            client_id: "console".into(),
            client_secret: Some("client-secret".into()),
            name_claim: "email".into(),
        },
    )
    .await
    .unwrap();
    let old_key = std::fs::read(&key_file).unwrap();

    let rotated = rotate(t.iam.store(), &key_file, None).await.unwrap();
    assert_eq!(
        rotated,
        Rotated {
            access_keys: 1,
            mfa_devices: 1,
            sts_sessions: 0,
            console_signins: 1
        }
    );
    assert_ne!(std::fs::read(&key_file).unwrap(), old_key);
    assert!(!key_file.with_file_name("master.key.old").exists());
    assert!(!key_file.with_file_name("master.key.new").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    // The restarted server (new key) still verifies SigV4 with the key and TOTP with the device.
    let restarted = iam_with_key(&t, &key_file);
    let signing = access_keys::signing_key(&restarted, &key.access_key_id)
        .await
        .unwrap()
        .expect("key");
    assert_eq!(signing.secret.as_slice(), key.secret_access_key.as_bytes());
    t.clock.advance_millis(30_000);
    assert!(signs_in_with_mfa(&restarted, &t, &seed, 0).await);
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT sealed_secret FROM oidc_console_signins")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    let context = console_signin::secret_context(ACCOUNT, "login.example.com");
    assert_eq!(
        restarted
            .sealer()
            .open(&sealed, &context)
            .unwrap()
            .as_slice(),
        b"client-secret"
    );

    // With the old key file, the values no longer open.
    let old_file = t.dir.path().join("old.key");
    std::fs::write(&old_file, &old_key).unwrap();
    let stale = iam_with_key(&t, &old_file);
    assert!(access_keys::signing_key(&stale, &key.access_key_id)
        .await
        .is_err());
    t.clock.advance_millis(30_000);
    assert!(!signs_in_with_mfa(&stale, &t, &seed, 0).await);
    assert!(stale.sealer().open(&sealed, &context).is_err());

    // A given key file: the key file then holds exactly that key.
    let chosen = t.dir.path().join("chosen.key");
    std::fs::write(
        &chosen,
        ferriam::server::crypto::new_encoded_key().as_bytes(),
    )
    .unwrap();
    rotate(t.iam.store(), &key_file, Some(&chosen))
        .await
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&key_file).unwrap().trim(),
        std::fs::read_to_string(&chosen).unwrap().trim()
    );
    let again = iam_with_key(&t, &key_file);
    assert!(access_keys::signing_key(&again, &key.access_key_id)
        .await
        .is_ok());
}

#[tokio::test]
async fn a_value_the_current_key_cannot_open_changes_nothing() {
    let (t, key_file) = with_key_file().await;
    let root = account(&t, ACCOUNT).await;
    let key = access_keys::create_access_key(&t.iam, &root, None)
        .await
        .unwrap();
    // The key file no longer matches the database (say, the wrong file was restored).
    std::fs::remove_file(&key_file).unwrap();
    load_or_create_master_key(&key_file).unwrap();
    let wrong_key = std::fs::read(&key_file).unwrap();
    let error = rotate(t.iam.store(), &key_file, None).await.unwrap_err();
    assert!(matches!(error, RotateError::Unreadable { .. }), "{error}");
    assert_eq!(std::fs::read(&key_file).unwrap(), wrong_key);
    assert!(!key_file.with_file_name("master.key.old").exists());
    assert!(!key_file.with_file_name("master.key.new").exists());
    // The database still opens with the key it was sealed under.
    assert!(access_keys::signing_key(&t.iam, &key.access_key_id)
        .await
        .is_ok());
}
