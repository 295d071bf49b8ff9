//! Numeric operators: NumericEquals, NumericLessThan ... compare integers
//! exactly and decimals as floating point.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Integer(i64),
    Decimal(f64),
}

/// Parses an integer or decimal (`-12`, `3.5`, `1e3`). No NaN or infinity.
pub fn parse_number(text: &str) -> Option<Number> {
    if let Ok(integer) = text.parse::<i64>() {
        return Some(Number::Integer(integer));
    }
    let plausible = !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || matches!(byte, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.bytes().any(|byte| byte.is_ascii_digit());
    if !plausible {
        return None;
    }
    text.parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
        .map(Number::Decimal)
}

pub fn compare_numbers(left: Number, right: Number) -> Option<Ordering> {
    match (left, right) {
        (Number::Integer(left), Number::Integer(right)) => Some(left.cmp(&right)),
        (left, right) => as_f64(left).partial_cmp(&as_f64(right)),
    }
}

fn as_f64(number: Number) -> f64 {
    match number {
        Number::Integer(value) => value as f64,
        Number::Decimal(value) => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_compares() {
        assert_eq!(parse_number("10"), Some(Number::Integer(10)));
        assert_eq!(parse_number("-3.5"), Some(Number::Decimal(-3.5)));
        assert_eq!(parse_number("1e3"), Some(Number::Decimal(1000.0)));
        for bad in ["", "abc", "NaN", "inf", "1.2.3", "--1", "1e999"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        let cmp = |a: &str, b: &str| compare_numbers(parse_number(a)?, parse_number(b)?);
        assert_eq!(cmp("10", "9"), Some(Ordering::Greater));
        assert_eq!(cmp("10", "10.0"), Some(Ordering::Equal));
        assert_eq!(
            cmp("9007199254740993", "9007199254740992"),
            Some(Ordering::Greater)
        );
    }
}
