//! The audit log's filters as the console page and the export URL carry them (strings, empty
//! meaning "any"), and their encoding into the export link's query string.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// A principal ARN (exact) or part of one.
    pub principal: String,
    /// An action (`iam:CreateUser`, exact) or part of one (`CreateUser`).
    pub action: String,
    /// A resource ARN (exact) or part of one.
    pub resource: String,
    /// Empty (any), `success`, `error` (any error) or an AWS error code.
    pub result: String,
    /// `YYYY-MM-DDTHH:MM` in UTC (an HTML `datetime-local` value), inclusive.
    pub from: String,
    /// `YYYY-MM-DDTHH:MM` in UTC, exclusive.
    pub to: String,
}

impl AuditQuery {
    /// The query string of the export link for `format` (`jsonl` or `csv`).
    pub fn export_href(&self, format: &str) -> String {
        let mut href = format!("/api/audit/export?format={format}");
        for (name, value) in [
            ("principal", &self.principal),
            ("action", &self.action),
            ("resource", &self.resource),
            ("result", &self.result),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.is_empty() {
                href.push_str(&format!("&{name}={}", encode(value)));
            }
        }
        href
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A `datetime-local` value (`2026-11-22T10:30`, seconds optional) in UTC as Unix milliseconds.
pub fn parse_utc_minutes(value: &str) -> Option<i64> {
    let with_seconds = if value.len() == 16 {
        format!("{value}:00")
    } else {
        value.to_string()
    };
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let time = time::PrimitiveDateTime::parse(&with_seconds, &format).ok()?;
    Some(time.assume_utc().unix_timestamp() * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_links_encode_every_filter() {
        let query = AuditQuery {
            principal: "arn:aws:iam::123456789012:user/a b".into(),
            result: "error".into(),
            ..AuditQuery::default()
        };
        assert_eq!(
            query.export_href("csv"),
            "/api/audit/export?format=csv&principal=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Fa%20b&result=error"
        );
    }

    #[test]
    fn datetime_local_values_are_utc() {
        assert_eq!(parse_utc_minutes("1970-01-01T00:01"), Some(60_000));
        assert_eq!(parse_utc_minutes("1970-01-01T00:01:30"), Some(90_000));
        assert_eq!(parse_utc_minutes("yesterday"), None);
    }
}
