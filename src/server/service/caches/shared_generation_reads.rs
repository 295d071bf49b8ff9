//! Concurrent requests share reads of an account's generation (PostgreSQL). A request that
//! needs it waits for the read in flight, if any, and uses the first read that *started after
//! it asked* — so it still sees every commit made before it asked, as if it had read alone —
//! while one read serves every request queued behind it. At most one read per account is in
//! flight on an instance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::server::store::{accounts, Store, StoreError};

/// Beyond this many accounts the table starts afresh; a lost slot costs one unshared read.
const MAX_ACCOUNTS: usize = 10_000;

#[derive(Default)]
pub struct SharedGenerationReads {
    accounts: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<LastRead>>>>>,
}

struct LastRead {
    started: Instant,
    generation: i64,
}

impl SharedGenerationReads {
    /// The account's generation, read after this call began.
    pub async fn read(&self, store: &Store, account_id: &str) -> Result<i64, StoreError> {
        let asked = Instant::now();
        let slot = self.slot(account_id);
        let mut last = slot.lock().await;
        if let Some(read) = last.as_ref().filter(|read| read.started > asked) {
            return Ok(read.generation);
        }
        let started = Instant::now();
        let generation = accounts::authz_generation(store.reader(), account_id).await?;
        *last = Some(LastRead {
            started,
            generation,
        });
        Ok(generation)
    }

    fn slot(&self, account_id: &str) -> Arc<tokio::sync::Mutex<Option<LastRead>>> {
        let mut accounts = self
            .accounts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if accounts.len() >= MAX_ACCOUNTS && !accounts.contains_key(account_id) {
            accounts.clear();
        }
        Arc::clone(accounts.entry(account_id.to_string()).or_default())
    }
}
