//! When this process last wrote each access key's use: the store keeps a key's last use at a
//! coarse grain (`api_keys::USE_RECORD_INTERVAL_MILLIS`), so within that interval a signed
//! request need not ask the single writer connection for an update that would change nothing.

use std::collections::HashMap;
use std::sync::Mutex;

/// Beyond this many keys the memo starts afresh: it only spares writes, so forgetting is safe.
const MAX_KEYS: usize = 100_000;

#[derive(Default)]
pub struct KeyUseMemo {
    written_at: Mutex<HashMap<String, i64>>,
}

impl KeyUseMemo {
    /// Whether the key's use is worth writing at `now`: this process has not written it within
    /// `interval_millis`. (Another instance may have; the store's own condition covers that.)
    pub fn due(&self, access_key_id: &str, now: i64, interval_millis: i64) -> bool {
        let written_at = self.lock();
        written_at
            .get(access_key_id)
            .is_none_or(|at| now - at >= interval_millis)
    }

    /// Notes that the key's use was written at `now`.
    pub fn written(&self, access_key_id: &str, now: i64) {
        let mut written_at = self.lock();
        if written_at.len() >= MAX_KEYS && !written_at.contains_key(access_key_id) {
            written_at.clear();
        }
        written_at.insert(access_key_id.to_string(), now);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, i64>> {
        self.written_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_use_is_due_once_per_interval() {
        let memo = KeyUseMemo::default();
        assert!(memo.due("AKIA1", 1_000, 100));
        memo.written("AKIA1", 1_000);
        assert!(!memo.due("AKIA1", 1_099, 100));
        assert!(memo.due("AKIA1", 1_100, 100));
        assert!(memo.due("AKIA2", 1_050, 100));
    }
}
