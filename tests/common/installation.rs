//! A populated installation — a row in every table — and the checks that a copy, a restored
//! backup or an upgraded database still works as it did: the access key's and the STS session's
//! secrets open, the user signs in with password and MFA code, the audit chain verifies and
//! extends.

use ferriam::domain::password_policy::PasswordPolicy;
use ferriam::domain::{AccountId, Principal};
use ferriam::server::clock::Clock;
use ferriam::server::service::audit::lookup;
use ferriam::server::service::credentials::{access_keys, passwords};
use ferriam::server::service::entities::{users, EntityKind};
use ferriam::server::service::federation::oidc_providers;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::signin::{self, SignInOutcome};
use ferriam::server::service::sts::{self, AssumeRole};
use ferriam::server::service::{policies, Caller, RequestInfo};
use serde::{Deserialize, Serialize};

use super::fixtures::{code_at, roles_and_attachments, seed_of};
use super::*;

const PASSWORD: &str = "Moving-Day-Horse-Staple-42";
const EARLIER_PASSWORDS: [&str; 2] = ["First-Horse-Staple-41", "Second-Horse-Staple-43"];
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

/// What the populated installation handed out, to check on a copy of it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Handed {
    pub key_id: String,
    pub key_secret: String,
    pub mfa_seed_base32: String,
    pub sts_key_id: String,
    pub sts_secret: String,
    pub sts_token: String,
}

/// A SQLite installation with a row in every table.
pub async fn populated_sqlite() -> (TestIam, Handed) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("source.db").display());
    let t = test_iam_at(dir, &url, Clock::manual(START_MILLIS), Settings::default()).await;
    let handed = populate(&t).await;
    (t, handed)
}

/// Fills every table of an empty installation.
pub async fn populate(t: &TestIam) -> Handed {
    let root = account(t, ACCOUNT).await;
    let reuse_checked = PasswordPolicy {
        password_reuse_prevention: Some(5),
        ..PasswordPolicy::default()
    };
    passwords::update_account_password_policy(&t.iam, &root, reuse_checked)
        .await
        .unwrap();
    let (_, alice) = user_with_password(t, &root, "alice", EARLIER_PASSWORDS[0]).await;
    let may_assume = allow("sts:AssumeRole", "*");
    put_inline(t, &root, EntityKind::User, "alice", "assume", &may_assume).await;
    for password in [EARLIER_PASSWORDS[1], PASSWORD] {
        passwords::update_login_profile(&t.iam, &root, "alice", Some(password), None)
            .await
            .unwrap();
    }
    create_group(t, &root, "devs").await;
    add_to_group(t, &root, "devs", "alice").await;
    let arn = managed_policy(t, &root, "reader", DOC).await;
    let second = DOC.replace("GetObject", "ListBucket");
    policies::create_policy_version(&t.iam, &root, &arn, &second, true)
        .await
        .unwrap();
    roles_and_attachments(t, &root, TRUST, &arn, DOC).await;
    ferriam::server::service::workloads::instance_profiles::create(
        &t.iam,
        &root,
        ferriam::server::service::workloads::instance_profiles::CreateInstanceProfile {
            name: "web".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    ferriam::server::service::workloads::instance_profiles::add_role(&t.iam, &root, "web", "app")
        .await
        .unwrap();
    ferriam::server::service::workloads::tokens::create(&t.iam, &root, "web")
        .await
        .unwrap();
    oidc_providers::create(
        &t.iam,
        &root,
        oidc_providers::CreateOidcProvider {
            url: "https://token.example.com/org".into(),
            client_ids: vec!["sts.amazonaws.com".into()],
            thumbprints: vec!["9e99a48a9960b14926bb7f3b02e22da2b0ab7280".into()],
            tags: vec![super::fixtures::tag("team", "red")],
        },
    )
    .await
    .unwrap();
    ferriam::server::service::federation::console_signin::set(
        &t.iam,
        &root,
        "arn:aws:iam::123456789012:oidc-provider/token.example.com/org",
        ferriam::server::service::federation::console_signin::SetConsoleSignin {
            label: "Corp".into(),
            client_id: "sts.amazonaws.com".into(),
            client_secret: Some("client-secret".into()),
            name_claim: "email".into(),
        },
    )
    .await
    .unwrap();
    ferriam::server::service::federation::saml::providers::create(
        &t.iam,
        &root,
        ferriam::server::service::federation::saml::providers::CreateSamlProvider {
            name: "corp".into(),
            metadata: include_str!("../data/saml/idp-metadata.xml").into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // An assertion the console's assertion consumer service accepted, until it expires.
    ferriam::server::store::saml_assertions::claim(
        t.iam.store().writer(),
        "assertion-hash",
        super::START_MILLIS + 600_000,
    )
    .await
    .unwrap();
    let key = access_keys::create_access_key(&t.iam, &root, Some("alice"))
        .await
        .unwrap();
    let setup = enabled_user_mfa(t, &root, "alice").await;
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
    console_session(t, root.principal.clone()).await;
    // A broker's sign-in link, not yet used.
    let session = serde_json::json!({
        "sessionId": credentials.access_key_id,
        "sessionKey": credentials.secret_access_key,
        "sessionToken": credentials.session_token,
    })
    .to_string();
    ferriam::server::service::federation::console_broker::get_signin_token(
        &t.iam, &request, &session, None,
    )
    .await
    .unwrap();
    t.iam.audit().flush().await;
    Handed {
        key_id: key.access_key_id.clone(),
        key_secret: key.secret_access_key.to_string(),
        mfa_seed_base32: setup.base32_seed.to_string(),
        sts_key_id: credentials.access_key_id.clone(),
        sts_secret: credentials.secret_access_key.to_string(),
        sts_token: credentials.session_token.clone(),
    }
}

/// The account's root user.
pub fn root_caller() -> Caller {
    Caller::local(Principal::root(
        AccountId::parse("Account", ACCOUNT).unwrap(),
    ))
}

/// `t` works as the installation that handed out `handed` did.
pub async fn assert_works_as_handed(t: &TestIam, handed: &Handed) {
    let signing = access_keys::signing_key(&t.iam, &handed.key_id)
        .await
        .unwrap()
        .expect("the access key");
    assert_eq!(signing.secret.as_slice(), handed.key_secret.as_bytes());
    let temporary = sts::temporary_key(&t.iam, &handed.sts_key_id, Some(&handed.sts_token))
        .await
        .unwrap()
        .expect("the STS session's credentials still work");
    assert_eq!(temporary.secret.as_slice(), handed.sts_secret.as_bytes());
    // The password hash and the MFA seed: a full sign-in. A minute on, past the last code used.
    t.clock.advance_millis(60_000);
    let request = RequestInfo::default();
    let Ok(SignInOutcome::Pending(pending)) =
        signin::sign_in_user(&t.iam, &request, ACCOUNT, "alice", PASSWORD).await
    else {
        panic!("the password is accepted");
    };
    let code = code_at(t, &seed_of(&handed.mfa_seed_base32), 0);
    assert!(matches!(
        signin::complete_mfa(&t.iam, &request, &pending, &code).await,
        Ok(SignInOutcome::SignedIn { with_mfa: true, .. })
    ));
    // The chain verifies, and new records extend it after the old ones.
    let before = lookup::verify_chain(t.iam.store()).await.unwrap();
    assert!(before.broken.is_none(), "{:?}", before.broken);
    users::create_user(
        &t.iam,
        &root_caller(),
        new_user(&format!("later-{}", uuid::Uuid::new_v4().simple())),
    )
    .await
    .unwrap();
    t.iam.audit().flush().await;
    let after = lookup::verify_chain(t.iam.store()).await.unwrap();
    assert!(after.broken.is_none(), "{:?}", after.broken);
    assert!(after.records > before.records);
}
