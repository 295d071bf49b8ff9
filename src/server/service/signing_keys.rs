//! Active access keys' signing identities, kept in memory between requests so a signed
//! request costs no store read and no decryption for its key.
//!
//! INVARIANT: an entry is used only while its account's policy-set generation is unchanged
//! (`PolicySetCache::account_generation`). Every committed write bumps that generation, so a
//! deactivated or deleted key, or a renamed or deleted user, is never served from here after
//! the write that changed it. Unknown and inactive keys are never cached: a key created by
//! another process works at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::domain::Principal;

/// Beyond this many keys the cache starts afresh; a miss only costs two store reads.
const MAX_KEYS: usize = 50_000;

/// What a signature check needs: the principal the key signs as and its secret.
pub struct SigningIdentity {
    pub principal: Principal,
    /// SECURITY: zeroized when the entry is dropped; never logged.
    pub secret: zeroize::Zeroizing<Vec<u8>>,
}

struct Entry {
    generation: i64,
    identity: Arc<SigningIdentity>,
}

#[derive(Default)]
pub struct SigningKeyCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl SigningKeyCache {
    /// The cached identity, if it was loaded at the account's current generation.
    pub fn get(
        &self,
        access_key_id: &str,
        current_generation: impl Fn(&str) -> i64,
    ) -> Option<Arc<SigningIdentity>> {
        let entries = self.lock();
        let entry = entries.get(access_key_id)?;
        let account_id = entry.identity.principal.account_id.as_str();
        (entry.generation == current_generation(account_id)).then(|| Arc::clone(&entry.identity))
    }

    /// Keeps an identity loaded after `generation` was read.
    pub fn insert(&self, access_key_id: &str, generation: i64, identity: Arc<SigningIdentity>) {
        let mut entries = self.lock();
        if entries.len() >= MAX_KEYS && !entries.contains_key(access_key_id) {
            entries.clear();
        }
        entries.insert(
            access_key_id.to_string(),
            Entry {
                generation,
                identity,
            },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
