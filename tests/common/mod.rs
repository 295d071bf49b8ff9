//! Shared set-up for service tests: a real database — a SQLite file in a temp directory, or,
//! when `FERRIAM_TEST_POSTGRES` names a PostgreSQL server (`make test` starts one), a fresh
//! database on it — migrations applied, a fixed master key, and a clock the test moves.

#![allow(dead_code)]

pub mod doors;
pub mod fixtures;
pub mod http;
pub mod installation;
pub mod snapshot;
pub mod steps;
pub mod stored;

// Each test crate uses only some of the shared steps (as with `dead_code` above).
#[allow(unused_imports)]
pub use steps::*;

use ferriam::domain::entity_requests::NewEntity;
use ferriam::server::clock::Clock;
use ferriam::server::crypto::Sealer;
use ferriam::server::passwords::PasswordHasher;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::Iam;
use ferriam::server::store::Store;

/// 2026-11-22T00:00:00Z, in the middle of a 30-second TOTP step.
pub const START_MILLIS: i64 = 1_795_305_615_000;

pub struct TestIam {
    pub iam: Iam,
    pub clock: Clock,
    pub dir: tempfile::TempDir,
    /// Declared last, so it is dropped after `iam` has let go of the database.
    pub database: DroppedWithTest,
}

impl TestIam {
    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("ferriam.db")
    }
}

pub async fn test_iam(settings: Settings) -> TestIam {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;
    test_iam_at(dir, &url, Clock::manual(START_MILLIS), settings).await
}

/// A new, empty database: on the PostgreSQL server the tests run on, else a SQLite file in
/// `dir`.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match postgres_server() {
        Some(server) => fresh_postgres_database(&server).await,
        None => format!("sqlite://{}", dir.join("ferriam.db").display()),
    }
}

/// The database at `url`, migrated, under the tests' master key and `clock`.
pub async fn test_iam_at(
    dir: tempfile::TempDir,
    url: &str,
    clock: Clock,
    settings: Settings,
) -> TestIam {
    let store = Store::open(url).await.expect("open store");
    store.migrate().await.expect("migrate");
    let iam = Iam::new(
        store,
        PasswordHasher::new(2),
        Sealer::new(&rand_key()),
        clock.clone(),
        settings,
    );
    TestIam {
        iam,
        clock,
        dir,
        database: DroppedWithTest::postgres(url),
    }
}

/// The PostgreSQL server the tests run on (a URL naming its maintenance database), if any.
pub fn postgres_server() -> Option<String> {
    std::env::var("FERRIAM_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Creates an empty database on `server` and returns its URL. Each test gets its own, so tests
/// run in parallel as they do on SQLite; `make test` drops the whole cluster afterwards.
pub async fn fresh_postgres_database(server: &str) -> String {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    sqlx::any::install_default_drivers();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(server)
        .await
        .expect("connect to the PostgreSQL server");
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a test database");
    sqlx::Connection::close(admin).await.ok();
    let (base, _) = server
        .rsplit_once('/')
        .expect("a URL ending in a database name");
    format!("{base}/{name}")
}

/// A test's PostgreSQL database, dropped when the test ends: each holds ~8 MB of catalogs, and
/// a full run creates hundreds of them on a disk shared with the build. (A SQLite file goes with
/// the test's temp directory.)
pub struct DroppedWithTest(Option<String>);

impl DroppedWithTest {
    pub fn postgres(url: &str) -> Self {
        let is_test_database = url.starts_with("postgres") && postgres_server().is_some();
        Self(is_test_database.then(|| url.to_string()))
    }

    pub fn none() -> Self {
        Self(None)
    }
}

impl Drop for DroppedWithTest {
    fn drop(&mut self) {
        let (Some(url), Some(server)) = (self.0.take(), postgres_server()) else {
            return;
        };
        let Some((_, name)) = url.rsplit_once('/') else {
            return;
        };
        let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to drop the test database");
            runtime.block_on(async {
                let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&server).await?;
                sqlx::Executor::execute(&mut admin, statement.as_str()).await?;
                sqlx::Connection::close(admin).await
            })
        });
        // A database left behind only costs room until `make test` removes the cluster.
        let _ = dropped.join();
    }
}

fn rand_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = (i as u8).wrapping_mul(73).wrapping_add(11);
    }
    key
}

// --- IAM fixtures ------------------------------------------------------------------------------

use ferriam::domain::iam_models::User;
use ferriam::domain::{AccountId, Principal};
use ferriam::server::service::account::accounts::{self, NewAccount};
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::{entities::users, policies};
use ferriam::server::service::{Caller, ServiceError};
use ferriam::server::session;
use ferriam::server::store::audit::AuditRow;
use ferriam::server::store::sessions::DbSessionStore;

/// The account most tests act in, and a second one for cross-account checks.
pub const ACCOUNT: &str = "123456789012";
pub const OTHER_ACCOUNT: &str = "210987654321";

/// Creates an account with a fixed ID (the operator's command) and returns its root caller.
pub async fn account(t: &TestIam, account_id: &str) -> Caller {
    let account = accounts::create_account_headless(
        &t.iam,
        NewAccount {
            email: format!("root-{account_id}@example.com"),
            password: "correct horse battery".into(),
            confirm_password: "correct horse battery".into(),
            alias: None,
            account_id: Some(account_id.to_string()),
        },
    )
    .await
    .expect("create account");
    Caller::local(Principal::root(account.account_id))
}

/// A fresh database with one account: the test set-up and the root caller of `ACCOUNT`.
pub async fn with_root() -> (TestIam, Caller) {
    let t = test_iam(Settings::default()).await;
    let root = account(&t, ACCOUNT).await;
    (t, root)
}

pub fn new_user(name: &str) -> users::CreateUser {
    users::CreateUser {
        entity: NewEntity::parse(name, None).unwrap(),
        tags: Vec::new(),
        permissions_boundary: None,
        groups: Vec::new(),
        policy_arns: Vec::new(),
    }
}

/// The caller an IAM user is once signed in.
pub fn caller_for(user: &User, account_id: &AccountId) -> Caller {
    Caller::local(Principal::user(
        account_id.clone(),
        &user.user_id,
        &user.user_name,
        &user.path,
    ))
}

/// Creates an IAM user (as `root`) and returns it with its own caller.
pub async fn iam_user(t: &TestIam, root: &Caller, name: &str) -> (User, Caller) {
    let user = users::create_user(&t.iam, root, new_user(name))
        .await
        .expect("create user");
    let caller = caller_for(&user, root.account_id());
    (user, caller)
}

/// A policy document with one statement.
pub fn statement(effect: &str, action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Action":"{action}","Resource":"{resource}"}}]}}"#
    )
}

pub fn allow(action: &str, resource: &str) -> String {
    statement("Allow", action, resource)
}

/// An identity policy of about `size` characters (whitespace excluded): one statement whose
/// resource is padded with `x` to reach the size exactly.
pub fn document_of_size(size: usize) -> String {
    let empty = allow("s3:GetObject", "arn:aws:s3:::b/");
    let base = ferriam::policy::policy_size(&empty);
    assert!(size >= base, "a document cannot be smaller than {base}");
    allow(
        "s3:GetObject",
        &format!("arn:aws:s3:::b/{}", "x".repeat(size - base)),
    )
}

/// Creates a customer managed policy (as `root`) and returns its ARN.
pub async fn managed_policy(t: &TestIam, root: &Caller, name: &str, document: &str) -> String {
    policies::create_policy(
        &t.iam,
        root,
        policies::CreatePolicy {
            policy_name: name.to_string(),
            path: None,
            description: None,
            document: document.to_string(),
        },
    )
    .await
    .expect("create policy")
    .arn
}

/// Creates a managed policy with `document` and attaches it to the entity, in one step.
pub async fn attach_document(
    t: &TestIam,
    root: &Caller,
    kind: EntityKind,
    entity: &str,
    policy_name: &str,
    document: &str,
) -> String {
    let arn = managed_policy(t, root, policy_name, document).await;
    steps::attach(t, root, kind, entity, &arn).await;
    arn
}

/// Puts an inline policy on a user (as `root`).
pub async fn put_user_policy(t: &TestIam, root: &Caller, user: &str, name: &str, document: &str) {
    steps::put_inline(t, root, EntityKind::User, user, name, document).await;
}

/// The account's audit events, oldest first, once the batched writer has caught up.
pub async fn audit_events(t: &TestIam, account_id: &str) -> Vec<AuditRow> {
    t.iam.audit().flush().await;
    let mut rows =
        ferriam::server::store::audit::recent(t.iam.store().reader(), account_id, 10_000)
            .await
            .expect("read audit events");
    rows.reverse();
    rows
}

/// Asserts an error's AWS code and exact message.
#[track_caller]
pub fn assert_error<T: std::fmt::Debug>(
    result: Result<T, ServiceError>,
    code: &str,
    message: &str,
) {
    match result {
        Ok(value) => panic!("expected {code} \"{message}\", got Ok({value:?})"),
        Err(error) => {
            assert_eq!(
                (error.code(), error.to_string().as_str()),
                (code, message),
                "{error:?}"
            );
        }
    }
}

/// AWS's sentence for an implicit deny by the identity policies.
pub fn no_identity_allows(principal_arn: &str, action: &str, resource: &str) -> String {
    format!(
        "User: {principal_arn} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action"
    )
}

/// Checks an AWS unique ID: the prefix, 21 characters, uppercase letters and digits 2–7.
#[track_caller]
pub fn assert_unique_id(id: &str, prefix: &str) {
    assert_eq!(id.len(), 21, "{id}");
    assert!(id.starts_with(prefix), "{id} should start with {prefix}");
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)),
        "{id}"
    );
}

/// A console session of `principal`, saved as the server saves one at sign-in.
pub async fn console_session(t: &TestIam, principal: Principal) -> tower_sessions::Session {
    let store = std::sync::Arc::new(DbSessionStore::new(t.iam.store().clone()));
    let session = tower_sessions::Session::new(None, store, None);
    session::establish(&session, &t.clock, principal, false, &Default::default())
        .await
        .unwrap();
    session.save().await.unwrap();
    session
}
