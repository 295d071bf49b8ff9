//! Moving an installation: `db copy` from a populated SQLite file into a new database (the
//! PostgreSQL server when the tests run on one) leaves every row equal, secrets still open under
//! the same master key, the audit chain verifying and extending; a non-empty target is refused
//! untouched. `backup` writes a SQLite file that opens as the same installation.

mod common;

use common::fixtures::{code_at, roles_and_attachments, seed_of};
use common::*;
use ferriam::server::clock::Clock;
use ferriam::server::service::audit::lookup;
use ferriam::server::service::credentials::{access_keys, passwords};
use ferriam::server::service::iam::Settings;
use ferriam::server::service::signin::{self, SignInOutcome};
use ferriam::server::service::sts::{self, AssumeRole};
use ferriam::domain::password_policy::PasswordPolicy;
use ferriam::server::service::entities::{users, EntityKind};
use ferriam::server::service::{policies, Caller, RequestInfo};
use ferriam::server::store::copy::{self, TABLES};
use ferriam::server::store::{backup, Store, StoreError};

const PASSWORD: &str = "Moving-Day-Horse-Staple-42";
const EARLIER_PASSWORDS: [&str; 2] = ["First-Horse-Staple-41", "Second-Horse-Staple-43"];
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

/// What the populated installation handed out, to check on the copy.
struct Handed {
    root: Caller,
    key_id: String,
    key_secret: String,
    mfa_seed: Vec<u8>,
    sts: sts::Credentials,
}

/// A SQLite installation with a row in every table.
async fn populated_sqlite() -> (TestIam, Handed) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("source.db").display());
    let t = test_iam_at(dir, &url, Clock::manual(START_MILLIS), Settings::default()).await;
    let root = account(&t, ACCOUNT).await;
    let reuse_checked = PasswordPolicy {
        password_reuse_prevention: Some(5),
        ..PasswordPolicy::default()
    };
    passwords::update_account_password_policy(&t.iam, &root, reuse_checked)
        .await
        .unwrap();
    let (_, alice) = user_with_password(&t, &root, "alice", EARLIER_PASSWORDS[0]).await;
    let may_assume = allow("sts:AssumeRole", "*");
    put_inline(&t, &root, EntityKind::User, "alice", "assume", &may_assume).await;
    for password in [EARLIER_PASSWORDS[1], PASSWORD] {
        passwords::update_login_profile(&t.iam, &root, "alice", Some(password), None)
            .await
            .unwrap();
    }
    create_group(&t, &root, "devs").await;
    add_to_group(&t, &root, "devs", "alice").await;
    let arn = managed_policy(&t, &root, "reader", DOC).await;
    let second = DOC.replace("GetObject", "ListBucket");
    policies::create_policy_version(&t.iam, &root, &arn, &second, true)
        .await
        .unwrap();
    roles_and_attachments(&t, &root, TRUST, &arn, DOC).await;
    let key = access_keys::create_access_key(&t.iam, &root, Some("alice"))
        .await
        .unwrap();
    let setup = enabled_user_mfa(&t, &root, "alice").await;
    let (credentials, _) = sts::assume_role(
        &t.iam,
        &alice,
        AssumeRole {
            role_arn: "arn:aws:iam::123456789012:role/app".into(),
            role_session_name: "moving".into(),
            ..AssumeRole::default()
        },
    )
    .await
    .unwrap();
    // A wrong password counts a failure; the right one records a known source and a session.
    let request = RequestInfo {
        source_ip: Some("192.0.2.7".into()),
        ..RequestInfo::default()
    };
    let _ = signin::sign_in_user(&t.iam, &request, ACCOUNT, "alice", "wrong").await;
    let root_email = format!("root-{ACCOUNT}@example.com");
    signin::sign_in_root(&t.iam, &request, &root_email, "correct horse battery")
        .await
        .unwrap();
    console_session(&t, root.principal.clone()).await;
    t.iam.audit().flush().await;
    let handed = Handed {
        root,
        key_id: key.access_key_id.clone(),
        key_secret: key.secret_access_key.to_string(),
        mfa_seed: seed_of(&setup.base32_seed),
        sts: credentials,
    };
    (t, handed)
}

/// An empty installation beside `source`, sharing its master key and clock.
async fn empty_target(source: &TestIam) -> TestIam {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    test_iam_at(dir, &url, source.clock.clone(), Settings::default()).await
}

async fn sorted_rows(store: &Store, table: &str) -> Vec<Vec<copy::Value>> {
    let mut rows = copy::rows(store, table).await.unwrap();
    rows.sort();
    rows
}

#[tokio::test]
async fn a_copy_holds_every_row_and_works_as_the_installation_did() {
    let (source, handed) = populated_sqlite().await;
    let target = empty_target(&source).await;

    let report = copy::copy(source.iam.store(), target.iam.store(), true)
        .await
        .unwrap();
    assert_eq!(report.len(), TABLES.len());
    for table in TABLES {
        let rows = sorted_rows(source.iam.store(), table).await;
        assert!(!rows.is_empty(), "the fixture fills {table}");
        assert_eq!(rows, sorted_rows(target.iam.store(), table).await, "{table}");
    }

    // Sealed secrets open under the same master key.
    let signing = access_keys::signing_key(&target.iam, &handed.key_id)
        .await
        .unwrap()
        .expect("the access key");
    assert_eq!(signing.secret.as_slice(), handed.key_secret.as_bytes());
    let temporary = sts::temporary_key(
        &target.iam,
        &handed.sts.access_key_id,
        Some(&handed.sts.session_token),
    )
    .await
    .unwrap()
    .expect("the STS session's credentials still work");
    assert_eq!(
        temporary.secret.as_slice(),
        handed.sts.secret_access_key.as_bytes()
    );
    // The password hash and the MFA seed: a full sign-in on the copy.
    target.clock.advance_millis(60_000);
    let request = RequestInfo::default();
    let Ok(SignInOutcome::Pending(pending)) =
        signin::sign_in_user(&target.iam, &request, ACCOUNT, "alice", PASSWORD).await
    else {
        panic!("the password is accepted on the copy");
    };
    let code = code_at(&target, &handed.mfa_seed, 0);
    assert!(matches!(
        signin::complete_mfa(&target.iam, &request, &pending, &code).await,
        Ok(SignInOutcome::SignedIn { with_mfa: true, .. })
    ));

    // The chain verifies, and new records extend it after the copied ones.
    let before = lookup::verify_chain(target.iam.store()).await.unwrap();
    assert!(before.broken.is_none());
    users::create_user(&target.iam, &handed.root, new_user("after-the-move"))
        .await
        .unwrap();
    target.iam.audit().flush().await;
    let after = lookup::verify_chain(target.iam.store()).await.unwrap();
    assert!(after.broken.is_none(), "{:?}", after.broken);
    assert!(after.records > before.records);
}

#[tokio::test]
async fn a_target_holding_any_row_is_refused_and_left_as_it_was() {
    let (source, _) = populated_sqlite().await;
    let target = empty_target(&source).await;
    account(&target, OTHER_ACCOUNT).await;
    target.iam.audit().flush().await;
    let before = snapshot::snapshot(&target).await;

    let refused = copy::copy(source.iam.store(), target.iam.store(), true).await;
    assert!(
        matches!(&refused, Err(StoreError::TargetNotEmpty(table)) if table == "accounts"),
        "{refused:?}"
    );
    assert!(snapshot::differences(&before, &snapshot::snapshot(&target).await).is_empty());
}

#[tokio::test]
async fn sessions_are_copied_only_when_asked() {
    let (source, _) = populated_sqlite().await;
    let target = empty_target(&source).await;

    let report = copy::copy(source.iam.store(), target.iam.store(), false)
        .await
        .unwrap();
    let copied: Vec<&str> = report.iter().map(|(table, _)| *table).collect();
    for table in copy::SESSION_TABLES {
        assert!(!copied.contains(table));
        assert!(sorted_rows(target.iam.store(), table).await.is_empty());
    }
    assert_eq!(
        sorted_rows(source.iam.store(), "access_keys").await,
        sorted_rows(target.iam.store(), "access_keys").await
    );
}

#[tokio::test]
async fn a_backup_taken_while_serving_opens_as_the_same_installation() {
    let (source, handed) = populated_sqlite().await;
    let file = source.dir.path().join("backup.db");

    backup::to_file(source.iam.store(), &file).await.unwrap();
    let refused = backup::to_file(source.iam.store(), &file).await;
    assert!(matches!(refused, Err(StoreError::Io(_))), "{refused:?}");

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", file.display());
    let restored = test_iam_at(dir, &url, source.clock.clone(), Settings::default()).await;
    for table in TABLES {
        assert_eq!(
            sorted_rows(source.iam.store(), table).await,
            sorted_rows(restored.iam.store(), table).await,
            "{table}"
        );
    }
    let signing = access_keys::signing_key(&restored.iam, &handed.key_id)
        .await
        .unwrap()
        .expect("the access key");
    assert_eq!(signing.secret.as_slice(), handed.key_secret.as_bytes());
    assert!(lookup::verify_chain(restored.iam.store())
        .await
        .unwrap()
        .broken
        .is_none());
}
