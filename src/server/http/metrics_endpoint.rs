//! `GET /metrics` for Prometheus, answered only to this host (and to the networks the operator
//! names with `--metrics-from`): other hosts get a 404, as for a path that does not exist. The
//! request-counting layer every request passes through lives here too.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;

use crate::server::metrics::{self, Door};
use crate::server::query_api;
use crate::server::AppState;

/// Who may read `/metrics` besides this host.
#[derive(Clone, Debug, Default)]
pub struct MetricsReaders(pub Vec<IpNet>);

impl MetricsReaders {
    // SECURITY: the peer that connected, never a forwarded address: behind a load balancer the
    // peer is the balancer, which is another host unless the operator names it.
    fn admits(&self, peer: IpAddr) -> bool {
        let peer = match peer {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        peer.is_loopback() || self.0.iter().any(|net| net.contains(&peer))
    }
}

pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    let readers = request
        .extensions()
        .get::<MetricsReaders>()
        .cloned()
        .unwrap_or_default();
    let admitted = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|peer| readers.admits(peer.0.ip()));
    if !admitted {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        metrics::render(state.iam.store()),
    )
        .into_response()
}

/// Counts every request by door and status, with its latency.
pub async fn count_requests(request: Request, next: Next) -> Response {
    let door = door_of(&request);
    let started = Instant::now();
    let response = next.run(request).await;
    metrics::http_request(door, response.status().as_u16(), started.elapsed());
    response
}

fn door_of(request: &Request) -> Door {
    let path = request.uri().path();
    if query_api::is_api_request(request) {
        Door::QueryApi
    } else if path.starts_with("/api/") {
        Door::ConsoleApi
    } else if matches!(path, "/healthz" | "/readyz" | "/metrics") {
        Door::Health
    } else {
        Door::Console
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_host_and_named_networks_read_the_metrics() {
        let none = MetricsReaders::default();
        assert!(none.admits("127.0.0.1".parse().unwrap()));
        assert!(none.admits("::1".parse().unwrap()));
        assert!(none.admits("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!none.admits("10.0.0.9".parse().unwrap()));
        let monitoring = MetricsReaders(vec!["10.0.0.0/24".parse().unwrap()]);
        assert!(monitoring.admits("10.0.0.9".parse().unwrap()));
        assert!(!monitoring.admits("10.0.1.9".parse().unwrap()));
    }
}
