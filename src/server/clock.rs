//! The server's only source of time. Services take it from here so tests can move it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Milliseconds since the Unix epoch.
pub type UnixMillis = i64;

#[derive(Clone)]
pub enum Clock {
    System,
    /// A clock that only moves when told to: for tests.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn manual(start: UnixMillis) -> Self {
        Clock::Manual(Arc::new(AtomicI64::new(start)))
    }

    pub fn now_millis(&self) -> UnixMillis {
        match self {
            Clock::System => {
                time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000
            }
            Clock::Manual(now) => now.load(Ordering::SeqCst),
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
