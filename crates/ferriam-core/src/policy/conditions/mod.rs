//! The Condition element: operators compiled once, evaluated per request.
//!
//! IAM's rules, implemented in [`Condition::evaluate`]:
//! - all condition entries of a statement must be true (AND), any of an entry's
//!   values may match (OR); negated operators are true when *no* value matches;
//! - a missing key makes positive operators false and negated ones true;
//!   `...IfExists` makes any operator true for a missing key;
//! - `ForAllValues:` is true when every request value matches (and for a missing
//!   key or an empty data set: no values, or only empty strings); `ForAnyValue:`
//!   when at least one does (false when missing or empty);
//! - `Null` is true when the key's presence matches the policy's `true`/`false`.

mod binary;
mod boolean;
mod date;
mod ip;
mod numeric;
mod operator;
mod string;

use std::cmp::Ordering;

pub use boolean::parse_bool;
pub use date::{parse_date, Timestamp};
pub use ip::{parse_request_ip, IpNetwork};
pub use numeric::{parse_number, Number};
pub use operator::{BaseOperator, Operator, SetOperator};
pub use string::equal_ignoring_case;

use super::arn::ArnPattern;
use super::context::{Context, MissingKeys};
use string::{StringComparison, StringValues};

/// Whether `name` is a condition operator IAM knows (with prefix/suffix).
pub fn is_known_operator(name: &str) -> bool {
    Operator::parse(name).is_some()
}

/// One compiled condition entry: operator, key and policy values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: Operator,
    /// The key as written in the policy (lookups ignore case).
    pub key: Box<str>,
    key_lower: Box<str>,
    values: Values,
}

/// Policy values, parsed once for the operator's type. Values that do not
/// parse (`None`) never match.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    Strings(StringValues),
    Numbers(Vec<Option<Number>>),
    Dates(Vec<Option<Timestamp>>),
    Bools(Vec<Option<bool>>),
    Binary(Vec<Option<Vec<u8>>>),
    Ips(Vec<Option<IpNetwork>>),
    Arns(Vec<ArnPattern>),
    Null(Vec<Option<bool>>),
}

impl Condition {
    /// Compiles one entry. `variables`: the policy is version 2012-10-17.
    pub fn new<'t>(
        operator: Operator,
        key: &str,
        values: impl Iterator<Item = &'t str> + Clone,
        variables: bool,
    ) -> Condition {
        use BaseOperator::*;
        let variables = variables && operator.takes_variables();
        let values = match operator.base {
            StringEquals | StringNotEquals => Values::Strings(StringValues::new(
                StringComparison::Equals,
                values,
                variables,
            )),
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => Values::Strings(
                StringValues::new(StringComparison::EqualsIgnoreCase, values, variables),
            ),
            StringLike | StringNotLike => {
                Values::Strings(StringValues::new(StringComparison::Like, values, variables))
            }
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Values::Numbers(values.map(parse_number).collect()),
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Values::Dates(values.map(parse_date).collect()),
            Bool => Values::Bools(values.map(parse_bool).collect()),
            BinaryEquals => Values::Binary(values.map(binary::decode_base64).collect()),
            IpAddress | NotIpAddress => Values::Ips(values.map(IpNetwork::parse).collect()),
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Values::Arns(
                values
                    .map(|value| ArnPattern::new(value, variables, true))
                    .collect(),
            ),
            Null => Values::Null(values.map(parse_bool).collect()),
        };
        Condition {
            operator,
            key: key.into(),
            key_lower: key.to_ascii_lowercase().into(),
            values,
        }
    }

    /// Evaluates the entry against the request context.
    pub fn evaluate<'p>(&'p self, context: &'p Context, missing: &mut MissingKeys<'p>) -> bool {
        let request_values = context.get_lowercase(&self.key_lower);
        if let Values::Null(expected) = &self.values {
            let absent = request_values.is_none_or(|values| values.is_empty());
            return expected.contains(&Some(absent));
        }
        let negated = self.operator.is_negated();
        let Some(request_values) = request_values else {
            if self.operator.if_exists {
                return true;
            }
            missing.note(&self.key);
            return match self.operator.set {
                SetOperator::ForAllValues => true,
                SetOperator::ForAnyValue => false,
                SetOperator::Single => negated,
            };
        };
        // "If the key values in the request resolve to an empty data set (for
        // example, an empty string)": ForAllValues is true, ForAnyValue false.
        let empty_set = request_values.iter().all(|value| value.is_empty());
        match self.operator.set {
            SetOperator::ForAllValues if empty_set => true,
            SetOperator::ForAnyValue if empty_set => false,
            SetOperator::ForAllValues => request_values
                .iter()
                .all(|value| self.matches_value(value, context, missing) != negated),
            SetOperator::ForAnyValue => request_values
                .iter()
                .any(|value| self.matches_value(value, context, missing) != negated),
            SetOperator::Single => {
                let any_positive = request_values
                    .iter()
                    .any(|value| self.matches_value(value, context, missing));
                any_positive != negated
            }
        }
    }

    /// Whether one request value matches any policy value under the
    /// operator's positive form (StringNotEquals compares as StringEquals).
    fn matches_value<'p>(
        &'p self,
        value: &str,
        context: &'p Context,
        missing: &mut MissingKeys<'p>,
    ) -> bool {
        use BaseOperator::*;
        match &self.values {
            Values::Strings(strings) => strings.matches(value, context, missing),
            Values::Numbers(expected) => {
                let Some(actual) = parse_number(value) else {
                    return false;
                };
                expected.iter().flatten().any(|expected| {
                    compare_numbers_for(
                        self.operator.base,
                        numeric::compare_numbers(actual, *expected),
                    )
                })
            }
            Values::Dates(expected) => {
                let Some(actual) = parse_date(value) else {
                    return false;
                };
                expected.iter().flatten().any(|expected| {
                    compare_numbers_for(self.operator.base, Some(actual.cmp(expected)))
                })
            }
            Values::Bools(expected) => {
                parse_bool(value).is_some_and(|actual| expected.contains(&Some(actual)))
            }
            Values::Binary(expected) => binary::decode_base64(value)
                .is_some_and(|actual| expected.iter().flatten().any(|bytes| *bytes == actual)),
            Values::Ips(networks) => parse_request_ip(value).is_some_and(|address| {
                networks
                    .iter()
                    .flatten()
                    .any(|network| network.contains(address))
            }),
            Values::Arns(patterns) => patterns
                .iter()
                .any(|pattern| pattern.matches(value, context, missing)),
            Values::Null(_) => {
                debug_assert!(matches!(self.operator.base, Null));
                false
            }
        }
    }
}

/// Applies an ordering operator (request value compared to policy value).
fn compare_numbers_for(base: BaseOperator, ordering: Option<Ordering>) -> bool {
    use BaseOperator::*;
    let Some(ordering) = ordering else {
        return false;
    };
    match base {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => ordering.is_eq(),
        NumericLessThan | DateLessThan => ordering.is_lt(),
        NumericLessThanEquals | DateLessThanEquals => ordering.is_le(),
        NumericGreaterThan | DateGreaterThan => ordering.is_gt(),
        NumericGreaterThanEquals | DateGreaterThanEquals => ordering.is_ge(),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
