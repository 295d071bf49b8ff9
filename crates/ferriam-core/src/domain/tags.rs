//! Tags on IAM users and roles, with AWS's rules: at most 50; keys 1–128 and values 0–256
//! characters of letters, digits, spaces and `_.:/=+-@`; keys unique ignoring case; the `aws:`
//! prefix reserved.

use serde::{Deserialize, Serialize};

use super::iam_names::constraint_message;
use super::Invalid;

pub const MAX_TAGS: usize = 50;
const KEY_PATTERN: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
const VALUE_PATTERN: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

fn is_tag_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || c.is_whitespace()
        || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

/// Checks one tag key; `parameter` is where AWS says it was (`tags.1.member.key`, `tagKeys`).
pub fn check_tag_key(field: &str, parameter: &str, key: &str) -> Result<(), Invalid> {
    let length = key.chars().count();
    if length < 1 {
        return Err(Invalid::new(
            field,
            constraint_message(parameter, "have length greater than or equal to 1"),
        ));
    }
    if length > 128 {
        return Err(Invalid::new(
            field,
            constraint_message(parameter, "have length less than or equal to 128"),
        ));
    }
    if !key.chars().all(is_tag_char) {
        return Err(Invalid::new(
            field,
            constraint_message(
                parameter,
                &format!("satisfy regular expression pattern: {KEY_PATTERN}"),
            ),
        ));
    }
    if key.to_lowercase().starts_with("aws:") {
        return Err(Invalid::new(
            field,
            "Tag keys starting with 'aws:' are reserved for AWS use.",
        )
        .with_code("InvalidInput"));
    }
    Ok(())
}

fn check_tag_value(field: &str, parameter: &str, value: &str) -> Result<(), Invalid> {
    if value.chars().count() > 256 {
        return Err(Invalid::new(
            field,
            constraint_message(parameter, "have length less than or equal to 256"),
        ));
    }
    if !value.chars().all(is_tag_char) {
        return Err(Invalid::new(
            field,
            constraint_message(
                parameter,
                &format!("satisfy regular expression pattern: {VALUE_PATTERN}"),
            ),
        ));
    }
    Ok(())
}

/// Validates the tags of one request: each tag, and no two keys equal ignoring case.
pub fn check_tags(field: &str, tags: &[Tag]) -> Result<(), Invalid> {
    if tags.len() > MAX_TAGS {
        return Err(Invalid::new(
            field,
            constraint_message("tags", "have length less than or equal to 50"),
        ));
    }
    let mut keys: Vec<String> = Vec::with_capacity(tags.len());
    for (index, tag) in tags.iter().enumerate() {
        check_tag_key(field, &format!("tags.{}.member.key", index + 1), &tag.key)?;
        check_tag_value(
            field,
            &format!("tags.{}.member.value", index + 1),
            &tag.value,
        )?;
        let key = tag.key.to_lowercase();
        if keys.contains(&key) {
            return Err(Invalid::new(
                field,
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            )
            .with_code("InvalidInput"));
        }
        keys.push(key);
    }
    Ok(())
}

/// Validates the keys of an untag request.
pub fn check_tag_keys(field: &str, keys: &[String]) -> Result<(), Invalid> {
    if keys.len() > MAX_TAGS {
        return Err(Invalid::new(
            field,
            constraint_message("tagKeys", "have length less than or equal to 50"),
        ));
    }
    for key in keys {
        let length = key.chars().count();
        if !(1..=128).contains(&length) || !key.chars().all(is_tag_char) {
            // AWS names every constraint of a bad list member at once.
            return Err(Invalid::new(
                field,
                constraint_message(
                    "tagKeys",
                    &format!("satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: {KEY_PATTERN}, Member must not be null]"),
                ),
            ));
        }
        check_tag_key(field, "tagKeys", key)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn tag_rules() {
        assert!(check_tags(
            "tags",
            &[
                tag("team", "blue"),
                tag("cost-center", ""),
                tag("a b:c/d=e+f-g@h_i.j", "ü 1")
            ]
        )
        .is_ok());
        for bad in [
            vec![tag("", "x")],
            vec![tag(&"k".repeat(129), "x")],
            vec![tag("k", &"v".repeat(257))],
            vec![tag("k<", "x")],
            vec![tag("k", "v;")],
            vec![tag("aws:team", "x")],
            vec![tag("AWS:team", "x")],
            vec![tag("Team", "a"), tag("team", "b")],
        ] {
            assert!(check_tags("tags", &bad).is_err(), "{bad:?}");
        }
        let fifty: Vec<Tag> = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect();
        assert!(check_tags("tags", &fifty).is_ok());
        let fifty_one: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
        assert!(check_tags("tags", &fifty_one).is_err());
    }

    #[test]
    fn messages_are_aws_s() {
        let duplicate = check_tags("tags", &[tag("Team", "a"), tag("TEAM", "b")]).unwrap_err();
        assert_eq!(
            duplicate.message,
            "Duplicate tag keys found. Please note that Tag keys are case insensitive."
        );
        assert_eq!(duplicate.code.as_deref(), Some("InvalidInput"));
        let long = check_tags("tags", &[tag("ok", "v"), tag(&"k".repeat(129), "v")]).unwrap_err();
        assert_eq!(
            long.message,
            "1 validation error detected: Value at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"
        );
        assert_eq!(long.code, None);
        assert!(check_tag_keys("keys", &["team".into()]).is_ok());
        assert!(check_tag_keys("keys", &["".into()]).is_err());
    }
}
