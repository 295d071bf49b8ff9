//! The parameters of one Query API request (`Action=…&UserName=…`), from the query string and
//! the form body, with AWS's list (`Name.member.N`), structure (`Name.member.N.Field`) and
//! scalar encodings.

use std::collections::BTreeMap;

use super::errors::{camel, ApiError};
use crate::domain::tags::Tag;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, String>,
    /// The first parameter given more than once, if any.
    repeated: Option<String>,
}

impl Params {
    /// Decodes `application/x-www-form-urlencoded` text (a request body).
    pub fn decode(encoded: &[u8]) -> Self {
        let mut params = Self::default();
        params.extend_from(encoded);
        params
    }

    /// A query string's parameters, decoded exactly as the signature reads them (`+` is a plus
    /// sign there, see `sigv4::canonical_query`), so the value acted on is the value signed.
    pub fn from_query(query: &str) -> Self {
        let mut params = Self::default();
        for (key, value) in super::sigv4::query_pairs(query) {
            params.insert(key, value);
        }
        params
    }

    pub fn extend_from(&mut self, encoded: &[u8]) {
        for (key, value) in form_urlencoded::parse(encoded) {
            self.insert(key.into_owned(), value.into_owned());
        }
    }

    fn insert(&mut self, key: String, value: String) {
        if self.values.contains_key(&key) && self.repeated.is_none() {
            self.repeated = Some(key.clone());
        }
        self.values.insert(key, value);
    }

    /// A parameter given more than once. SECURITY: the request is refused — a signed query
    /// string's repeats are sorted for the signature, so which one counts could be changed
    /// without breaking it.
    pub fn repeated(&self) -> Option<&str> {
        self.repeated.as_deref()
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut params = Self::default();
        for (key, value) in pairs {
            params.insert(key.into(), value.into());
        }
        params
    }

    /// Every parameter name given, in sorted order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A required string; AWS's "must not be null" when absent.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name)
            .ok_or_else(|| ApiError::missing_parameter(name))
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(text) => text.trim().parse::<i64>().map(Some).map_err(|_| {
                ApiError::validation(format!(
                    "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member must be a whole number",
                    text.chars().take(64).collect::<String>(),
                    camel(name)
                ))
            }),
        }
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(text) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(text) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(text) => Err(ApiError::validation(format!(
                "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member must be true or false",
                text.chars().take(64).collect::<String>(),
                camel(name)
            ))),
        }
    }

    /// `Name.member.1`, `Name.member.2`, … in numeric order (an empty `Name=` is an empty list).
    pub fn list(&self, name: &str) -> Vec<String> {
        let prefix = format!("{name}.member.");
        let mut items: Vec<(usize, String)> = self
            .values
            .iter()
            .filter_map(|(key, value)| {
                let index = key.strip_prefix(&prefix)?.parse::<usize>().ok()?;
                Some((index, value.clone()))
            })
            .collect();
        items.sort_by_key(|(index, _)| *index);
        items.into_iter().map(|(_, value)| value).collect()
    }

    /// The structures of a list: `Name.member.N.Field=…` as one `Params` (of `Field=…`) per N.
    pub fn members(&self, name: &str) -> Vec<Params> {
        let prefix = format!("{name}.member.");
        let mut groups: BTreeMap<usize, Params> = BTreeMap::new();
        for (key, value) in &self.values {
            let Some(rest) = key.strip_prefix(&prefix) else {
                continue;
            };
            let Some((index, field)) = rest.split_once('.') else {
                continue;
            };
            let Ok(index) = index.parse::<usize>() else {
                continue;
            };
            groups
                .entry(index)
                .or_default()
                .values
                .insert(field.to_string(), value.clone());
        }
        groups.into_values().collect()
    }

    /// `Tags.member.N.Key` / `Tags.member.N.Value`.
    pub fn tags(&self, name: &str) -> Vec<Tag> {
        self.members(name)
            .into_iter()
            .map(|member| Tag {
                key: member.get("Key").unwrap_or_default().to_string(),
                value: member.get("Value").unwrap_or_default().to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_scalars_lists_and_structures() {
        let params = Params::decode(
            b"Action=TagUser&UserName=al%2Bice&Tags.member.2.Key=b&Tags.member.1.Key=a&Tags.member.1.Value=x+y&Tags.member.2.Value=&TagKeys.member.10=k10&TagKeys.member.2=k2&MaxItems=5&OnlyAttached=true",
        );
        assert_eq!(params.get("UserName"), Some("al+ice"));
        assert_eq!(
            params.tags("Tags"),
            vec![
                Tag {
                    key: "a".into(),
                    value: "x y".into()
                },
                Tag {
                    key: "b".into(),
                    value: "".into()
                }
            ]
        );
        assert_eq!(params.list("TagKeys"), vec!["k2", "k10"]);
        assert_eq!(params.int("MaxItems").unwrap(), Some(5));
        assert_eq!(params.bool("OnlyAttached").unwrap(), Some(true));
        assert_eq!(params.bool("Missing").unwrap(), None);
        assert!(params.list("Nothing").is_empty());
    }

    #[test]
    fn bad_scalars_and_missing_parameters_are_validation_errors() {
        let params = Params::decode(b"MaxItems=ten&OnlyAttached=yes");
        assert_eq!(params.int("MaxItems").unwrap_err().code, "ValidationError");
        assert_eq!(
            params.bool("OnlyAttached").unwrap_err().code,
            "ValidationError"
        );
        assert_eq!(
            params.required("UserName").unwrap_err().message,
            "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn nested_lists_inside_structures() {
        let params = Params::decode(
            b"ContextEntries.member.1.ContextKeyName=aws%3ASourceIp&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1&ContextEntries.member.1.ContextKeyType=ip",
        );
        let entries = params.members("ContextEntries");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].get("ContextKeyName"), Some("aws:SourceIp"));
        assert_eq!(entries[0].list("ContextKeyValues"), vec!["10.0.0.1"]);
    }
}
