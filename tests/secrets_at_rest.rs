//! Secrets never leak: after creating an access key, enabling an MFA device, signing in with a
//! password (and typing the password as a user name once), neither the database file (nor its
//! WAL) nor the log output holds the secret key, the TOTP seed (raw or Base32), the password
//! (also when sent in a URL) or the session ID.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::server::service::signin::{self, SignInOutcome};
use ferriam::server::service::{
    audit::signin_events, credentials::access_keys, credentials::mfa, RequestInfo,
};
use ferriam::server::session;
use ferriam::server::store::sessions::DbSessionStore;

const PASSWORD: &str = "Very-Secret-Horse-Staple-42";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn no_secret_reaches_the_database_file_or_the_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let (t, root) = with_root().await;
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

    let request = RequestInfo::default();
    // The password typed into the user-name field is not recorded either.
    assert!(
        signin::sign_in_user(&t.iam, &request, ACCOUNT, PASSWORD, PASSWORD)
            .await
            .is_err()
    );
    let Ok(SignInOutcome::Pending(pending)) =
        signin::sign_in_user(&t.iam, &request, ACCOUNT, "bob", PASSWORD).await
    else {
        panic!("password step");
    };
    t.clock.advance_millis(30_000);
    let Ok(SignInOutcome::SignedIn {
        principal,
        with_mfa,
    }) = signin::complete_mfa(&t.iam, &request, &pending, &code(0)).await
    else {
        panic!("MFA step");
    };
    let store = Arc::new(DbSessionStore::new(t.iam.store().clone()));
    let session = tower_sessions::Session::new(None, store, None);
    signin_events::signed_in(&t.iam, &request, &principal, with_mfa).await;
    session::establish(&session, &t.clock, principal, with_mfa, &Default::default())
        .await
        .unwrap();
    session.save().await.unwrap();
    let session_id = session.id().expect("saved session").to_string();
    // A Query API call may carry its parameters in the URL: the request's span keeps the path.
    let in_url = "/?Action=CreateLoginProfile&UserName=bob&Password=Url-Secret-Horse-77";
    let app = common::http::app(&t);
    tower::ServiceExt::oneshot(
        app,
        axum::http::Request::get(in_url)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    t.iam.audit().flush().await;

    let files = common::stored::stored_bytes(&t).await;
    assert!(
        contains(&files, key.access_key_id.as_bytes()),
        "the scan sees data"
    );
    // Formatted for debugging, the values that carry secrets show none.
    let debugged = format!("{key:?} {setup:?}");
    assert!(debugged.contains(&key.access_key_id), "{debugged}");
    assert!(!debugged.contains(&key.secret_access_key), "{debugged}");
    assert!(!debugged.contains(&setup.base32_seed), "{debugged}");
    let logged = logs.0.lock().unwrap().clone();
    assert!(contains(&logged, b"sign-in"), "the log capture works");
    assert!(
        contains(&logged, br#"request{method=GET path="/"}"#),
        "the request's span is logged"
    );

    for (what, secret) in [
        ("secret access key", key.secret_access_key.as_bytes()),
        ("raw TOTP seed", seed.as_slice()),
        ("Base32 TOTP seed", setup.base32_seed.as_bytes()),
        ("password", PASSWORD.as_bytes()),
        ("session ID", session_id.as_bytes()),
        ("password in a URL", b"Url-Secret-Horse-77"),
    ] {
        assert!(
            !contains(&files, secret),
            "{what} found in the database files"
        );
        assert!(!contains(&logged, secret), "{what} found in the logs");
    }
}
