//! IAM entity names and paths with AWS's constraints and AWS's ValidationError wording.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{EntityKind, Invalid};

/// AWS's ValidationError message for a parameter that breaks a length or range constraint,
/// e.g. `1 validation error detected: Value at 'userName' failed to satisfy constraint: Member
/// must have length less than or equal to 64` (current AWS no longer quotes the value).
pub fn constraint_message(parameter: &str, constraint: &str) -> String {
    format!("1 validation error detected: Value at '{parameter}' failed to satisfy constraint: Member must {constraint}")
}

/// A parameter's modelled length: `min` to `max` characters, in AWS's words.
pub fn check_length(
    field: &str,
    parameter: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), Invalid> {
    let count = value.chars().count();
    let bound = if count < min {
        format!("have length greater than or equal to {min}")
    } else if count > max {
        format!("have length less than or equal to {max}")
    } else {
        return Ok(());
    };
    Err(Invalid::new(field, constraint_message(parameter, &bound)))
}

/// IAM's own message for a name that breaks `[\w+=,.@-]+`.
pub fn name_pattern_message(parameter: &str) -> String {
    format!(
        "The specified value for {parameter} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"
    )
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '=' | ',' | '.' | '@' | '-')
}

/// Checks a name against length bounds and the name pattern. `field` names the form field,
/// `parameter` the API parameter in AWS's camelCase (for the message).
fn check_name(field: &str, parameter: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let length = value.chars().count();
    if length < 1 {
        return Err(Invalid::new(
            field,
            constraint_message(parameter, "have length greater than or equal to 1"),
        ));
    }
    if length > max {
        return Err(Invalid::new(
            field,
            constraint_message(
                parameter,
                &format!("have length less than or equal to {max}"),
            ),
        ));
    }
    if !value.chars().all(is_name_char) {
        return Err(Invalid::new(field, name_pattern_message(parameter)));
    }
    Ok(value.to_string())
}

macro_rules! entity_name {
    ($(#[$doc:meta])* $name:ident, $parameter:literal, $max:literal, $existing_max:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(String);

        impl $name {
            pub const MAX_LEN: usize = $max;

            /// A name for a new entity.
            pub fn parse(field: &str, value: &str) -> Result<Self, Invalid> {
                check_name(field, $parameter, value, $max).map(Self)
            }

            /// A name that refers to an existing entity (AWS allows longer ones here).
            pub fn parse_existing(field: &str, value: &str) -> Result<Self, Invalid> {
                check_name(field, $parameter, value, $existing_max).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The key under which names are unique: AWS compares them ignoring case.
            pub fn key(&self) -> String {
                self.0.to_ascii_lowercase()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// The name type of one kind of IAM entity, so code written once for users, groups and roles
/// parses and compares names with each kind's own limits.
pub trait EntityName: Sized + fmt::Display {
    const KIND: EntityKind;
    fn parse(field: &str, value: &str) -> Result<Self, Invalid>;
    fn parse_existing(field: &str, value: &str) -> Result<Self, Invalid>;
    fn as_str(&self) -> &str;
    fn key(&self) -> String;
}

macro_rules! entity_name_of_kind {
    ($name:ident, $kind:ident) => {
        impl EntityName for $name {
            const KIND: EntityKind = EntityKind::$kind;
            fn parse(field: &str, value: &str) -> Result<Self, Invalid> {
                $name::parse(field, value)
            }
            fn parse_existing(field: &str, value: &str) -> Result<Self, Invalid> {
                $name::parse_existing(field, value)
            }
            fn as_str(&self) -> &str {
                $name::as_str(self)
            }
            fn key(&self) -> String {
                $name::key(self)
            }
        }
    };
}

entity_name_of_kind!(UserName, User);
entity_name_of_kind!(GroupName, Group);
entity_name_of_kind!(RoleName, Role);

entity_name!(
    /// An IAM user name: 1–64 characters of `[\w+=,.@-]`.
    UserName, "userName", 64, 128
);
entity_name!(
    /// An IAM group name: 1–128 characters of `[\w+=,.@-]`.
    GroupName, "groupName", 128, 128
);
entity_name!(
    /// An IAM role name: 1–64 characters of `[\w+=,.@-]`.
    RoleName, "roleName", 64, 64
);
entity_name!(
    /// An instance profile name: 1–128 characters of `[\w+=,.@-]`.
    InstanceProfileName, "instanceProfileName", 128, 128
);
entity_name!(
    /// A managed or inline policy name: 1–128 characters of `[\w+=,.@-]`.
    PolicyName, "policyName", 128, 128
);

/// An IAM path: `/` or `/segments/` of printable ASCII, at most 512 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IamPath(String);

impl IamPath {
    pub const MAX_LEN: usize = 512;

    pub fn root() -> Self {
        Self("/".to_string())
    }

    /// A user, group or role path: `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`.
    pub fn parse(field: &str, value: &str) -> Result<Self, Invalid> {
        check_path_length(field, "path", value)?;
        let printable = value.bytes().all(|b| (0x21..=0x7e).contains(&b));
        let shaped =
            value == "/" || (value.len() >= 3 && value.starts_with('/') && value.ends_with('/'));
        if printable && shaped {
            Ok(Self(value.to_string()))
        } else {
            Err(Invalid::new(field, PATH_MESSAGE))
        }
    }

    /// A managed policy path: `((/[A-Za-z0-9\.,\+@=_-]+)*)/`.
    pub fn parse_policy_path(field: &str, value: &str) -> Result<Self, Invalid> {
        check_path_length(field, "path", value)?;
        let segment_ok = |segment: &str| {
            !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".,+@=_-".contains(c))
        };
        let ok = value == "/"
            || (value.len() >= 3
                && value.starts_with('/')
                && value.ends_with('/')
                && value[1..value.len() - 1].split('/').all(segment_ok));
        if ok {
            Ok(Self(value.to_string()))
        } else {
            Err(Invalid::new(field, PATH_MESSAGE))
        }
    }

    /// The path from an optional input: `/` when absent or blank.
    pub fn parse_or_root(field: &str, value: Option<&str>) -> Result<Self, Invalid> {
        match value.map(str::trim) {
            None | Some("") => Ok(Self::root()),
            Some(value) => Self::parse(field, value),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const PATH_MESSAGE: &str =
    "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.";

fn check_path_length(field: &str, parameter: &str, value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::new(
            field,
            constraint_message(parameter, "have length greater than or equal to 1"),
        ));
    }
    if value.len() > IamPath::MAX_LEN {
        return Err(Invalid::new(
            field,
            constraint_message(parameter, "have length less than or equal to 512"),
        ));
    }
    Ok(())
}

impl fmt::Display for IamPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `PathPrefix` filter: starts with `/`, printable ASCII, at most 512 characters.
pub fn parse_path_prefix(field: &str, value: Option<&str>) -> Result<String, Invalid> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok("/".to_string());
    };
    let ok = value.len() <= 512
        && value.starts_with('/')
        && value.bytes().all(|b| (0x21..=0x7f).contains(&b));
    if ok {
        Ok(value.to_string())
    } else {
        Err(Invalid::new(
            field,
            "The specified value for pathPrefix is invalid. It must begin with the / character and contain only alphanumeric characters and/or / characters.",
        ))
    }
}

/// Checks an `AccessKeyId` parameter: 16 to 128 characters of `[\w]+`, as AWS's model
/// constrains it, before any lookup.
pub fn check_access_key_id(value: &str) -> Result<&str, Invalid> {
    check_token(
        "AccessKeyId",
        "accessKeyId",
        value,
        16,
        128,
        r"[\w]+",
        |c| c.is_ascii_alphanumeric() || c == '_',
    )
}

/// Checks an MFA `SerialNumber` parameter: 9 to 256 characters of `[\w+=/:,.@-]+`.
pub fn check_serial_number(value: &str) -> Result<&str, Invalid> {
    check_token(
        "SerialNumber",
        "serialNumber",
        value,
        9,
        256,
        r"[\w+=/:,.@-]+",
        |c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '+' | '=' | '/' | ':' | ',' | '.' | '@' | '-')
        },
    )
}

/// A length-bounded identifier of one character class, with AWS's ValidationError wording.
fn check_token<'a>(
    field: &str,
    parameter: &str,
    value: &'a str,
    min: usize,
    max: usize,
    pattern: &str,
    allowed: impl Fn(char) -> bool,
) -> Result<&'a str, Invalid> {
    let length = value.chars().count();
    let constraint = if length < min {
        format!("have length greater than or equal to {min}")
    } else if length > max {
        format!("have length less than or equal to {max}")
    } else if !value.chars().all(allowed) {
        format!("satisfy regular expression pattern: {pattern}")
    } else {
        return Ok(value);
    };
    Err(Invalid::new(
        field,
        constraint_message(parameter, &constraint),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_key_ids_and_serial_numbers_are_checked_before_lookup() {
        assert_eq!(
            check_access_key_id("AKIAIOSFODNN7EXAMPLE"),
            Ok("AKIAIOSFODNN7EXAMPLE")
        );
        for (value, constraint) in [
            ("AKIA", "have length greater than or equal to 16"),
            (
                "' OR '1'='1 -- padding",
                r"satisfy regular expression pattern: [\w]+",
            ),
            (
                "AKIAIOSFODNN7EXAMPL\0",
                r"satisfy regular expression pattern: [\w]+",
            ),
        ] {
            assert_eq!(
                check_access_key_id(value).unwrap_err().message,
                constraint_message("accessKeyId", constraint)
            );
        }
        assert!(check_access_key_id(&"A".repeat(129)).is_err());
        assert!(check_serial_number("arn:aws:iam::123456789012:mfa/alice-mfa").is_ok());
        assert!(check_serial_number("GAHT12345678").is_ok());
        for value in [
            "short",
            "arn:aws:iam::1:mfa/' OR 1=1",
            "arn:aws:iam::1:mfa/a\0b",
        ] {
            assert!(check_serial_number(value).is_err(), "{value:?}");
        }
    }

    #[test]
    fn names_follow_the_pattern_and_length() {
        let max_user = "u".repeat(64);
        let long_user = "u".repeat(65);
        for (value, ok) in [
            ("alice", true),
            ("Alice.Smith+ops=1,x@example-2_", true),
            (max_user.as_str(), true),
            (long_user.as_str(), false),
            ("", false),
            ("a b", false),
            ("a/b", false),
            ("a*b", false),
            ("<script>", false),
            ("élodie", false),
            ("a'b", false),
        ] {
            assert_eq!(UserName::parse("name", value).is_ok(), ok, "{value:?}");
        }
        assert!(GroupName::parse("name", &"g".repeat(128)).is_ok());
        assert!(GroupName::parse("name", &"g".repeat(129)).is_err());
        assert!(RoleName::parse("name", &"r".repeat(65)).is_err());
        assert!(PolicyName::parse("name", &"p".repeat(128)).is_ok());
    }

    #[test]
    fn name_errors_use_aws_wording() {
        let error = UserName::parse("user_name", "a b").unwrap_err();
        assert_eq!(error.field, "user_name");
        assert_eq!(
            error.message,
            "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"
        );
        let long = "x".repeat(65);
        assert_eq!(
            UserName::parse("user_name", &long).unwrap_err().message,
            "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"
        );
        // Names of existing users may be up to 128 characters.
        assert!(UserName::parse_existing("user_name", &long).is_ok());
        assert!(UserName::parse_existing("user_name", &"x".repeat(129)).is_err());
    }

    #[test]
    fn name_keys_ignore_case() {
        assert_eq!(
            UserName::parse("n", "Alice").unwrap().key(),
            UserName::parse("n", "ALICE").unwrap().key()
        );
    }

    #[test]
    fn paths() {
        let long = format!("/{}/", "p".repeat(510));
        let too_long = format!("/{}/", "p".repeat(511));
        for (value, ok) in [
            ("/", true),
            ("/division/", true),
            ("/a/b/c/", true),
            (long.as_str(), true),
            (too_long.as_str(), false),
            ("", false),
            ("//", false),
            ("/a", false),
            ("a/", false),
            ("/a b/", false),
            ("/é/", false),
        ] {
            assert_eq!(IamPath::parse("path", value).is_ok(), ok, "{value:?}");
        }
        assert_eq!(IamPath::parse_or_root("path", None).unwrap().as_str(), "/");
        assert_eq!(
            IamPath::parse_or_root("path", Some(" ")).unwrap().as_str(),
            "/"
        );
    }

    #[test]
    fn policy_paths_are_stricter() {
        for (value, ok) in [
            ("/", true),
            ("/team/", true),
            ("/a/b-c/", true),
            ("/a b/", false),
            ("/a*/", false),
            ("/a", false),
            ("//", false),
        ] {
            assert_eq!(
                IamPath::parse_policy_path("path", value).is_ok(),
                ok,
                "{value:?}"
            );
        }
        assert_eq!(
            IamPath::parse("path", "/a").unwrap_err().message,
            "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."
        );
    }

    #[test]
    fn path_prefixes() {
        assert_eq!(parse_path_prefix("p", None).unwrap(), "/");
        assert_eq!(parse_path_prefix("p", Some("/eng")).unwrap(), "/eng");
        assert!(parse_path_prefix("p", Some("eng/")).is_err());
    }
}
