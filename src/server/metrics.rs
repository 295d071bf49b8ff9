//! Prometheus metrics for operators (`GET /metrics`): requests by door with latency, operations
//! by outcome, authorization decisions, sign-ins, cache use and the database pools.
//! SECURITY: every label value comes from a fixed set in code (doors, catalog operations, AWS
//! error codes, decisions, cache names) — never from a request — so no secret reaches a label
//! and the number of series stays bounded.

use std::sync::OnceLock;
use std::time::Duration;

use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::server::store::Store;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Latency buckets in seconds: a cached signed read takes well under a millisecond, a password
/// check a few hundred.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Installs the process's recorder, once; measurements taken before it are not kept.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".to_string()), BUCKETS)
            .expect("the bucket list is not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
        }
        describe();
        handle
    })
}

/// The exposition text, with the pools' gauges read now.
pub fn render(store: &Store) -> String {
    for pool in store.pool_use() {
        gauge!("ferriam_db_connections", "pool" => pool.name, "state" => "in_use")
            .set(pool.in_use as f64);
        gauge!("ferriam_db_connections", "pool" => pool.name, "state" => "idle")
            .set(pool.idle as f64);
    }
    install().render()
}

/// How a request reached the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Door {
    QueryApi,
    /// Console pages and static files.
    Console,
    /// Console server functions (`/api/…`).
    ConsoleApi,
    /// `/healthz`, `/readyz`, `/metrics`.
    Health,
    /// The operator's command line.
    Operator,
}

impl Door {
    fn label(self) -> &'static str {
        match self {
            Door::QueryApi => "query_api",
            Door::Console => "console",
            Door::ConsoleApi => "console_api",
            Door::Health => "health",
            Door::Operator => "operator",
        }
    }
}

/// One HTTP request answered with `status` after `elapsed`.
pub fn http_request(door: Door, status: u16, elapsed: Duration) {
    let class = match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    counter!("ferriam_http_requests_total", "door" => door.label(), "status" => class).increment(1);
    histogram!("ferriam_http_request_duration_seconds", "door" => door.label())
        .record(elapsed.as_secs_f64());
}

/// One service operation ended with `outcome` ("Success" or its AWS error code).
pub fn operation(door: Door, operation: &'static str, outcome: &str, elapsed: Duration) {
    counter!(
        "ferriam_operations_total",
        "door" => door.label(),
        "operation" => operation,
        "outcome" => outcome.to_string()
    )
    .increment(1);
    histogram!("ferriam_operation_duration_seconds", "operation" => operation)
        .record(elapsed.as_secs_f64());
}

/// One authorization decision: "allow", "explicit_deny" or "implicit_deny".
pub fn authorization(decision: &'static str) {
    counter!("ferriam_authorization_decisions_total", "decision" => decision).increment(1);
}

/// One console sign-in step's end: "success", "failure" or "throttled".
pub fn sign_in(outcome: &'static str) {
    counter!("ferriam_sign_ins_total", "outcome" => outcome).increment(1);
}

/// One cache lookup: "hit", "miss" (nothing cached) or "stale" (cached before a later write).
pub fn cache_lookup(cache: &'static str, result: &'static str) {
    counter!("ferriam_cache_lookups_total", "cache" => cache, "result" => result).increment(1);
}

/// A committed write made this instance's cached entries of an account stale.
pub fn cache_invalidation() {
    counter!("ferriam_cache_invalidations_total").increment(1);
}

/// A database call failed.
pub fn database_error() {
    counter!("ferriam_db_errors_total").increment(1);
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        "ferriam_http_requests_total",
        "HTTP requests by door and status class"
    );
    describe_histogram!(
        "ferriam_http_request_duration_seconds",
        Unit::Seconds,
        "HTTP request latency by door"
    );
    describe_counter!(
        "ferriam_operations_total",
        "Service operations by door, operation and outcome (Success or the AWS error code)"
    );
    describe_histogram!(
        "ferriam_operation_duration_seconds",
        Unit::Seconds,
        "Service operation latency"
    );
    describe_counter!(
        "ferriam_authorization_decisions_total",
        "Policy evaluations by decision"
    );
    describe_counter!(
        "ferriam_sign_ins_total",
        "Console sign-in steps by outcome (success, failure, throttled)"
    );
    describe_counter!(
        "ferriam_cache_lookups_total",
        "Cache lookups by cache and result (hit, miss, stale)"
    );
    describe_counter!(
        "ferriam_cache_invalidations_total",
        "Writes committed on this instance that made cached entries stale"
    );
    describe_counter!("ferriam_db_errors_total", "Failed database calls");
    describe_gauge!(
        "ferriam_db_connections",
        "Database connections by pool and state"
    );
}
