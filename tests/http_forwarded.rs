//! Behind a load balancer: only from a `--trusted-proxy` are `X-Forwarded-For` and
//! `X-Forwarded-Proto` believed, and then policies (`aws:SourceIp`, `aws:SecureTransport`) and
//! the audit log see the real client; from anyone else those headers change nothing.

mod common;

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::Router;
use common::http::{send, signed};
use common::*;
use ferriam::server::config::ServeConfig;
use ferriam::server::http::router::router;
use ferriam::server::service::credentials::access_keys;

const KEY: &str = "AKIAFORWARDEDTESTKEY";
const SECRET: &str = "forwardedSecretKeyForTheProxyTests000000";
const FROM_THE_OFFICE_OVER_TLS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"Bool":{"aws:SecureTransport":"true"}}}]}"#;

fn app(t: &TestIam, trusted_proxies: &[&str]) -> Router {
    let serve = ServeConfig {
        trusted_proxies: trusted_proxies.iter().map(|n| n.parse().unwrap()).collect(),
        ..common::http::serve_config(t)
    };
    router(t.iam.clone(), &serve)
}

async fn with_office_user() -> TestIam {
    let (t, root) = with_root().await;
    iam_user(&t, &root, "office").await;
    put_user_policy(&t, &root, "office", "office", FROM_THE_OFFICE_OVER_TLS).await;
    access_keys::import_access_key(&t.iam, &root, Some("office"), KEY, SECRET)
        .await
        .unwrap();
    t
}

/// GetUser signed by the office user, from `peer`, with the proxy headers given.
async fn get_user(app: &Router, peer: &str, forwarded: &[(&'static str, &str)]) -> u16 {
    let mut request = signed(KEY, SECRET, "iam", "Action=GetUser&Version=2010-05-08");
    let peer: SocketAddr = peer.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    for (name, value) in forwarded {
        request.headers_mut().insert(*name, value.parse().unwrap());
    }
    send(app, request).await.status.as_u16()
}

async fn last_source_ip(t: &TestIam) -> Option<String> {
    t.iam.audit().flush().await;
    audit_events(t, ACCOUNT)
        .await
        .last()
        .and_then(|e| e.source_ip.clone())
}

const FROM_OFFICE: &[(&str, &str)] = &[
    ("x-forwarded-for", "203.0.113.9"),
    ("x-forwarded-proto", "https"),
];

#[tokio::test]
async fn a_trusted_proxy_reports_the_client_to_policies_and_the_audit_log() {
    let t = with_office_user().await;
    let app = app(&t, &["10.0.0.0/8"]);

    assert_eq!(get_user(&app, "10.0.0.5:40000", FROM_OFFICE).await, 200);
    assert_eq!(last_source_ip(&t).await.as_deref(), Some("203.0.113.9"));

    let over_http = [
        ("x-forwarded-for", "203.0.113.9"),
        ("x-forwarded-proto", "http"),
    ];
    assert_eq!(get_user(&app, "10.0.0.5:40000", &over_http).await, 403);
    let elsewhere = [
        ("x-forwarded-for", "198.51.100.4"),
        ("x-forwarded-proto", "https"),
    ];
    assert_eq!(get_user(&app, "10.0.0.5:40000", &elsewhere).await, 403);
    assert_eq!(last_source_ip(&t).await.as_deref(), Some("198.51.100.4"));
}

#[tokio::test]
async fn forwarded_headers_from_anyone_else_change_nothing() {
    let t = with_office_user().await;

    // No proxy trusted: the headers are the client's own word.
    let untrusting = app(&t, &[]);
    assert_eq!(
        get_user(&untrusting, "10.0.0.5:40000", FROM_OFFICE).await,
        403
    );
    assert_eq!(last_source_ip(&t).await.as_deref(), Some("10.0.0.5"));

    // A proxy is trusted, but this peer is not it.
    let trusting = app(&t, &["10.0.0.0/8"]);
    assert_eq!(
        get_user(&trusting, "192.0.2.1:40000", FROM_OFFICE).await,
        403
    );
    assert_eq!(last_source_ip(&t).await.as_deref(), Some("192.0.2.1"));

    // The client forges an office address in front of its own: the proxy appended the truth.
    let forged = [
        ("x-forwarded-for", "203.0.113.9, 192.0.2.1"),
        ("x-forwarded-proto", "https"),
    ];
    assert_eq!(get_user(&trusting, "10.0.0.5:40000", &forged).await, 403);
    assert_eq!(last_source_ip(&t).await.as_deref(), Some("192.0.2.1"));
}
