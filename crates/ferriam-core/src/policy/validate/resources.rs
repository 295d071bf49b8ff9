//! IAM's checks on Resource and NotResource values: AWS's format messages and
//! "legacy parsing", in the order IAM applies them (as moto reproduces IAM).

use crate::policy::document::{OneOrMany, Spanned, Statement};
use crate::policy::location::Span;

/// Checks every Resource element, then every NotResource element. Each item
/// of a list is format-checked in reverse alphabetical order and the last
/// malformed one is the one IAM reports (AWS answers `["arn:error:s3:::b",
/// "arn:error:s3::b"]` with the partition error of `arn:error:s3:::b`).
/// Until a malformed item is found, each element must also pass legacy
/// parsing. `Err` is the span of a value that failed legacy parsing; `Ok`
/// carries the format error IAM reports after its Sid/Action/Resource checks.
pub(super) fn scan(statements: &[Spanned<Statement>]) -> Result<Option<(String, Span)>, Span> {
    let mut format_error: Option<(String, Span)> = None;
    for negated in [false, true] {
        for statement in statements {
            let Some(resource) = &statement.value.resource else {
                continue;
            };
            if resource.negated != negated {
                continue;
            }
            let mut items: Vec<&Spanned<String>> = resource.items().iter().collect();
            if matches!(resource.values.value, OneOrMany::Many(_)) {
                items.sort_by(|left, right| right.value.cmp(&left.value));
            }
            for item in items {
                if let Some(message) = resource_format_error(&item.value) {
                    format_error = Some((message, item.span));
                }
            }
            if format_error.is_none() {
                if let Some(item) = resource
                    .items()
                    .iter()
                    .find(|item| !legacy_resource_ok(&item.value))
                {
                    return Err(item.span);
                }
            }
        }
    }
    Ok(format_error)
}

fn legacy_resource_ok(resource: &str) -> bool {
    if resource == "*" {
        return true;
    }
    let colons = resource.matches(':').count();
    (colons >= 5 || !resource.contains("::"))
        && resource
            .split(':')
            .nth(2)
            .is_some_and(|part| !part.is_empty())
}

const IAM_RESOURCE_PREFIXES: [&str; 13] = [
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
];

/// S3 resource types whose documented ARNs carry a Region
/// (`arn:aws:s3:us-west-2:123456789012:accesspoint/name`); bucket and object
/// ARNs may not.
const S3_REGIONAL_RESOURCE_TYPES: [&str; 6] = [
    "accesspoint/",
    "job/",
    "storage-lens/",
    "storage-lens-group/",
    "access-grants/",
    "async-request/",
];

/// AWS's message for a malformed Resource ARN, if it is malformed.
pub fn resource_format_error(resource: &str) -> Option<String> {
    if resource == "*" {
        return None;
    }
    let Some((_, after_first)) = resource.split_once(':') else {
        return Some(format!(
            "Resource {resource} must be in ARN format or \"*\"."
        ));
    };
    let (partition, rest) = match after_first.split_once(':') {
        Some((partition, rest)) => (partition, Some(rest)),
        None => (after_first, None),
    };
    if partition != "aws" && partition != "*" {
        let remaining: Vec<&str> = rest.unwrap_or("").split(':').collect();
        let part = |index: usize| remaining.get(index).copied().unwrap_or("*");
        let first = if !remaining[0].is_empty() || remaining.len() > 1 {
            remaining[0]
        } else {
            "*"
        };
        let last = if remaining.len() > 3 {
            remaining[3..].join(":")
        } else {
            "*".to_string()
        };
        return Some(format!(
            "Partition \"{partition}\" is not valid for resource \"arn:{partition}:{first}:{}:{}:{last}\".",
            part(1),
            part(2)
        ));
    }
    let Some(rest) = rest else {
        return Some(crate::policy::errors::messages::VENDOR_REGEX.to_string());
    };
    let (service, after_service) = rest.split_once(':').unwrap_or((rest, ""));
    if service.contains(['*', '?']) {
        return Some(crate::policy::errors::messages::VENDOR_REGEX.to_string());
    }
    // The part after the account: `after_service` is `region:account:resource`.
    let resource_part = after_service
        .split_once(':')
        .and_then(|(_, after_region)| after_region.split_once(':'))
        .map_or("", |(_, resource_part)| resource_part);
    if !after_service.starts_with(':') {
        match service {
            "iam" => {
                return Some(format!(
                    "IAM resource {resource} cannot contain region information."
                ))
            }
            "s3" if !S3_REGIONAL_RESOURCE_TYPES
                .iter()
                .any(|prefix| resource_part.starts_with(prefix)) =>
            {
                return Some(format!(
                    "Resource {resource} can not contain region information."
                ))
            }
            _ => {}
        }
    }
    if service == "iam"
        && resource_part != "*"
        && resource_part != "root"
        && !IAM_RESOURCE_PREFIXES
            .iter()
            .any(|prefix| resource_part.starts_with(prefix))
    {
        return Some(format!(
            "IAM resource path must either be \"*\", root, or start with {}.",
            IAM_RESOURCE_PREFIXES.join(", ")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::document::document_from_json;
    use crate::policy::json;

    fn scan_text(statements: &str) -> Result<Option<String>, Span> {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        let root = json::parse(&text).expect("json");
        let document = document_from_json(&root).expect("document");
        scan(document.statements()).map(|error| error.map(|(message, _)| message))
    }

    #[test]
    fn the_last_malformed_resource_is_reported_and_stops_legacy_parsing() {
        // AWS: ["arn:error:s3:::example_bucket", "arn:error:s3::example_bucket"]
        // is reported for "arn:error:s3:::example_bucket" (moto's recorded test).
        assert_eq!(
            scan_text(
                r#"{"Effect":"Allow","Action":"s3:*","Resource":["arn:error:s3:::b","arn:error:s3::b"]}"#
            ),
            Ok(Some(
                "Partition \"error\" is not valid for resource \"arn:error:s3:::b\".".to_string()
            ))
        );
        // Once a malformed resource is found, legacy parsing is skipped.
        assert_eq!(
            scan_text(r#"{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws::x","bad"]}"#),
            Ok(Some(
                "Resource bad must be in ARN format or \"*\".".to_string()
            ))
        );
        assert!(
            scan_text(r#"{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws::x"]}"#).is_err()
        );
        // Resource elements are checked before NotResource ones, so the
        // NotResource problem is the last found and the one reported.
        assert_eq!(
            scan_text(
                r#"{"Effect":"Allow","Action":"s3:*","NotResource":"bad1"},{"Effect":"Allow","Action":"s3:*","Resource":"bad2"}"#
            ),
            Ok(Some(
                "Resource bad1 must be in ARN format or \"*\".".to_string()
            ))
        );
    }

    const PATH_MESSAGE: &str = "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.";

    #[test]
    fn iam_paths_may_be_star_or_root_as_awss_message_says() {
        // AWS today: 'IAM resource path must either be "*", root, or start with user/, ...'.
        for ok in [
            "arn:aws:iam::123456789012:*",
            "arn:aws:iam::*:*",
            "arn:aws:iam::123456789012:root",
            "arn:aws:iam::123456789012:user/alice",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ] {
            assert_eq!(resource_format_error(ok), None, "{ok}");
        }
        for bad in [
            "arn:aws:iam::123456789012:*/cdk-*",
            "arn:aws:iam::123456789012:roots",
            "arn:aws:iam::123456789012:u*",
            "arn:aws:iam:::example_bucket",
        ] {
            assert_eq!(
                resource_format_error(bad).as_deref(),
                Some(PATH_MESSAGE),
                "{bad}"
            );
        }
    }

    #[test]
    fn s3_arns_with_a_region_are_only_the_regional_resource_types() {
        for ok in [
            "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point",
            "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point/object/*",
            "arn:aws:s3:*:111122223333:job/*",
            "arn:aws:s3:us-east-1:123456789012:storage-lens/dashboard",
        ] {
            assert_eq!(resource_format_error(ok), None, "{ok}");
        }
        assert_eq!(
            resource_format_error("arn:aws:s3:us-east-1::example_bucket").as_deref(),
            Some(
                "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."
            )
        );
        assert_eq!(
            resource_format_error("arn:aws:s3:us-east-1:123456789012:example_bucket").as_deref(),
            Some("Resource arn:aws:s3:us-east-1:123456789012:example_bucket can not contain region information.")
        );
    }
}
