//! Active access keys' signing identities, kept in memory between requests so a signed
//! request costs no store read and no decryption for its key.
//!
//! INVARIANT: an entry is used only while its account's policy-set generation is unchanged
//! (`PolicySetCache::account_generation`). Every committed write bumps that generation, so a
//! deactivated or deleted key, or a renamed or deleted user, is never served from here after
//! the write that changed it. Unknown and inactive keys are never cached: a key created by
//! another process works at once.

use std::sync::Arc;

use crate::domain::Principal;
use crate::server::service::caches::bounded_map::BoundedMap;

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

pub struct SigningKeyCache {
    entries: BoundedMap<Entry>,
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self {
            entries: BoundedMap::new(MAX_KEYS),
        }
    }
}

impl SigningKeyCache {
    /// The cached identity and the account generation it was loaded at: usable only while
    /// that is still the account's generation.
    pub fn get(&self, access_key_id: &str) -> Option<(i64, Arc<SigningIdentity>)> {
        self.entries.read(access_key_id, |entry| {
            entry.map(|entry| (entry.generation, Arc::clone(&entry.identity)))
        })
    }

    /// Keeps an identity loaded after `generation` was read.
    pub fn insert(&self, access_key_id: &str, generation: i64, identity: Arc<SigningIdentity>) {
        self.entries.insert(
            access_key_id,
            Entry {
                generation,
                identity,
            },
        );
    }
}
