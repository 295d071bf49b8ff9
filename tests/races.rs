//! Races on the service layer over one real SQLite database: many concurrent requests for the
//! same name or the last slot of a quota, where exactly one may win.

mod common;

use common::{new_user, with_root};
use ferriam::server::service::caches::shared_generation_reads::SharedGenerationReads;
use ferriam::server::service::{credentials::access_keys, entities::users, ServiceError};
use tokio::task::JoinHandle;

/// Waits for every spawned call (all started before the first is awaited).
async fn join_all<T>(handles: Vec<JoinHandle<T>>) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await);
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_create_user_calls_with_one_name_make_one_user() {
    let (t, root) = with_root().await;
    let calls = (0..50).map(|_| {
        let iam = t.iam.clone();
        let root = root.clone();
        tokio::spawn(async move { users::create_user(&iam, &root, new_user("racer")).await })
    });
    let results = join_all(calls.collect()).await;
    let mut created = 0;
    let mut already_exists = 0;
    for result in results {
        match result.unwrap() {
            Ok(_) => created += 1,
            Err(ServiceError::EntityAlreadyExists { .. }) => already_exists += 1,
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    println!("50 concurrent CreateUser: {created} created, {already_exists} EntityAlreadyExists");
    assert_eq!((created, already_exists), (1, 49));
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE name = 'racer'")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_create_access_key_at_the_limit_never_makes_a_third_key() {
    let (t, root) = with_root().await;
    users::create_user(&t.iam, &root, new_user("keyholder"))
        .await
        .unwrap();
    for round in 0..10 {
        // One key exists; two requests race for the second and last slot.
        let first = access_keys::create_access_key(&t.iam, &root, Some("keyholder"))
            .await
            .unwrap();
        let calls = (0..2).map(|_| {
            let iam = t.iam.clone();
            let root = root.clone();
            tokio::spawn(async move {
                access_keys::create_access_key(&iam, &root, Some("keyholder")).await
            })
        });
        let results = join_all(calls.collect()).await;
        let mut created = Vec::new();
        for result in results {
            match result.unwrap() {
                Ok(key) => created.push(key.access_key_id),
                Err(ServiceError::LimitExceeded(_)) => {}
                Err(other) => panic!("unexpected error: {other:?}"),
            }
        }
        assert_eq!(
            created.len(),
            1,
            "round {round}: exactly one wins the last slot"
        );
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM access_keys k JOIN users u ON u.user_id = k.owner \
             WHERE u.name = 'keyholder'",
        )
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
        assert_eq!(count, 2, "round {round}: never a third key");
        for key in [first.access_key_id, created.remove(0)] {
            access_keys::delete_access_key(&t.iam, &root, Some("keyholder"), &key)
                .await
                .unwrap();
        }
    }
    println!(
        "10 rounds of 2 concurrent CreateAccessKey at the limit: one winner each, never 3 keys"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_get_session_token_calls_never_pass_the_live_session_cap() {
    use ferriam::server::service::sts;
    let (t, root) = with_root().await;
    let user = users::create_user(&t.iam, &root, new_user("minter"))
        .await
        .unwrap();
    let minter = common::caller_for(&user, root.account_id());
    let cap = sts::MAX_LIVE_SESSIONS_PER_ISSUER as usize;
    let calls = (0..cap + 10).map(|_| {
        let iam = t.iam.clone();
        let minter = minter.clone();
        tokio::spawn(async move { sts::get_session_token(&iam, &minter, None, None, None).await })
    });
    let results = join_all(calls.collect()).await;
    let mut issued = 0;
    let mut refused = 0;
    for result in results {
        match result.unwrap() {
            Ok(_) => issued += 1,
            Err(ServiceError::LimitExceeded(_)) => refused += 1,
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!((issued, refused), (cap, 10));
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sts_sessions")
        .fetch_one(t.iam.store().reader())
        .await
        .unwrap();
    assert_eq!(count as usize, cap);
    // Issued in shared commits, each with its own success record, the chain unbroken.
    t.iam.audit().flush().await;
    let (recorded,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'sts:GetSessionToken' AND result = 'Success'",
    )
    .fetch_one(t.iam.store().reader())
    .await
    .unwrap();
    assert_eq!(recorded as usize, cap);
    let report = ferriam::server::service::audit::lookup::verify_chain(t.iam.store())
        .await
        .unwrap();
    assert_eq!(report.broken, None, "{report:?}");
}

async fn bump_generation(t: &common::TestIam) {
    sqlx::query(
        "UPDATE accounts SET authz_generation = authz_generation + 1 WHERE account_id = $1",
    )
    .bind(common::ACCOUNT)
    .execute(t.iam.store().writer())
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shared_generation_reads_never_serve_a_read_begun_before_the_caller_asked() {
    let (t, _) = with_root().await;
    let reads = std::sync::Arc::new(SharedGenerationReads::default());
    let first = reads.read(t.iam.store(), common::ACCOUNT).await.unwrap();
    bump_generation(&t).await;
    assert_eq!(
        reads.read(t.iam.store(), common::ACCOUNT).await.unwrap(),
        first + 1
    );

    // Fifty callers at once share reads, and every one sees the write made before it asked.
    bump_generation(&t).await;
    let callers: Vec<JoinHandle<i64>> = (0..50)
        .map(|_| {
            let (reads, store) = (reads.clone(), t.iam.store().clone());
            tokio::spawn(async move { reads.read(&store, common::ACCOUNT).await.unwrap() })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap(), first + 2);
    }
}
