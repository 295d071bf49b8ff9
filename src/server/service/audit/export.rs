//! Audit events in CloudTrail's shape: JSON lines (one event object per line) and CSV.
// SECURITY: names may hold newlines and control characters. JSON escapes them and the CSV
// writer quotes them, so one stored event is always exactly one exported record; cells that a
// spreadsheet would run as a formula get a leading apostrophe. The internal `reason` is never
// exported.

use serde_json::{json, Map, Value};

use crate::server::store::audit::StoredEvent;

use crate::server::service::audit::signin_events::CONSOLE_LOGIN;
use crate::server::service::audit::SUCCESS;
use crate::server::service::ServiceError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    JsonLines,
    Csv,
}

impl ExportFormat {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "jsonl" => Some(Self::JsonLines),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::JsonLines => "application/x-ndjson",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::JsonLines => "jsonl",
            Self::Csv => "csv",
        }
    }
}

pub fn encode(events: &[StoredEvent], format: ExportFormat) -> Result<Vec<u8>, ServiceError> {
    match format {
        ExportFormat::JsonLines => {
            let mut out = Vec::new();
            for event in events {
                serde_json::to_writer(&mut out, &cloudtrail_event(event))
                    .map_err(|e| ServiceError::internal_from("export", e))?;
                out.push(b'\n');
            }
            Ok(out)
        }
        ExportFormat::Csv => csv(events),
    }
}

const CSV_HEADER: [&str; 14] = [
    "eventTime",
    "eventSource",
    "eventName",
    "userIdentityType",
    "principalArn",
    "accountId",
    "accessKeyId",
    "resourceArn",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestID",
    "eventID",
];

fn csv(events: &[StoredEvent]) -> Result<Vec<u8>, ServiceError> {
    let failed = |e: csv::Error| ServiceError::internal_from("export", e);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER).map_err(failed)?;
    for event in events {
        let row = &event.row;
        let (source, name) = source_and_name(&row.action);
        let error = (row.result != SUCCESS).then_some(row.result.as_str());
        let record = [
            event_time(row.event_time),
            source.to_string(),
            name.to_string(),
            identity_type(&row.principal_arn).to_string(),
            row.principal_arn.clone(),
            row.account_id.clone(),
            row.access_key_id.clone().unwrap_or_default(),
            row.resource_arn.clone(),
            row.source_ip.clone().unwrap_or_default(),
            row.user_agent.clone().unwrap_or_default(),
            error.unwrap_or_default().to_string(),
            row.error_message.clone().unwrap_or_default(),
            row.request_id.clone(),
            event_id(event),
        ];
        writer
            .write_record(record.iter().map(|cell| defuse_formula(cell)))
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| ServiceError::internal_from("export", e.into_error()))
}

/// A cell a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`.
fn defuse_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// One event as CloudTrail writes it.
pub fn cloudtrail_event(event: &StoredEvent) -> Value {
    let row = &event.row;
    let (source, name) = source_and_name(&row.action);
    let sign_in = row.action.starts_with("signin:");
    let mut out = Map::new();
    out.insert("eventVersion".into(), json!("1.08"));
    out.insert("userIdentity".into(), user_identity(event));
    out.insert("eventTime".into(), json!(event_time(row.event_time)));
    out.insert("eventSource".into(), json!(source));
    out.insert("eventName".into(), json!(name));
    out.insert("awsRegion".into(), json!("us-east-1"));
    out.insert("sourceIPAddress".into(), json!(row.source_ip));
    out.insert("userAgent".into(), json!(row.user_agent));
    if row.result != SUCCESS {
        out.insert("errorCode".into(), json!(row.result));
        if let Some(message) = &row.error_message {
            out.insert("errorMessage".into(), json!(message));
        }
    }
    out.insert(
        "requestParameters".into(),
        request_parameters(&row.resource_arn),
    );
    let response = if row.action == CONSOLE_LOGIN {
        let outcome = if row.result == SUCCESS {
            "Success"
        } else {
            "Failure"
        };
        json!({ "ConsoleLogin": outcome })
    } else {
        Value::Null
    };
    out.insert("responseElements".into(), response);
    if let Some(details) = row
        .details
        .as_deref()
        .and_then(|d| serde_json::from_str::<Value>(d).ok())
    {
        out.insert("additionalEventData".into(), details);
    }
    out.insert("requestID".into(), json!(row.request_id));
    out.insert("eventID".into(), json!(event_id(event)));
    out.insert("readOnly".into(), json!(read_only(name)));
    if row.resource_arn != "*" && row.resource_arn.starts_with("arn:") {
        out.insert(
            "resources".into(),
            json!([{ "ARN": row.resource_arn, "accountId": row.account_id }]),
        );
    }
    let event_type = if sign_in {
        "AwsConsoleSignIn"
    } else {
        "AwsApiCall"
    };
    out.insert("eventType".into(), json!(event_type));
    out.insert("managementEvent".into(), json!(true));
    out.insert("recipientAccountId".into(), json!(row.account_id));
    out.insert("eventCategory".into(), json!("Management"));
    Value::Object(out)
}

fn user_identity(event: &StoredEvent) -> Value {
    let row = &event.row;
    let mut identity = Map::new();
    identity.insert("type".into(), json!(identity_type(&row.principal_arn)));
    if let Some(id) = &row.principal_id {
        identity.insert("principalId".into(), json!(id));
    }
    identity.insert("arn".into(), json!(row.principal_arn));
    identity.insert("accountId".into(), json!(row.account_id));
    if let Some(key) = &row.access_key_id {
        identity.insert("accessKeyId".into(), json!(key));
    }
    if identity_type(&row.principal_arn) == "IAMUser" {
        let name = row.principal_arn.rsplit('/').next().unwrap_or_default();
        identity.insert("userName".into(), json!(name));
    }
    Value::Object(identity)
}

fn identity_type(principal_arn: &str) -> &'static str {
    let resource = principal_arn.splitn(6, ':').nth(5).unwrap_or_default();
    if resource == "root" {
        "Root"
    } else if resource.starts_with("user/") {
        "IAMUser"
    } else if resource.starts_with("assumed-role/") {
        "AssumedRole"
    } else {
        "Unknown"
    }
}

/// `iam:CreateUser` → (`iam.amazonaws.com`, `CreateUser`).
fn source_and_name(action: &str) -> (String, &str) {
    match action.split_once(':') {
        Some((service, name)) => (format!("{service}.amazonaws.com"), name),
        None => (String::new(), action),
    }
}

fn read_only(name: &str) -> bool {
    ["Get", "List", "Simulate", "Generate", "Lookup", "Describe"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// The resource's name under the parameter name AWS's request uses for it.
fn request_parameters(resource_arn: &str) -> Value {
    let Some(resource) = resource_arn.splitn(6, ':').nth(5) else {
        return Value::Null;
    };
    let last = resource.rsplit('/').next().unwrap_or_default();
    let (kind, _) = resource.split_once('/').unwrap_or((resource, ""));
    match kind {
        "user" => json!({ "userName": last }),
        "group" => json!({ "groupName": last }),
        "role" => json!({ "roleName": last }),
        "policy" => json!({ "policyArn": resource_arn }),
        "mfa" => json!({ "serialNumber": resource_arn }),
        _ => Value::Null,
    }
}

/// RFC 3339 in UTC at second precision, as CloudTrail writes it.
pub fn event_time(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(&time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// A stable UUID-shaped ID taken from the record's chain hash.
pub fn event_id(event: &StoredEvent) -> String {
    let hash = event.hash.as_deref().unwrap_or_default();
    if hash.len() < 32 {
        return format!("seq-{}", event.seq);
    }
    format!(
        "{}-{}-{}-{}-{}",
        &hash[0..8],
        &hash[8..12],
        &hash[12..16],
        &hash[16..20],
        &hash[20..32]
    )
}
