//! `GET /metrics`: Prometheus text for this host (and networks the operator names) only,
//! counting requests, operations by outcome, authorization decisions and cache use — and no
//! label ever carries what a request said.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use common::http::{send, signed};
use common::*;
use ferriam::server::config::ServeConfig;
use ferriam::server::http::router::router;
use ferriam::server::service::credentials::access_keys;

const KEY: &str = "AKIAMETRICSTESTKEY01";
const SECRET: &str = "metricsSecretKeyForTheScrapeTests0000000";

fn app(t: &TestIam, metrics_from: &[&str]) -> Router {
    let serve = ServeConfig {
        metrics_from: metrics_from.iter().map(|n| n.parse().unwrap()).collect(),
        ..common::http::serve_config(t)
    };
    router(t.iam.clone(), &serve)
}

async fn scrape(app: &Router, peer: Option<&str>) -> (u16, String) {
    let mut request = Request::get("/metrics").body(Body::empty()).unwrap();
    if let Some(peer) = peer {
        let peer: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
    }
    let answer = send(app, request).await;
    (answer.status.as_u16(), answer.body)
}

/// The value of the series `series` (name and labels exactly as exposed), 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn this_host_reads_what_happened_and_no_request_text() {
    let (t, root) = with_root().await;
    access_keys::import_access_key(&t.iam, &root, None, KEY, SECRET)
        .await
        .unwrap();
    let app = app(&t, &[]);
    let ok = r#"ferriam_operations_total{door="query_api",operation="GetUser",outcome="Success"}"#;
    let missing =
        r#"ferriam_operations_total{door="query_api",operation="GetUser",outcome="NoSuchEntity"}"#;
    let (status, before) = scrape(&app, Some("127.0.0.1:50000")).await;
    assert_eq!(status, 200);

    let secretive = "Action=GetUser&Version=2010-05-08&UserName=ThePasswordIsHunter2";
    assert_eq!(
        send(&app, signed(KEY, SECRET, "iam", secretive))
            .await
            .status,
        404
    );
    iam_user(&t, &root, "present").await;
    let present = "Action=GetUser&Version=2010-05-08&UserName=present";
    assert_eq!(
        send(&app, signed(KEY, SECRET, "iam", present)).await.status,
        200
    );

    let (_, after) = scrape(&app, Some("[::1]:50000")).await;
    assert!(value(&after, ok) >= value(&before, ok) + 1.0, "{after}");
    assert!(value(&after, missing) >= value(&before, missing) + 1.0);
    assert!(
        value(
            &after,
            r#"ferriam_authorization_decisions_total{decision="allow"}"#
        ) >= 1.0
    );
    assert!(after.contains(r#"ferriam_http_request_duration_seconds_bucket{door="query_api""#));
    assert!(after.contains(r#"ferriam_cache_lookups_total{cache="signing_keys""#));
    assert!(after.contains(r#"ferriam_db_connections{pool="reader",state="idle"}"#));
    assert!(!after.contains("Hunter2") && !after.contains("present") && !after.contains(KEY));
}

#[tokio::test]
async fn other_hosts_find_nothing_unless_the_operator_names_them() {
    let t = test_iam(Default::default()).await;
    let local_only = app(&t, &[]);
    assert_eq!(scrape(&local_only, Some("10.0.0.9:50000")).await.0, 404);
    assert_eq!(scrape(&local_only, None).await.0, 404);
    // A proxy on this host relaying someone's request: not this host's.
    let mut relayed = Request::get("/metrics").body(Body::empty()).unwrap();
    relayed.extensions_mut().insert(ConnectInfo(
        "127.0.0.1:50000".parse::<SocketAddr>().unwrap(),
    ));
    relayed
        .headers_mut()
        .insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
    assert_eq!(send(&local_only, relayed).await.status.as_u16(), 404);

    let monitoring = app(&t, &["10.0.0.0/24"]);
    assert_eq!(scrape(&monitoring, Some("10.0.0.9:50000")).await.0, 200);
    assert_eq!(scrape(&monitoring, Some("10.0.1.9:50000")).await.0, 404);
}
