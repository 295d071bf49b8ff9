//! `GET /metrics` for Prometheus, answered only to this host (and to the networks the operator
//! names with `--metrics-from`): other hosts get a 404, as for a path that does not exist. A
//! request relayed by a proxy (it carries `X-Forwarded-For` or `Forwarded`) is not this host's
//! even when the proxy runs here: only a named network admits its client. The request-counting
//! layer every request passes through lives here too.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;

use super::forwarded::{canonical, Forwarding};
use crate::server::metrics::{self, Door};
use crate::server::query_api;
use crate::server::AppState;

/// Who may read `/metrics` besides this host.
#[derive(Clone, Debug, Default)]
pub struct MetricsReaders(pub Vec<IpNet>);

impl MetricsReaders {
    // SECURITY: a proxy on this host would otherwise pass anyone's request off as local: a
    // relayed request is admitted only when its client (as a trusted proxy reports it) is in a
    // named network.
    fn admits(&self, peer: IpAddr, headers: &HeaderMap, forwarding: &Forwarding) -> bool {
        let relayed = headers.contains_key("x-forwarded-for") || headers.contains_key("forwarded");
        if relayed {
            let client = forwarding.client(peer, headers).ip;
            return client != peer && self.named(client);
        }
        let peer = canonical(peer);
        peer.is_loopback() || self.named(peer)
    }

    fn named(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }
}

pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    let readers = request
        .extensions()
        .get::<MetricsReaders>()
        .cloned()
        .unwrap_or_default();
    let forwarding = request
        .extensions()
        .get::<Forwarding>()
        .cloned()
        .unwrap_or_default();
    let admitted = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|peer| readers.admits(peer.0.ip(), request.headers(), &forwarding));
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

    fn admitted(readers: &MetricsReaders, peer: &str, forwarded_for: Option<&str>) -> bool {
        let mut headers = HeaderMap::new();
        if let Some(client) = forwarded_for {
            headers.insert("x-forwarded-for", client.parse().unwrap());
        }
        let forwarding = Forwarding {
            trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
            ..Forwarding::default()
        };
        readers.admits(peer.parse().unwrap(), &headers, &forwarding)
    }

    #[test]
    fn only_this_host_and_named_networks_read_the_metrics() {
        let none = MetricsReaders::default();
        assert!(admitted(&none, "127.0.0.1", None));
        assert!(admitted(&none, "::1", None));
        assert!(admitted(&none, "::ffff:127.0.0.1", None));
        assert!(!admitted(&none, "10.0.0.9", None));
        let monitoring = MetricsReaders(vec!["10.0.0.0/24".parse().unwrap()]);
        assert!(admitted(&monitoring, "10.0.0.9", None));
        assert!(!admitted(&monitoring, "10.0.1.9", None));
    }

    #[test]
    fn a_request_relayed_by_a_local_proxy_is_not_local() {
        let none = MetricsReaders::default();
        assert!(!admitted(&none, "127.0.0.1", Some("203.0.113.9")));
        assert!(!admitted(&none, "127.0.0.1", Some("127.0.0.1")));
        let monitoring = MetricsReaders(vec!["10.0.0.0/24".parse().unwrap()]);
        assert!(admitted(&monitoring, "127.0.0.1", Some("10.0.0.9")));
        assert!(!admitted(&monitoring, "127.0.0.1", Some("203.0.113.9")));
        // From a peer that is no trusted proxy, the header is the client's own word.
        assert!(!admitted(&monitoring, "192.0.2.1", Some("10.0.0.9")));
    }
}
