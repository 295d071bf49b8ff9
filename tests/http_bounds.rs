//! Bounded work per request over HTTP (security review, issue 18 §4): a simulation pages with
//! `MaxItems`/`Marker`, runs off the async executor (so `/healthz` answers meanwhile), and the
//! request timeout fires while it runs.

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use common::http::{form, send, signed, HOST};
use common::{test_iam, TestIam, ACCOUNT};
use ferriam::server::http::router::router_with_timeout;
use ferriam::server::service::credentials::access_keys;
use ferriam::server::service::iam::Settings;

const ROOT_KEY: &str = "AKIAROOTKEYFORTESTS1";
const ROOT_SECRET: &str = "rootSecretKeyForTheQueryApiTests00000000";

async fn setup() -> TestIam {
    let t = test_iam(Settings::default()).await;
    let root = common::account(&t, ACCOUNT).await;
    access_keys::import_access_key(&t.iam, &root, None, ROOT_KEY, ROOT_SECRET)
        .await
        .unwrap();
    t
}

fn app(t: &TestIam, timeout: Duration) -> Router {
    router_with_timeout(t.iam.clone(), &common::http::serve_config(t), timeout)
}

fn simulation(policies: &[String], actions: usize, resources: &[String], extra: &str) -> String {
    let mut body = "Action=SimulateCustomPolicy&Version=2010-05-08".to_string();
    for (i, policy) in policies.iter().enumerate() {
        body.push_str(&format!(
            "&PolicyInputList.member.{}={}",
            i + 1,
            form(policy)
        ));
    }
    for i in 0..actions {
        body.push_str(&format!("&ActionNames.member.{}=s3%3AAction{i}", i + 1));
    }
    for (i, resource) in resources.iter().enumerate() {
        body.push_str(&format!(
            "&ResourceArns.member.{}={}",
            i + 1,
            form(resource)
        ));
    }
    body.push_str(extra);
    body
}

/// A costly simulation within the caps: policies of many wildcard resource patterns (each
/// within AWS's 131,072 characters) against 2,048-character resource ARNs.
fn costly_simulation() -> String {
    let policies: Vec<String> = (0..5)
        .map(|p| {
            let patterns: Vec<String> = (0..4_000)
                .map(|i| format!("\"arn:aws:s3:::*{p}-{i}*q*\""))
                .collect();
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":[{}]}}]}}"#,
                patterns.join(",")
            )
        })
        .collect();
    let resources: Vec<String> = (0..10)
        .map(|i| format!("arn:aws:s3:::{i}/{}", "r".repeat(2030)))
        .collect();
    simulation(&policies, 10, &resources, "&MaxItems=1000")
}

fn healthz() -> Request<Body> {
    Request::get("/healthz")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn simulation_results_page_with_max_items_and_marker() {
    let t = setup().await;
    let app = app(&t, Duration::from_secs(30));
    let resources = vec!["arn:aws:s3:::a".to_string(), "arn:aws:s3:::b".to_string()];
    let policy = [common::allow("s3:*", "*")];
    let first = send(
        &app,
        signed(
            ROOT_KEY,
            ROOT_SECRET,
            "iam",
            &simulation(&policy, 2, &resources, "&MaxItems=3"),
        ),
    )
    .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body.matches("<EvalActionName>").count(), 3);
    assert_eq!(first.field("IsTruncated").as_deref(), Some("true"));
    let marker = first.field("Marker").expect("a marker");
    let next = send(
        &app,
        signed(
            ROOT_KEY,
            ROOT_SECRET,
            "iam",
            &simulation(
                &policy,
                2,
                &resources,
                &format!("&MaxItems=3&Marker={}", form(&marker)),
            ),
        ),
    )
    .await;
    assert_eq!(next.status, 200, "{}", next.body);
    assert_eq!(next.body.matches("<EvalActionName>").count(), 1);
    assert_eq!(next.field("EvalActionName").as_deref(), Some("s3:Action1"));
    assert_eq!(
        next.field("EvalResourceName").as_deref(),
        Some("arn:aws:s3:::b")
    );
    assert_eq!(next.field("IsTruncated").as_deref(), Some("false"));
    // 2,500 × 2,500 pairs: refused at once, in AWS's words.
    let names: Vec<String> = (0..2_500).map(|i| format!("arn:aws:s3:::{i}")).collect();
    let started = Instant::now();
    send(
        &app,
        signed(
            ROOT_KEY,
            ROOT_SECRET,
            "iam",
            &simulation(&policy, 2_500, &names, ""),
        ),
    )
    .await
    .assert_error(
        400,
        "InvalidInput",
        "The simulation is too large: 2500 action names and 2500 resource ARNs make 6250000 evaluations; at most 10000 are allowed per request.",
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// The request timeout fires while a simulation waits: the handler awaits the CPU work pool
/// (here kept busy by the test, as by other simulations) instead of evaluating on the executor
/// thread, where nothing could interrupt it and the answer would come whenever it was done.
#[tokio::test]
async fn the_request_timeout_fires_while_a_simulation_waits_for_the_cpu() {
    let t = setup().await;
    let timeout = Duration::from_millis(500);
    let app = app(&t, timeout);
    // Take every worker of the pool until the test ends.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) / 2;
    let release = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for _ in 0..workers.max(1) {
        let (iam, release) = (t.iam.clone(), release.clone());
        tokio::spawn(async move {
            iam.cpu_work()
                .run(move |_| {
                    while !release.load(std::sync::atomic::Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                })
                .await
        });
    }
    tokio::task::yield_now().await;
    let started = Instant::now();
    let answer = send(
        &app,
        signed(ROOT_KEY, ROOT_SECRET, "iam", &costly_simulation()),
    )
    .await;
    let elapsed = started.elapsed();
    release.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(answer.status, 408, "{}", answer.body);
    assert!(elapsed < timeout * 4, "{elapsed:?}");
}

/// `/healthz` answers promptly while a costly simulation runs, even on a single executor
/// thread (`current_thread`): the simulation holds a blocking thread, not the executor.
#[tokio::test]
async fn healthz_stays_fast_while_a_simulation_runs() {
    let t = setup().await;
    let app = app(&t, Duration::from_secs(30));
    let busy = {
        let app = app.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let answer = send(
                &app,
                signed(ROOT_KEY, ROOT_SECRET, "iam", &costly_simulation()),
            )
            .await;
            (answer.status, started.elapsed())
        })
    };
    // Each round asks for /healthz 10 ms after the last answer; a blocked executor would show
    // as a round that takes as long as the simulation.
    let mut slowest = Duration::ZERO;
    while !busy.is_finished() {
        let started = Instant::now();
        tokio::time::sleep(Duration::from_millis(10)).await;
        let answer = send(&app, healthz()).await;
        assert_eq!(answer.status, 200);
        slowest = slowest.max(started.elapsed());
    }
    let (status, took) = busy.await.unwrap();
    assert_eq!(status, 200);
    // Run inline, the simulation held the only thread: a round took as long as it did.
    assert!(
        slowest * 4 < took,
        "simulation {took:?}, slowest /healthz round {slowest:?}"
    );
}
