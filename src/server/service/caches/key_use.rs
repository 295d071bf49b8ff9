//! When this process last wrote each access key's (and role's) use: the store keeps a last use
//! at a coarse grain (`api_keys::USE_RECORD_INTERVAL_MILLIS`,
//! `roles::ROLE_USE_RECORD_INTERVAL_MILLIS`), so within that interval a signed request need not
//! ask the single writer connection for an update that would change nothing.

use crate::server::service::caches::bounded_map::BoundedMap;

/// Beyond this many keys the memo starts afresh: it only spares writes, so forgetting is safe.
const MAX_KEYS: usize = 100_000;

pub struct KeyUseMemo {
    written_at: BoundedMap<i64>,
}

impl Default for KeyUseMemo {
    fn default() -> Self {
        Self {
            written_at: BoundedMap::new(MAX_KEYS),
        }
    }
}

impl KeyUseMemo {
    /// Whether the key's use is worth writing at `now`: this process has not written it within
    /// `interval_millis`. (Another instance may have; the store's own condition covers that.)
    pub fn due(&self, access_key_id: &str, now: i64, interval_millis: i64) -> bool {
        self.written_at.read(access_key_id, |written_at| {
            written_at.is_none_or(|at| now - at >= interval_millis)
        })
    }

    /// Notes that the key's use was written at `now`.
    pub fn written(&self, access_key_id: &str, now: i64) {
        self.written_at.insert(access_key_id, now);
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
