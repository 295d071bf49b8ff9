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
    /// The cached identity, if it was loaded at the account's current generation.
    pub fn get(
        &self,
        access_key_id: &str,
        current_generation: impl Fn(&str) -> i64,
    ) -> Option<Arc<SigningIdentity>> {
        self.entries.read(access_key_id, |entry| {
            let entry = entry?;
            let account_id = entry.identity.principal.account_id.as_str();
            (entry.generation == current_generation(account_id))
                .then(|| Arc::clone(&entry.identity))
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
