//! `GET /healthz` (the process answers) and `GET /readyz` (the database answers).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::server::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

/// A load balancer's health check gives up after a few seconds; a database that has not
/// answered by then is reported down rather than leaving the check to time out.
const READY_WITHIN: Duration = Duration::from_secs(2);

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(READY_WITHIN, state.iam.database_reachable()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::warn!("readiness check: the database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
