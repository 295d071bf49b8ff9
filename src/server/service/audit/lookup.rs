//! Reading the audit log: `cloudtrail:LookupEvents`, Ferriam's equivalent of CloudTrail's
//! action of that name. The root user may always call it; an IAM user needs a policy that
//! allows it. Only the caller's own account's events are ever returned.

use crate::catalog::Op;
use crate::domain::audit_query::{parse_utc_minutes, AuditQuery};
use crate::domain::Invalid;
use crate::server::store::audit::{self, EventFilter, ResultFilter, StoredEvent};
use crate::server::store::{audit_chain, Store};

use crate::server::service::audit::export::{self, ExportFormat};
use crate::server::service::{Caller, Iam, Operation, ServiceError};

/// The outcome of a walk of the whole log's hash chain.
pub use crate::server::store::audit_chain::{BrokenLink, ChainReport};

/// One event as a reader of the log sees it: every field but the internal sign-in reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    /// Its place in the log: later events have larger numbers (the paging cursor).
    pub seq: i64,
    pub event_time: i64,
    pub account_id: String,
    pub principal_arn: String,
    pub principal_id: Option<String>,
    pub access_key_id: Option<String>,
    pub action: String,
    pub resource_arn: String,
    /// `Success` or the AWS error code.
    pub result: String,
    pub error_message: Option<String>,
    /// Public details as a JSON object.
    pub details: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
}

impl From<StoredEvent> for AuditEvent {
    // SECURITY: `reason` (why a sign-in failed) stays in the store: no reader sees it.
    fn from(event: StoredEvent) -> Self {
        let row = event.row;
        Self {
            seq: event.seq,
            event_time: row.event_time,
            account_id: row.account_id,
            principal_arn: row.principal_arn,
            principal_id: row.principal_id,
            access_key_id: row.access_key_id,
            action: row.action,
            resource_arn: row.resource_arn,
            result: row.result,
            error_message: row.error_message,
            details: row.details,
            source_ip: row.source_ip,
            user_agent: row.user_agent,
            request_id: row.request_id,
        }
    }
}

/// The largest page the console asks for.
pub const MAX_PAGE: i64 = 200;
/// The most events one export holds (newest first); narrow the filter for older ones.
pub const MAX_EXPORT: usize = 50_000;
const EXPORT_PAGE: i64 = 1000;

/// One page of the caller's account's events, newest first, before the event `before_seq`.
pub async fn lookup_events(
    iam: &Iam,
    caller: &Caller,
    filter: &EventFilter,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEvent>, ServiceError> {
    Operation::run(iam, caller, Op::LookupEvents, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            // SECURITY: the account is the caller's, never taken from the request.
            let events = audit::page(
                iam.store().reader(),
                caller.account_id().as_str(),
                filter,
                before_seq,
                limit.clamp(1, MAX_PAGE),
            )
            .await?;
            Ok(events.into_iter().map(AuditEvent::from).collect())
        })
    })
    .await
}

/// Walks the whole log's hash chain, every account's events, oldest first: the operator's
/// `ferriam audit verify` (no principal: the operator holds the database).
pub async fn verify_chain(store: &Store) -> Result<ChainReport, ServiceError> {
    Ok(audit_chain::verify(store.reader()).await?)
}

/// The filtered events of the caller's account (newest first, at most `MAX_EXPORT`), as JSON
/// lines in CloudTrail's event shape or as CSV.
pub async fn export_events(
    iam: &Iam,
    caller: &Caller,
    filter: &EventFilter,
    format: ExportFormat,
) -> Result<Vec<u8>, ServiceError> {
    Operation::run(iam, caller, Op::LookupEvents, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            let mut events = Vec::new();
            let mut before = None;
            while events.len() < MAX_EXPORT {
                let page = audit::page(
                    iam.store().reader(),
                    caller.account_id().as_str(),
                    filter,
                    before,
                    EXPORT_PAGE,
                )
                .await?;
                let Some(last) = page.last() else { break };
                before = Some(last.seq);
                let full = page.len() as i64 == EXPORT_PAGE;
                events.extend(page);
                if !full {
                    break;
                }
            }
            events.truncate(MAX_EXPORT);
            export::encode(&events, format)
        })
    })
    .await
}

/// The store's filter for the console's query; AWS's ValidationError for a bad value.
/// Longest text filter (an ARN's longest): a filter that is not a whole ARN or action becomes a
/// `LIKE '%…%'` scan over the account's events, whose cost grows with the pattern's length.
pub const MAX_FILTER_CHARS: usize = 2048;

pub fn filter_of(query: &AuditQuery) -> Result<EventFilter, ServiceError> {
    for (field, value) in [
        ("principal", &query.principal),
        ("action", &query.action),
        ("resource", &query.resource),
    ] {
        if value.trim().chars().count() > MAX_FILTER_CHARS {
            return Err(ServiceError::Validation(Invalid::new(
                field,
                format!("The value for {field} must be at most {MAX_FILTER_CHARS} characters."),
            )));
        }
    }
    let text = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    let time = |field: &str, value: &str| -> Result<Option<i64>, ServiceError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        parse_utc_minutes(value.trim()).map(Some).ok_or_else(|| {
            ServiceError::Validation(Invalid::new(
                field,
                format!("The value for {field} must be a date and time like 2026-11-22T10:30."),
            ))
        })
    };
    let result = match query.result.trim() {
        "" => ResultFilter::Any,
        "success" => ResultFilter::Success,
        "error" => ResultFilter::AnyError,
        code if code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            ResultFilter::Code(code.to_string())
        }
        _ => {
            return Err(ServiceError::Validation(Invalid::new(
                "result",
                "The result must be success, error or an AWS error code.",
            )))
        }
    };
    Ok(EventFilter {
        principal: text(&query.principal),
        action: text(&query.action),
        resource: text(&query.resource),
        result,
        from_millis: time("from", &query.from)?,
        to_millis: time("to", &query.to)?,
    })
}
