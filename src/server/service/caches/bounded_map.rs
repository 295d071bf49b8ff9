//! A string-keyed map shared between requests that starts afresh once it holds too many
//! entries: the memory for memos and caches whose loss costs only a repeated read or write.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

pub struct BoundedMap<V> {
    entries: Mutex<HashMap<String, V>>,
    max_entries: usize,
}

impl<V> BoundedMap<V> {
    pub fn new(max_entries: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            max_entries,
        }
    }

    /// What `read` makes of the entry under `key` (or of its absence).
    pub fn read<T>(&self, key: &str, read: impl FnOnce(Option<&V>) -> T) -> T {
        read(self.lock().get(key))
    }

    /// Sets the entry under `key`, forgetting every other one first when the map is full.
    pub fn insert(&self, key: &str, value: V) {
        self.update(key, |_| Some(value));
    }

    /// Sets the entry under `key` to what `replace` returns for the current one, if anything.
    pub fn update(&self, key: &str, replace: impl FnOnce(Option<&V>) -> Option<V>) {
        let mut entries = self.lock();
        if let Some(value) = replace(entries.get(key)) {
            if entries.len() >= self.max_entries && !entries.contains_key(key) {
                entries.clear();
            }
            entries.insert(key.to_string(), value);
        }
    }

    /// Forgets the entry under `key`.
    pub fn remove(&self, key: &str) {
        self.lock().remove(key);
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, V>> {
        // A panic while holding the lock cannot leave a half-written entry behind.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_map_starts_afresh_for_a_new_key_only() {
        let map = BoundedMap::new(2);
        map.insert("a", 1);
        map.insert("b", 2);
        map.insert("b", 3);
        assert_eq!(map.len(), 2);
        assert_eq!(map.read("b", |v| v.copied()), Some(3));
        map.insert("c", 4);
        assert_eq!(map.len(), 1);
        assert_eq!(map.read("a", |v| v.copied()), None);
        assert_eq!(map.read("c", |v| v.copied()), Some(4));
    }

    #[test]
    fn an_update_may_keep_the_current_entry() {
        let map = BoundedMap::new(4);
        map.update("a", |current| current.is_none().then_some(1));
        map.update("a", |current| current.is_none().then_some(2));
        assert_eq!(map.read("a", |v| v.copied()), Some(1));
    }
}
