//! The HTTP server: the router (console pages, server functions, health checks, static files),
//! its layers (sessions, the sign-in gate, request logs) and the listener.

pub mod audit_export;
pub mod device_cookie;
pub mod federation;
pub mod forwarded;
pub mod gate;
pub mod health;
pub mod metrics_endpoint;
pub mod origin;
pub mod plain_page;
pub mod request_info;
pub mod router;
pub mod saml;
pub mod security;
pub mod single_sign_on;
pub mod workload;

use axum::serve::ListenerExt;
use std::net::SocketAddr;

use super::config::{Config, ServeConfig, SessionLimits};
use super::service::iam::Settings;
use super::service::{Iam, ServiceError};

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Startup(#[from] ServiceError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

pub async fn serve(
    config: Config,
    serve: ServeConfig,
    limits: SessionLimits,
) -> Result<(), ServeError> {
    let settings = Settings {
        open_signup: serve.open_signup,
        secure_transport: serve.secure_cookies,
        session_idle_millis: limits.idle_millis,
        session_absolute_millis: limits.absolute_millis,
        idp_fetch: serve.idp_fetch.clone(),
        unsigned_per_second: serve.unsigned_per_second,
    };
    let clock = match &serve.clock_offset_file {
        Some(file) => crate::server::clock::Clock::offset_by_file(file.clone()),
        None => crate::server::clock::Clock::System,
    };
    let iam = Iam::open_at(&config, settings, clock).await?;
    spawn_session_cleanup(iam.clone());
    let app = router::router(iam, &serve);
    let listener = tokio::net::TcpListener::bind(serve.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: serve.addr,
            source,
        })?
        // Streamed pages go out in several writes; without NODELAY, Nagle's algorithm holds
        // each later write until the client's delayed ACK (~40 ms per page).
        .tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(error = %error, "TCP_NODELAY not set");
            }
        });
    tracing::info!(
        addr = %serve.addr,
        database = %redacted_url(&config.database_url),
        site_root = %serve.site_root.display(),
        "Ferriam is listening on http://{}",
        serve.addr
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("Ferriam stopped");
    Ok(())
}

/// SECURITY: a PostgreSQL URL may carry a password; logs show the scheme and host only.
fn redacted_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.rsplit('@').next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => url.to_string(),
    }
}

fn spawn_session_cleanup(iam: Iam) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            housekeeping(&iam).await;
        }
    });
}

/// One round of the periodic clean-up: expired console sessions, stale throttle counters,
/// expired STS credentials, federation sign-in tokens and accepted SAML assertions. SECURITY: each table anyone can add rows to shrinks again here.
pub async fn housekeeping(iam: &Iam) {
    let sessions = iam.session_store();
    match sessions.delete_expired(iam.clock().now_millis()).await {
        Ok(0) => {}
        Ok(count) => tracing::debug!(count, "expired sessions deleted"),
        Err(error) => tracing::warn!(error = %error, "expired-session cleanup failed"),
    }
    if let Err(error) = crate::server::service::signin::throttle::delete_stale(iam).await {
        tracing::warn!(error = %error, "stale throttle cleanup failed");
    }
    match crate::server::service::sts::delete_expired_sessions(iam).await {
        Ok(0) => {}
        Ok(count) => tracing::debug!(count, "expired STS sessions deleted"),
        Err(error) => tracing::warn!(error = %error, "expired STS session cleanup failed"),
    }
    if let Err(error) =
        crate::server::service::federation::console_broker::delete_expired_tokens(iam).await
    {
        tracing::warn!(error = %error, "expired sign-in token cleanup failed");
    }
    if let Err(error) =
        crate::server::service::federation::saml::console_signin::delete_expired_assertions(iam)
            .await
    {
        tracing::warn!(error = %error, "expired SAML assertion cleanup failed");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_urls_are_logged_without_credentials() {
        assert_eq!(
            super::redacted_url("postgres://u:secret@db:5432/x"),
            "postgres://db:5432/x"
        );
        assert_eq!(
            super::redacted_url("sqlite://data/ferriam.db"),
            "sqlite://data/ferriam.db"
        );
    }
}
