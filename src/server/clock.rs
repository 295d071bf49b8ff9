//! The server's only source of time. Services take it from here so tests can move it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Milliseconds since the Unix epoch.
pub type UnixMillis = i64;

/// Unix milliseconds as RFC 3339 UTC to the second (`2026-12-08T03:00:00Z`): how time condition
/// keys, credential expiries and the CLI's dates are written.
pub fn rfc3339(millis: UnixMillis) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[derive(Clone)]
pub enum Clock {
    System,
    /// A clock that only moves when told to: for tests.
    Manual(Arc<AtomicI64>),
    /// The system clock moved by an offset (milliseconds) that a test changes while the server
    /// runs (`serve --test-clock-offset-file`).
    Offset(Arc<AtomicI64>),
}

impl Clock {
    pub fn manual(start: UnixMillis) -> Self {
        Clock::Manual(Arc::new(AtomicI64::new(start)))
    }

    /// The system clock moved by the whole seconds written in `file` (e.g. `3700`), read
    /// again every 100 ms: lets an end-to-end test move a running server past an expiry
    /// instead of waiting for it. A file that is missing or unreadable means no offset.
    pub fn offset_by_file(file: std::path::PathBuf) -> Self {
        let offset = Arc::new(AtomicI64::new(0));
        let follow = offset.clone();
        tokio::spawn(async move {
            loop {
                let seconds = tokio::fs::read_to_string(&file)
                    .await
                    .ok()
                    .and_then(|text| text.trim().parse::<i64>().ok())
                    .unwrap_or(0);
                follow.store(seconds.saturating_mul(1000), Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        });
        Clock::Offset(offset)
    }

    pub fn now_millis(&self) -> UnixMillis {
        let system = || time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000;
        match self {
            Clock::System => system(),
            Clock::Manual(now) => now.load(Ordering::SeqCst),
            Clock::Offset(offset) => system() + offset.load(Ordering::SeqCst),
        }
    }

    pub fn now_seconds(&self) -> u64 {
        (self.now_millis() / 1000).max(0) as u64
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance_millis(&self, millis: i64) {
        if let Clock::Manual(now) = self {
            now.fetch_add(millis, Ordering::SeqCst);
        }
    }
}
