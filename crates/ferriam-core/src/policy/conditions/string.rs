//! String operators: StringEquals, StringEqualsIgnoreCase and StringLike (and
//! their negations, which `conditions::Condition` derives).

use crate::policy::context::{Context, MissingKeys};
use crate::policy::variables::TextPattern;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringComparison {
    /// Case-sensitive equality; `*` and `?` are literal.
    Equals,
    /// Equality ignoring case.
    EqualsIgnoreCase,
    /// Case-sensitive with `*` and `?` wildcards.
    Like,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringValues {
    pub comparison: StringComparison,
    pub patterns: Vec<TextPattern>,
}

impl StringValues {
    pub fn new<'t>(
        comparison: StringComparison,
        values: impl Iterator<Item = &'t str>,
        variables: bool,
    ) -> Self {
        let wildcards = comparison == StringComparison::Like;
        StringValues {
            comparison,
            patterns: values
                .map(|value| TextPattern::new(value, wildcards, variables))
                .collect(),
        }
    }

    /// Whether `value` matches any of the policy values.
    pub fn matches<'p>(
        &'p self,
        value: &str,
        context: &'p Context,
        missing: &mut MissingKeys<'p>,
    ) -> bool {
        self.patterns.iter().any(|pattern| match self.comparison {
            StringComparison::Equals | StringComparison::Like => {
                pattern.matches(value, context, missing)
            }
            StringComparison::EqualsIgnoreCase => pattern
                .resolve_text(context, missing)
                .is_some_and(|expected| equal_ignoring_case(&expected, value)),
        })
    }
}

/// Case-insensitive equality (full Unicode lowercase), without allocating.
pub fn equal_ignoring_case(left: &str, right: &str) -> bool {
    if left.is_ascii() && right.is_ascii() {
        return left.eq_ignore_ascii_case(right);
    }
    left.chars()
        .flat_map(char::to_lowercase)
        .eq(right.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(comparison: StringComparison, policy: &[&str], value: &str) -> bool {
        let values = StringValues::new(comparison, policy.iter().copied(), true);
        let context = Context::new();
        let mut missing = MissingKeys::default();
        values.matches(value, &context, &mut missing)
    }

    #[test]
    fn compares_like_iam() {
        use StringComparison::*;
        let table: &[(StringComparison, &[&str], &str, bool)] = &[
            (Equals, &["alice"], "alice", true),
            (Equals, &["alice"], "Alice", false),
            (Equals, &["a*"], "abc", false),
            (Equals, &["a*"], "a*", true),
            (Equals, &["x", "alice"], "alice", true),
            (EqualsIgnoreCase, &["ALICE"], "alice", true),
            (EqualsIgnoreCase, &["ÉCOLE"], "école", true),
            (EqualsIgnoreCase, &["alice"], "alicia", false),
            (Like, &["home/*"], "home/alice/x", true),
            (Like, &["home/*"], "Home/alice", false),
            (Like, &["?ob"], "bob", true),
            (Like, &[""], "", true),
        ];
        for (comparison, policy, value, expected) in table {
            assert_eq!(
                check(*comparison, policy, value),
                *expected,
                "{comparison:?} {policy:?} {value}"
            );
        }
    }
}
