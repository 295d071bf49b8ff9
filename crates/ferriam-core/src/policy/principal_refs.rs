//! The `AWS` principals a trust or resource policy names, and the policy text with some of them
//! swapped for other names: IAM stores a user or role named in `Principal` by its unique ID and
//! shows it by its current ARN (or by the ID once it is deleted).

use super::document::{document_from_json, Principal};
use super::json;

/// The `AWS` values of every `Principal` and `NotPrincipal` element, in document order; none when
/// the text is not a policy document.
pub fn aws_principals(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    rewrite_aws_principals(text, |value| {
        values.push(value.to_string());
        None
    });
    values
}

/// `text` with each `AWS` principal value for which `replace` returns a new value rewritten to
/// it; every other byte is kept as it was. Text that is not a policy document comes back as is.
pub fn rewrite_aws_principals(
    text: &str,
    mut replace: impl FnMut(&str) -> Option<String>,
) -> String {
    let Some(document) = json::parse(text)
        .ok()
        .and_then(|root| document_from_json(&root).ok())
    else {
        return text.to_string();
    };
    let mut edits = Vec::new();
    for statement in document.statements() {
        let Some(element) = &statement.value.principal else {
            continue;
        };
        let Principal::Map(entries) = &element.value.value else {
            continue;
        };
        for entry in entries.iter().filter(|e| e.principal_type.value == "AWS") {
            for value in entry.values.value.as_slice() {
                if let Some(new) = replace(&value.value) {
                    edits.push((value.span, new));
                }
            }
        }
    }
    edits.sort_by_key(|(span, _)| span.start);
    let mut rewritten = String::with_capacity(text.len());
    let mut at = 0;
    for (span, new) in edits {
        rewritten.push_str(&text[at..span.start]);
        rewritten.push_str(&serde_json::Value::String(new).to_string());
        at = span.end;
    }
    rewritten.push_str(&text[at..]);
    rewritten
}

/// `text` with each `AWS` principal value found as the first of a pair rewritten to the second.
pub fn replace_aws_principals(text: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return text.to_string();
    }
    rewrite_aws_principals(text, |value| {
        pairs
            .iter()
            .find(|(old, _)| old == value)
            .map(|(_, new)| new.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:user/alice", "123456789012"]}, "Action": "sts:AssumeRole"},
    {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/R", "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
  ]
}"#;

    #[test]
    fn lists_the_aws_principals_of_principal_and_not_principal() {
        assert_eq!(
            aws_principals(TRUST),
            [
                "arn:aws:iam::123456789012:user/alice",
                "123456789012",
                "arn:aws:iam::123456789012:role/R"
            ]
        );
        assert!(aws_principals("not json").is_empty());
    }

    #[test]
    fn rewrites_only_the_chosen_values_and_keeps_every_other_byte() {
        let rewritten = rewrite_aws_principals(TRUST, |value| match value {
            "arn:aws:iam::123456789012:user/alice" => Some("AIDAAAAAAAAAAAAAAAAAA".into()),
            "arn:aws:iam::123456789012:role/R" => Some("AROABBBBBBBBBBBBBBBBB".into()),
            _ => None,
        });
        assert_eq!(
            rewritten,
            TRUST
                .replace(
                    "\"arn:aws:iam::123456789012:user/alice\"",
                    "\"AIDAAAAAAAAAAAAAAAAAA\""
                )
                .replace(
                    "\"arn:aws:iam::123456789012:role/R\"",
                    "\"AROABBBBBBBBBBBBBBBBB\""
                )
        );
    }

    #[test]
    fn an_escaped_value_is_read_and_rewritten_whole() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user\/alice"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(
            aws_principals(text),
            ["arn:aws:iam::123456789012:user/alice"]
        );
        let rewritten = rewrite_aws_principals(text, |_| Some("AIDAAAAAAAAAAAAAAAAAA".into()));
        assert!(
            rewritten.contains(r#"{"AWS":"AIDAAAAAAAAAAAAAAAAAA"}"#),
            "{rewritten}"
        );
    }
}
