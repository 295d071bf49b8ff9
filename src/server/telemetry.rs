//! Structured logs with tracing. SECURITY: callers never pass passwords, codes, secrets or
//! session IDs as fields; the request log records method, path and status only.

use tracing_subscriber::EnvFilter;

/// Logs for the server: human-readable lines, or JSON with `FERRIAM_LOG_FORMAT=json`.
pub fn init() {
    let filter = EnvFilter::try_from_env("FERRIAM_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let json = std::env::var("FERRIAM_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Logs for one-shot commands: warnings and errors only, on stderr, so stdout stays JSON.
pub fn init_for_cli() {
    let filter = EnvFilter::try_from_env("FERRIAM_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
