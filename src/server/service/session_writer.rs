//! Group commit for temporary credentials. Every STS call that issues credentials writes a row
//! and its audit records, and on SQLite each commit waits for a disk sync; under load they
//! would queue behind one another's syncs. Instead they queue here: one task takes every issue
//! waiting, stores them in one transaction — each checked against its issuer's cap in turn,
//! with its audit records extending the chain — and commits once, so one sync serves them all.
//! Each caller learns its own outcome; a failed commit fails every issue of that batch.

use tokio::sync::{mpsc, oneshot};

use crate::server::store::audit::AuditRow;
use crate::server::store::sts_sessions::{self, StsSessionRow};
use crate::server::store::{audit_chain, Store, StoreError};

/// Issues one commit takes at most.
const BATCH: usize = 256;

struct Job {
    row: StsSessionRow,
    /// The operation's success records, written only when the row is stored.
    audit: Vec<AuditRow>,
    now: i64,
    cap: i64,
    stored: oneshot::Sender<Result<bool, String>>,
}

#[derive(Clone)]
pub struct SessionWriter {
    sender: mpsc::Sender<Job>,
}

impl SessionWriter {
    /// Starts the writer on the current Tokio runtime.
    pub fn start(store: Store) -> Self {
        let (sender, receiver) = mpsc::channel(4 * BATCH);
        tokio::spawn(write_batches(store, receiver));
        Self { sender }
    }

    /// Stores `row` with `audit` unless its issuer already holds `cap` live credentials (then
    /// `false`, and nothing is written).
    pub async fn store(
        &self,
        row: StsSessionRow,
        audit: Vec<AuditRow>,
        now: i64,
        cap: i64,
    ) -> Result<bool, StoreError> {
        let (stored, outcome) = oneshot::channel();
        let job = Job {
            row,
            audit,
            now,
            cap,
            stored,
        };
        if self.sender.send(job).await.is_err() {
            return Err(StoreError::Io("the credentials writer stopped".to_string()));
        }
        match outcome.await {
            Ok(result) => result.map_err(StoreError::Io),
            Err(_) => Err(StoreError::Io("the credentials writer stopped".to_string())),
        }
    }
}

async fn write_batches(store: Store, mut receiver: mpsc::Receiver<Job>) {
    while let Some(first) = receiver.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < BATCH {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        match commit(&store, &jobs).await {
            Ok(stored) => {
                for (job, stored) in jobs.into_iter().zip(stored) {
                    let _ = job.stored.send(Ok(stored));
                }
            }
            Err(error) => {
                tracing::error!(error = %error, issues = jobs.len(), "temporary credentials not stored");
                let shown = error.to_string();
                for job in jobs {
                    let _ = job.stored.send(Err(shown.clone()));
                }
            }
        }
    }
}

/// One transaction for the batch: each row against its issuer's cap in order (the live counts
/// read once, then counted on as rows are taken), the rows taken, and their audit records. The
/// one write that leaves the accounts' generations alone: a new credential changes nothing a
/// cache holds (unknown keys are never cached, temporary keys are read from the store each
/// time), and bumping would empty the account's caches at every issue.
/// INVARIANT: no issue slips past a cap between the count and the insert: the transaction holds
/// the store's write lock from its start (SQLite's one writer; PostgreSQL's advisory lock, for
/// every instance), and this task writes one batch at a time.
async fn commit(store: &Store, jobs: &[Job]) -> Result<Vec<bool>, StoreError> {
    let mut tx = store.begin().await?;
    let mut issuers: Vec<&str> = jobs.iter().map(|job| job.row.issuer.as_str()).collect();
    issuers.sort_unstable();
    issuers.dedup();
    // The earliest `now` of the batch counts the most credentials as live.
    let now = jobs.iter().map(|job| job.now).min().unwrap_or_default();
    let mut live = sts_sessions::live_counts(&mut *tx, &issuers, now).await?;
    let mut stored = Vec::with_capacity(jobs.len());
    let mut rows = Vec::new();
    let mut audit = Vec::new();
    for job in jobs {
        let count = live.entry(job.row.issuer.clone()).or_default();
        let fits = *count < job.cap;
        if fits {
            *count += 1;
            rows.push(&job.row);
            audit.extend(job.audit.iter().cloned());
        }
        stored.push(fits);
    }
    sts_sessions::insert_all(&mut tx, &rows).await?;
    audit_chain::insert_all(&mut tx, &audit).await?;
    tx.commit().await?;
    Ok(stored)
}
