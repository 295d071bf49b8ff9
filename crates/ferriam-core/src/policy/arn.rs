//! ARNs as IAM matches them: six colon-separated parts
//! (`arn:partition:service:region:account:resource`), each matched separately,
//! the last one spanning any further colons and slashes.

use super::context::{Context, MissingKeys};
use super::variables::TextPattern;

/// Splits an ARN into its six parts; `None` unless it starts with `arn:` and
/// has at least five colons.
pub fn split_arn(text: &str) -> Option<[&str; 6]> {
    let rest = text.strip_prefix("arn:")?;
    let mut parts = [""; 6];
    parts[0] = "arn";
    let mut remaining = rest;
    for part in parts.iter_mut().take(5).skip(1) {
        let colon = remaining.find(':')?;
        *part = &remaining[..colon];
        remaining = &remaining[colon + 1..];
    }
    parts[5] = remaining;
    Some(parts)
}

/// A compiled ARN pattern from a `Resource` element or an ARN condition value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnPattern {
    /// A pattern that is not an ARN (such as `*`), matched as one string.
    Whole(TextPattern),
    /// The common case: the first five parts are literal (`arn:aws:iam::123456789012:`),
    /// so one prefix comparison replaces five part matches.
    // INVARIANT: `prefix` ends with the fifth colon and contains exactly five.
    Prefixed {
        prefix: Box<str>,
        resource: TextPattern,
    },
    /// Six part patterns. Parts missing from a short pattern are `*`.
    Parts(Box<[TextPattern; 6]>),
}

impl ArnPattern {
    /// `variables_in_all_parts`: ARN condition operators substitute variables
    /// anywhere; the `Resource` element only after the fifth colon.
    pub fn new(text: &str, variables: bool, variables_in_all_parts: bool) -> ArnPattern {
        if !text.starts_with("arn:") {
            return ArnPattern::Whole(TextPattern::new(text, true, variables));
        }
        // A variable's own colon (`${aws:username}`) does not separate parts
        // where variables are substituted.
        let substitute_everywhere = variables && variables_in_all_parts;
        let colons = part_colons(text, substitute_everywhere);
        if let Some(&fifth_colon) = colons.get(4) {
            let prefix = &text[..=fifth_colon];
            let has_wildcards = prefix.contains(['*', '?']);
            let has_variables = substitute_everywhere && prefix.contains("${");
            if !has_wildcards && !has_variables {
                return ArnPattern::Prefixed {
                    prefix: prefix.into(),
                    resource: TextPattern::new(&text[fifth_colon + 1..], true, variables),
                };
            }
        }
        let mut bounds = Vec::with_capacity(6);
        let mut start = 0;
        for &colon in &colons {
            bounds.push(&text[start..colon]);
            start = colon + 1;
        }
        bounds.push(&text[start..]);
        let parts: [TextPattern; 6] = std::array::from_fn(|index| {
            let part = bounds.get(index).copied().unwrap_or("*");
            let substitute = variables && (variables_in_all_parts || index == 5);
            TextPattern::new(part, true, substitute)
        });
        ArnPattern::Parts(Box::new(parts))
    }

    pub fn matches<'p>(
        &'p self,
        value: &str,
        context: &'p Context,
        missing: &mut MissingKeys<'p>,
    ) -> bool {
        match self {
            ArnPattern::Whole(pattern) => pattern.matches(value, context, missing),
            ArnPattern::Prefixed { prefix, resource } => match value.strip_prefix(&**prefix) {
                Some(rest) => resource.matches(rest, context, missing),
                None => false,
            },
            ArnPattern::Parts(parts) => match split_arn(value) {
                Some(value_parts) => parts
                    .iter()
                    .zip(value_parts)
                    .all(|(pattern, part)| pattern.matches(part, context, missing)),
                None => false,
            },
        }
    }
}

/// The byte offsets of the (at most five) colons that end an ARN pattern's
/// first five parts. With `variables`, colons inside a complete `${...}` are
/// skipped, as [`TextPattern`] reads that text as one variable.
fn part_colons(text: &str, variables: bool) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut colons = Vec::with_capacity(5);
    let mut index = 0;
    while index < bytes.len() && colons.len() < 5 {
        if variables && bytes[index..].starts_with(b"${") {
            if let Some(close) = text[index + 2..].find('}') {
                index += close + 3;
                continue;
            }
        }
        if bytes[index] == b':' {
            colons.push(index);
        }
        index += 1;
    }
    colons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, value: &str) -> bool {
        let context = Context::new();
        let mut missing = MissingKeys::default();
        ArnPattern::new(pattern, true, false).matches(value, &context, &mut missing)
    }

    #[test]
    fn splits_into_six_parts() {
        assert_eq!(
            split_arn("arn:aws:s3:::bucket/a:b"),
            Some(["arn", "aws", "s3", "", "", "bucket/a:b"])
        );
        assert_eq!(split_arn("arn:aws:s3"), None);
        assert_eq!(split_arn("*"), None);
    }

    #[test]
    fn matches_resources_part_by_part() {
        let table: &[(&str, &str, bool)] = &[
            ("*", "arn:aws:iam::123456789012:user/alice", true),
            ("*", "*", true),
            (
                "arn:aws:iam::123456789012:user/*",
                "arn:aws:iam::123456789012:user/alice",
                true,
            ),
            (
                "arn:aws:iam::123456789012:user/*",
                "arn:aws:iam::123456789012:user/div/alice",
                true,
            ),
            (
                "arn:aws:iam::123456789012:user/*",
                "arn:aws:iam::123456789012:role/alice",
                false,
            ),
            (
                "arn:aws:iam::*:user/alice",
                "arn:aws:iam::999999999999:user/alice",
                true,
            ),
            (
                "arn:aws:iam::*:user/alice",
                "arn:aws:iam::1:2:user/alice",
                false,
            ),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b/c", true),
            ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", false),
            (
                "arn:aws:iam::12345678901?:user/a",
                "arn:aws:iam::123456789012:user/a",
                true,
            ),
            ("arn:aws:s3:::*", "*", false),
            ("arn:aws:s3", "arn:aws:s3:::anything", true),
            ("arn:aws:s3", "arn:aws:sqs:::anything", false),
            (
                "arn:aws:iam::123456789012:user/*",
                "arn:aws:iam::123456789012:user",
                false,
            ),
            (
                "arn:aws:iam::123456789012:*",
                "arn:aws:iam::123456789012:",
                true,
            ),
            (
                "arn:aws:iam::123456789012:user/a",
                "arn:aws:iam::123456789012",
                false,
            ),
            (
                "arn:aws:iam::123456789012:user/a",
                "xarn:aws:iam::123456789012:user/a",
                false,
            ),
        ];
        for (pattern, value, expected) in table {
            assert_eq!(matches(pattern, value), *expected, "{pattern} ~ {value}");
        }
    }

    #[test]
    fn arn_like_differs_from_string_like() {
        // The IAM guide's example: StringLike's `*` crosses colons, ArnLike's does not.
        let pattern = "arn:aws:someservice:*:111122223333:finance/*";
        let value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!matches(pattern, value));
        let context = Context::new();
        let mut missing = MissingKeys::default();
        assert!(TextPattern::new(pattern, true, false).matches(value, &context, &mut missing));
    }

    #[test]
    fn arn_condition_variables_may_contain_colons_in_any_part() {
        // "You can use a policy variable with the ARN condition operator": the
        // variable's own colon (`${aws:PrincipalAccount}`) does not split the ARN.
        let mut context = Context::new();
        context
            .insert("aws:PrincipalAccount", "123456789012")
            .insert("k:svc", "sqs");
        let mut missing = MissingKeys::default();
        let pattern = ArnPattern::new("arn:aws:iam::${aws:PrincipalAccount}:role/*", true, true);
        assert!(pattern.matches(
            "arn:aws:iam::123456789012:role/admin",
            &context,
            &mut missing
        ));
        assert!(!pattern.matches(
            "arn:aws:iam::999999999999:role/admin",
            &context,
            &mut missing
        ));
        let service = ArnPattern::new("arn:aws:${k:svc}:*:*:*", true, true);
        assert!(service.matches(
            "arn:aws:sqs:us-east-1:123456789012:q",
            &context,
            &mut missing
        ));
        assert!(!service.matches(
            "arn:aws:sns:us-east-1:123456789012:q",
            &context,
            &mut missing
        ));
        assert!(missing.keys().next().is_none());
        // Without variables (version 2008-10-17) the text is literal.
        let literal = ArnPattern::new("arn:aws:iam::${aws:PrincipalAccount}:role/*", false, true);
        assert!(!literal.matches(
            "arn:aws:iam::123456789012:role/admin",
            &context,
            &mut missing
        ));
    }

    #[test]
    fn resource_variables_only_after_the_fifth_colon() {
        let mut context = Context::new();
        context
            .insert("aws:username", "alice")
            .insert("acct", "123456789012");
        let mut missing = MissingKeys::default();
        let pattern = ArnPattern::new("arn:aws:s3:::home/${aws:username}/*", true, false);
        assert!(pattern.matches("arn:aws:s3:::home/alice/f", &context, &mut missing));
        let literal_account = ArnPattern::new("arn:aws:iam::${acct}:user/a", true, false);
        assert!(!literal_account.matches(
            "arn:aws:iam::123456789012:user/a",
            &context,
            &mut missing
        ));
        assert!(literal_account.matches("arn:aws:iam::${acct}:user/a", &context, &mut missing));
        let condition_pattern = ArnPattern::new("arn:aws:iam::${acct}:user/a", true, true);
        assert!(condition_pattern.matches(
            "arn:aws:iam::123456789012:user/a",
            &context,
            &mut missing
        ));
    }
}
