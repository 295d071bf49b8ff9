//! The request context: condition keys and their values for one request
//! (`aws:SourceIp`, `aws:username`, `aws:PrincipalTag/team`, `aws:TagKeys` ...).
//!
//! Key names are case-insensitive (ASCII), as in IAM. Values are kept as text;
//! each condition operator reads them as the type it compares (number, date,
//! IP address ...). A key holds one value or a list (multivalued keys).

use std::cmp::Ordering;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    // INVARIANT: sorted by `key_lower`, no two entries with the same key.
    entries: Vec<ContextEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    key_lower: Box<str>,
    /// The key as it was given, for display.
    pub key: Box<str>,
    pub values: Box<[Box<str>]>,
}

impl Context {
    pub fn new() -> Self {
        Context::default()
    }

    /// Sets `key` to a single value, replacing any previous value.
    pub fn insert(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.insert_list(key, [value.into()])
    }

    /// Sets `key` to a list of values (a multivalued key such as `aws:TagKeys`).
    /// An empty list is kept: the key is present with an empty set of values.
    pub fn insert_list<I, V>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        let entry = ContextEntry {
            key_lower: key.to_ascii_lowercase().into(),
            key: key.into(),
            values: values
                .into_iter()
                .map(|value| value.into().into_boxed_str())
                .collect(),
        };
        match self.search(&entry.key_lower) {
            Ok(index) => self.entries[index] = entry,
            Err(index) => self.entries.insert(index, entry),
        }
        self
    }

    pub fn insert_bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.insert(key, if value { "true" } else { "false" })
    }

    pub fn remove(&mut self, key: &str) -> &mut Self {
        if let Ok(index) = self.search(key) {
            self.entries.remove(index);
        }
        self
    }

    /// The values of `key` (any case), or `None` when the key is absent.
    pub fn get(&self, key: &str) -> Option<&[Box<str>]> {
        self.search(key)
            .ok()
            .map(|index| &*self.entries[index].values)
    }

    /// Like [`Context::get`] for a key that is already ASCII-lowercase
    /// (policies lowercase their keys once, when compiled).
    pub fn get_lowercase(&self, key_lower: &str) -> Option<&[Box<str>]> {
        self.entries
            .binary_search_by(|entry| entry.key_lower.as_ref().cmp(key_lower))
            .ok()
            .map(|index| &*self.entries[index].values)
    }

    /// The only value of `key`; `None` when absent or multivalued.
    pub fn single(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some([value]) => Some(value),
            _ => None,
        }
    }

    pub fn entries(&self) -> impl Iterator<Item = &ContextEntry> {
        self.entries.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn search(&self, key: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|entry| compare_folded(&entry.key_lower, key))
    }
}

/// Context keys that policies referenced but the request did not supply,
/// in first-seen order, deduplicated case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct MissingKeys<'p> {
    keys: Vec<&'p str>,
    /// The same keys for lookups, once there are more than a few.
    // SECURITY: keeps noting linear when a policy references thousands of keys.
    index: HashSet<FoldedKey<'p>>,
}

/// Below this many keys a scan is cheaper than hashing.
const SCAN_LIMIT: usize = 16;

impl PartialEq for MissingKeys<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys
    }
}

impl Eq for MissingKeys<'_> {}

impl<'p> MissingKeys<'p> {
    pub fn note(&mut self, key: &'p str) {
        if self.keys.len() < SCAN_LIMIT {
            if !self
                .keys
                .iter()
                .any(|known| known.eq_ignore_ascii_case(key))
            {
                self.keys.push(key);
            }
            return;
        }
        if self.index.is_empty() {
            self.index = self.keys.iter().map(|known| FoldedKey(known)).collect();
        }
        if self.index.insert(FoldedKey(key)) {
            self.keys.push(key);
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &'p str> + '_ {
        self.keys.iter().copied()
    }

    pub fn into_vec(self) -> Vec<&'p str> {
        self.keys
    }
}

/// A key that hashes and compares ignoring ASCII case.
#[derive(Debug, Clone, Copy)]
struct FoldedKey<'p>(&'p str);

impl PartialEq for FoldedKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for FoldedKey<'_> {}

impl Hash for FoldedKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for byte in self.0.bytes() {
            state.write_u8(byte.to_ascii_lowercase());
        }
        state.write_u8(0xff);
    }
}

/// Compares an already-lowercase key with a key of any case, without allocating.
fn compare_folded(lower: &str, any_case: &str) -> Ordering {
    let (lower, any_case) = (lower.as_bytes(), any_case.as_bytes());
    for (left, right) in lower.iter().zip(any_case) {
        match left.cmp(&right.to_ascii_lowercase()) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
    }
    lower.len().cmp(&any_case.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_replace() {
        let mut context = Context::new();
        context
            .insert("aws:SourceIp", "203.0.113.9")
            .insert_list("aws:TagKeys", ["a", "b"])
            .insert("AWS:SOURCEIP", "198.51.100.1");
        assert_eq!(context.single("aws:sourceip"), Some("198.51.100.1"));
        assert_eq!(context.get("Aws:TagKeys").map(|v| v.len()), Some(2));
        assert_eq!(context.single("aws:TagKeys"), None);
        assert_eq!(context.get("aws:username"), None);
        context.remove("aws:sourceIP");
        assert_eq!(context.get("aws:SourceIp"), None);
        assert_eq!(context.entries().count(), 1);
    }

    #[test]
    fn missing_keys_dedupe_ignoring_case_in_linear_time() {
        let mut missing = MissingKeys::default();
        missing.note("aws:username");
        missing.note("AWS:UserName");
        missing.note("s3:prefix");
        assert_eq!(
            missing.keys().collect::<Vec<_>>(),
            ["aws:username", "s3:prefix"]
        );
        // SECURITY: a simulated policy can reference ~9,000 distinct keys;
        // a pairwise scan made one evaluation take a fifth of a second.
        let keys: Vec<String> = (0..20_000).map(|i| format!("k:{i}")).collect();
        let started = std::time::Instant::now();
        let mut missing = MissingKeys::default();
        for key in &keys {
            missing.note(key);
        }
        for key in &keys {
            missing.note(key);
        }
        assert_eq!(missing.keys().count(), 20_000);
        assert!(started.elapsed() < std::time::Duration::from_millis(300));
    }

    #[test]
    fn empty_lists_are_present_but_empty() {
        let mut context = Context::new();
        context.insert_list("aws:TagKeys", Vec::<String>::new());
        assert_eq!(context.get("aws:tagkeys").map(|v| v.len()), Some(0));
    }
}
