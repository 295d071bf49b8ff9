//! Condition operator names: the base operators, the `ForAllValues:` /
//! `ForAnyValue:` set prefixes and the `IfExists` suffix.

/// The base operator, without set prefix or `IfExists` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const BASE_OPERATORS: [(&str, BaseOperator); 27] = [
    ("StringEquals", BaseOperator::StringEquals),
    ("StringNotEquals", BaseOperator::StringNotEquals),
    (
        "StringEqualsIgnoreCase",
        BaseOperator::StringEqualsIgnoreCase,
    ),
    (
        "StringNotEqualsIgnoreCase",
        BaseOperator::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", BaseOperator::StringLike),
    ("StringNotLike", BaseOperator::StringNotLike),
    ("NumericEquals", BaseOperator::NumericEquals),
    ("NumericNotEquals", BaseOperator::NumericNotEquals),
    ("NumericLessThan", BaseOperator::NumericLessThan),
    ("NumericLessThanEquals", BaseOperator::NumericLessThanEquals),
    ("NumericGreaterThan", BaseOperator::NumericGreaterThan),
    (
        "NumericGreaterThanEquals",
        BaseOperator::NumericGreaterThanEquals,
    ),
    ("DateEquals", BaseOperator::DateEquals),
    ("DateNotEquals", BaseOperator::DateNotEquals),
    ("DateLessThan", BaseOperator::DateLessThan),
    ("DateLessThanEquals", BaseOperator::DateLessThanEquals),
    ("DateGreaterThan", BaseOperator::DateGreaterThan),
    ("DateGreaterThanEquals", BaseOperator::DateGreaterThanEquals),
    ("Bool", BaseOperator::Bool),
    ("BinaryEquals", BaseOperator::BinaryEquals),
    ("IpAddress", BaseOperator::IpAddress),
    ("NotIpAddress", BaseOperator::NotIpAddress),
    ("ArnEquals", BaseOperator::ArnEquals),
    ("ArnLike", BaseOperator::ArnLike),
    ("ArnNotEquals", BaseOperator::ArnNotEquals),
    ("ArnNotLike", BaseOperator::ArnNotLike),
    ("Null", BaseOperator::Null),
];

/// How a condition treats a multivalued context key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOperator {
    /// No prefix: the key is treated as one value (any of its values matching counts).
    Single,
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub base: BaseOperator,
    pub set: SetOperator,
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name exactly as IAM spells it (case-sensitive).
    pub fn parse(name: &str) -> Option<Operator> {
        let (set, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (SetOperator::ForAllValues, rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (SetOperator::ForAnyValue, rest)
        } else {
            (SetOperator::Single, name)
        };
        let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base_name) => (base_name, true),
            None => (rest, false),
        };
        let base = BASE_OPERATORS
            .iter()
            .find(|(known, _)| *known == base_name)
            .map(|(_, base)| *base)?;
        Some(Operator {
            base,
            set,
            if_exists,
        })
    }

    /// Negated operators are true when no policy value matches.
    pub fn is_negated(&self) -> bool {
        matches!(
            self.base,
            BaseOperator::StringNotEquals
                | BaseOperator::StringNotEqualsIgnoreCase
                | BaseOperator::StringNotLike
                | BaseOperator::NumericNotEquals
                | BaseOperator::DateNotEquals
                | BaseOperator::NotIpAddress
                | BaseOperator::ArnNotEquals
                | BaseOperator::ArnNotLike
        )
    }

    /// Whether policy variables are substituted in this operator's values.
    pub fn takes_variables(&self) -> bool {
        matches!(
            self.base,
            BaseOperator::StringEquals
                | BaseOperator::StringNotEquals
                | BaseOperator::StringEqualsIgnoreCase
                | BaseOperator::StringNotEqualsIgnoreCase
                | BaseOperator::StringLike
                | BaseOperator::StringNotLike
                | BaseOperator::ArnEquals
                | BaseOperator::ArnLike
                | BaseOperator::ArnNotEquals
                | BaseOperator::ArnNotLike
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixes_and_suffixes() {
        let operator = Operator::parse("ForAnyValue:StringNotLikeIfExists").expect("valid");
        assert_eq!(operator.base, BaseOperator::StringNotLike);
        assert_eq!(operator.set, SetOperator::ForAnyValue);
        assert!(operator.if_exists);
        assert!(operator.is_negated());
        assert_eq!(
            Operator::parse("ForAllValues:Bool").map(|o| o.set),
            Some(SetOperator::ForAllValues)
        );
        assert!(Operator::parse("stringequals").is_none());
        assert!(Operator::parse("StringEqualsIfExistsIfExists").is_none());
        assert!(Operator::parse("ForAnyValue:ForAllValues:StringEquals").is_none());
        assert!(Operator::parse("Null").is_some_and(|o| !o.is_negated()));
    }
}
