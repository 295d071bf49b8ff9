//! The audit log's writer. Successful changes are recorded inside their own transaction (so a
//! change and its record land together); reads and failures go through a background task that
//! writes them in batches, so auditing a read never waits for a disk sync. Both paths write on
//! the store's single writer connection, where each insert extends the hash chain.
//!
//! The folder holds reading the log (`lookup`), its CloudTrail-shaped `export`, and the records
//! of console sign-ins (`signin_events`).

pub mod export;
pub mod lookup;
pub mod signin_events;

use tokio::sync::{mpsc, oneshot};

use crate::server::service::authorization::caller::Caller;
use crate::server::service::ServiceError;
use crate::server::store::audit::AuditRow;
use crate::server::store::audit_chain;
use crate::server::store::Store;

pub const SUCCESS: &str = "Success";
const BATCH: usize = 256;

// Events are the common message: boxing them would allocate once more per audited request.
#[allow(clippy::large_enum_variant)]
enum Message {
    Event(Box<AuditRow>),
    Flush(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct AuditLog {
    sender: mpsc::Sender<Message>,
}

impl AuditLog {
    /// Starts the background writer on the current Tokio runtime.
    pub fn start(store: Store) -> Self {
        let (sender, receiver) = mpsc::channel(4096);
        tokio::spawn(write_batches(store, receiver));
        Self { sender }
    }

    /// Queues an event; waits only when the queue is full.
    pub async fn record(&self, row: AuditRow) {
        if self
            .sender
            .send(Message::Event(Box::new(row)))
            .await
            .is_err()
        {
            tracing::error!("audit writer stopped; an event was not recorded");
        }
    }

    /// Waits until every event queued so far is written.
    pub async fn flush(&self) {
        let (done, flushed) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_ok() {
            let _ = flushed.await;
        }
    }
}

pub fn row(caller: &Caller, now: i64, action: &str, resource: &str, result: &str) -> AuditRow {
    AuditRow {
        event_time: now,
        account_id: caller.principal.account_id.to_string(),
        principal_arn: caller.principal.arn(),
        principal_id: Some(caller.principal.user_id()),
        access_key_id: caller.request.access_key_id.clone(),
        action: action.to_string(),
        resource_arn: resource.to_string(),
        result: result.to_string(),
        error_message: None,
        reason: None,
        // As CloudTrail records it in the session context: who is behind a role session.
        details: caller
            .session_tags
            .source_identity
            .as_ref()
            .map(|source| serde_json::json!({ "sourceIdentity": source }).to_string()),
        source_ip: caller.request.source_ip.clone(),
        user_agent: caller.request.user_agent.clone(),
        request_id: caller.request.request_id.clone(),
    }
}

/// The record of a failed operation: its AWS error code and the public message.
pub fn failure_row(
    caller: &Caller,
    now: i64,
    action: &str,
    resource: &str,
    error: &ServiceError,
) -> AuditRow {
    AuditRow {
        error_message: Some(error.public_message()),
        ..row(caller, now, action, resource, error.code())
    }
}

async fn write_batches(store: Store, mut receiver: mpsc::Receiver<Message>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut waiting = Vec::new();
    while let Some(first) = receiver.recv().await {
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Event(row) => batch.push(*row),
                Message::Flush(done) => waiting.push(done),
            }
            if batch.len() < BATCH {
                next = receiver.try_recv().ok();
            }
        }
        if let Err(error) = write(&store, &batch).await {
            tracing::error!(error = %error, events = batch.len(), "audit events could not be written");
        }
        batch.clear();
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

async fn write(store: &Store, batch: &[AuditRow]) -> Result<(), crate::server::store::StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    audit_chain::insert_all(&mut tx, batch).await?;
    tx.commit().await?;
    Ok(())
}
