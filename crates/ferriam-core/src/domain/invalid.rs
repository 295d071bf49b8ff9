//! The error every domain parser returns: which input field was wrong and why, in AWS's words.

use serde::{Deserialize, Serialize};

/// A rejected input value. `field` names the form field (or API parameter) so the console can
/// show the message next to it; `code` is AWS's error code when it is not `ValidationError`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub field: String,
    pub message: String,
    #[serde(default)]
    pub code: Option<String>,
}

impl Invalid {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
            code: None,
        }
    }

    /// The same error under another AWS error code (e.g. `InvalidInput`).
    pub fn with_code(mut self, code: &str) -> Self {
        self.code = Some(code.to_string());
        self
    }
}

/// How AWS opens the message of a request whose parameters break their modelled constraints.
const ONE_VIOLATION: &str = "1 validation error detected: ";

impl Invalid {
    /// One error for several rejected parameters of one request. AWS checks every modelled
    /// constraint (length, range, enum) before anything else and names all it found at once:
    /// `2 validation errors detected: Value at 'userName' …; Value at 'path' …`. IAM's own
    /// messages (a name's characters, a path's shape) come only when no constraint was broken,
    /// and then the first one.
    pub fn combine(errors: Vec<Invalid>) -> Invalid {
        let violations: Vec<(&str, &str)> = errors
            .iter()
            .flat_map(|e| {
                e.violations()
                    .into_iter()
                    .map(|clause| (e.field.as_str(), clause))
            })
            .collect();
        match violations.as_slice() {
            [] => errors.into_iter().next().unwrap_or_else(|| {
                unreachable!("Invalid::combine is called with at least one error")
            }),
            [(field, clause)] => Invalid::new(field, format!("{ONE_VIOLATION}{clause}")),
            many => Invalid::new(
                many[0].0,
                format!(
                    "{} validation errors detected: {}",
                    many.len(),
                    many.iter()
                        .map(|(_, clause)| *clause)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ),
        }
    }

    /// The broken constraints this error names (`Value at 'x' failed to satisfy …`), none when
    /// it is one of IAM's own messages or carries another code.
    fn violations(&self) -> Vec<&str> {
        if self.code.is_some() {
            return Vec::new();
        }
        if let Some(clause) = self.message.strip_prefix(ONE_VIOLATION) {
            return vec![clause];
        }
        match self.message.split_once(" validation errors detected: ") {
            Some((count, clauses)) if count.parse::<usize>().is_ok() => {
                clauses.split("; ").collect()
            }
            _ => Vec::new(),
        }
    }
}

/// The checked parameters of one request: every value, or one error naming every violated
/// constraint (see [`Invalid::combine`]). Implemented for tuples of results.
pub trait AllValid {
    type Values;
    fn all_valid(self) -> Result<Self::Values, Invalid>;
}

macro_rules! all_valid_for_tuple {
    ($($value:ident: $type:ident),+) => {
        impl<$($type),+> AllValid for ($(Result<$type, Invalid>,)+) {
            type Values = ($($type,)+);

            fn all_valid(self) -> Result<Self::Values, Invalid> {
                match self {
                    ($(Ok($value),)+) => Ok(($($value,)+)),
                    ($($value,)+) => {
                        Err(Invalid::combine([$($value.err()),+].into_iter().flatten().collect()))
                    }
                }
            }
        }
    };
}

all_valid_for_tuple!(a: A, b: B);
all_valid_for_tuple!(a: A, b: B, c: C);
all_valid_for_tuple!(a: A, b: B, c: C, d: D);
all_valid_for_tuple!(a: A, b: B, c: C, d: D, e: E);
all_valid_for_tuple!(a: A, b: B, c: C, d: D, e: E, f: F);

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(field: &str, parameter: &str) -> Invalid {
        Invalid::new(
            field,
            format!("{ONE_VIOLATION}Value at '{parameter}' failed to satisfy constraint: Member must have length less than or equal to 64"),
        )
    }

    #[test]
    fn every_broken_constraint_is_named_at_once() {
        let checked: (Result<u8, _>, Result<u8, _>, Result<u8, _>) = (
            Err(violation("UserName", "userName")),
            Ok(1),
            Err(violation("Path", "path")),
        );
        let error = checked.all_valid().unwrap_err();
        assert_eq!(error.field, "UserName");
        assert_eq!(
            error.message,
            "2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64; Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 64"
        );
    }

    #[test]
    fn a_single_violation_keeps_its_message_and_iam_messages_wait_for_the_constraints() {
        let iam_message = Invalid::new("UserName", "The specified value for userName is invalid.");
        let one: (Result<u8, _>, Result<u8, _>) =
            (Err(iam_message.clone()), Err(violation("Path", "path")));
        assert_eq!(one.all_valid().unwrap_err(), violation("Path", "path"));
        let only_iam: (Result<u8, _>, Result<u8, _>) = (Err(iam_message.clone()), Ok(2));
        assert_eq!(only_iam.all_valid().unwrap_err(), iam_message);
        let fine: (Result<u8, Invalid>, Result<&str, Invalid>) = (Ok(1), Ok("x"));
        assert_eq!(fine.all_valid().unwrap(), (1, "x"));
    }

    #[test]
    fn errors_already_combined_are_counted_clause_by_clause() {
        let two: (Result<u8, _>, Result<u8, _>) = (
            Err(violation("UserName", "userName")),
            Err(violation("Path", "path")),
        );
        let nested: (Result<u8, _>, Result<u8, _>) =
            (two.all_valid().map(|_| 0), Err(violation("Tags", "tags")));
        let message = nested.all_valid().unwrap_err().message;
        assert!(
            message.starts_with("3 validation errors detected: Value at 'userName'"),
            "{message}"
        );
        assert!(message.ends_with("; Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 64"), "{message}");
    }

    #[test]
    fn an_error_under_another_code_is_not_folded_into_the_count() {
        let other = violation("Tags", "tags").with_code("InvalidInput");
        let checked: (Result<u8, _>, Result<u8, _>) = (Err(other.clone()), Ok(1));
        assert_eq!(checked.all_valid().unwrap_err(), other);
    }
}
