//! Server function behind the Audit log page. Authorized as `cloudtrail:LookupEvents` by the
//! service layer; only the caller's account's events come back.

use crate::console_protocol::FormArguments;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::domain::audit_query::AuditQuery;

/// How many events one page shows.
pub const PAGE_SIZE: i64 = 50;

/// One event as the table shows it (never the internal sign-in reason).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEventView {
    pub seq: i64,
    pub event_time: i64,
    pub principal_arn: String,
    pub access_key_id: Option<String>,
    pub action: String,
    pub resource_arn: String,
    pub result: String,
    pub error_message: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    /// The cursor of the next (older) page, when there is one.
    pub next_before: Option<i64>,
}

#[server(endpoint = "audit/events", protocol = FormArguments)]
pub async fn list_audit_events(
    query: AuditQuery,
    before: Option<i64>,
) -> Result<AuditPage, ApiError> {
    use crate::server::console;
    use crate::server::service::audit::lookup;
    let (iam, caller) = console::signed_in().await?;
    let filter = lookup::filter_of(&query).map_err(console::fail)?;
    let events = lookup::lookup_events(&iam, &caller, &filter, before, PAGE_SIZE + 1)
        .await
        .map_err(console::fail)?;
    Ok(page_of(events))
}

/// Fetching one more than a page tells whether an older page exists.
#[cfg(feature = "ssr")]
fn page_of(mut events: Vec<crate::server::service::audit::lookup::AuditEvent>) -> AuditPage {
    let more = events.len() as i64 > PAGE_SIZE;
    events.truncate(PAGE_SIZE as usize);
    let next_before = more.then(|| events.last().map(|e| e.seq)).flatten();
    let events = events
        .into_iter()
        .map(|event| AuditEventView {
            seq: event.seq,
            event_time: event.event_time,
            principal_arn: event.principal_arn,
            access_key_id: event.access_key_id,
            action: event.action,
            resource_arn: event.resource_arn,
            result: event.result,
            error_message: event.error_message,
            source_ip: event.source_ip,
            user_agent: event.user_agent,
            request_id: event.request_id,
        })
        .collect();
    AuditPage {
        events,
        next_before,
    }
}
