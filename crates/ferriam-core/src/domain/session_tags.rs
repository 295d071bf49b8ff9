//! Session tags: the tags a role session carries besides its role's (`aws:PrincipalTag/…` for
//! its requests), and which of them are transitive — passed on to a role the session assumes
//! next. An identity provider sets them in its token's `https://aws.amazon.com/tags` claim (or
//! a SAML assertion's `PrincipalTag:` attributes). With them travels the session's source
//! identity (`aws:SourceIdentity`), which every later session of the chain keeps.

use serde::{Deserialize, Serialize};

use super::iam_names::constraint_message;
use super::tags::{check_tags, Tag, MAX_TAGS};
use super::Invalid;

/// The claim AWS reads session tags from.
pub const TAGS_CLAIM: &str = "https://aws.amazon.com/tags";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTags {
    pub tags: Vec<Tag>,
    /// Keys (as the tags spell them) that pass on through role chaining.
    #[serde(default)]
    pub transitive: Vec<String>,
    /// Who the person behind the session is, as set when it was issued (`sts:SetSourceIdentity`):
    /// `aws:SourceIdentity` for its requests, kept through role chaining, never changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
}

impl SessionTags {
    /// Whether the session carries no tags (its source identity aside).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// Whether there is nothing to keep: no tags and no source identity.
    pub fn is_blank(&self) -> bool {
        self.tags.is_empty() && self.source_identity.is_none()
    }

    /// The value of `key` (keys compare ignoring case).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|tag| tag.key.eq_ignore_ascii_case(key))
            .map(|tag| tag.value.as_str())
    }

    /// What a role assumed with this session's credentials inherits: the transitive tags, still
    /// transitive.
    pub fn inherited(&self) -> SessionTags {
        let transitive = |tag: &&Tag| {
            self.transitive
                .iter()
                .any(|key| key.eq_ignore_ascii_case(&tag.key))
        };
        let tags: Vec<Tag> = self.tags.iter().filter(transitive).cloned().collect();
        SessionTags {
            transitive: tags.iter().map(|tag| tag.key.clone()).collect(),
            tags,
            source_identity: self.source_identity.clone(),
        }
    }

    /// Reads the claim's value: `{"principal_tags": {"k": ["v"]}, "transitive_tag_keys":
    /// ["k"]}`, each tag one value, within IAM's rules for tags (50, key and value lengths and
    /// characters, keys unique ignoring case); every transitive key must be a tag's.
    pub fn from_claim(claim: &serde_json::Value) -> Result<SessionTags, Invalid> {
        let invalid = |why: &str| {
            Invalid::new(
                "WebIdentityToken",
                format!("The token's {TAGS_CLAIM} claim is invalid: {why}"),
            )
        };
        let object = claim.as_object().ok_or_else(|| invalid("not an object"))?;
        let mut tags = Vec::new();
        if let Some(principal_tags) = object.get("principal_tags") {
            let map = principal_tags
                .as_object()
                .ok_or_else(|| invalid("principal_tags is not an object"))?;
            for (key, values) in map {
                let value = match values {
                    serde_json::Value::Array(one) if one.len() == 1 => one[0].as_str(),
                    serde_json::Value::String(one) => Some(one.as_str()),
                    _ => None,
                }
                .ok_or_else(|| {
                    invalid(&format!("the tag {key} must have exactly one string value"))
                })?;
                tags.push(Tag {
                    key: key.clone(),
                    value: value.to_string(),
                });
            }
        }
        check_tags("WebIdentityToken", &tags).map_err(|e| invalid(&e.message))?;
        let mut transitive = Vec::new();
        if let Some(keys) = object.get("transitive_tag_keys") {
            for key in keys
                .as_array()
                .ok_or_else(|| invalid("transitive_tag_keys is not a list"))?
            {
                let key = key
                    .as_str()
                    .ok_or_else(|| invalid("transitive_tag_keys holds a non-string"))?;
                if !tags.iter().any(|tag| tag.key.eq_ignore_ascii_case(key)) {
                    return Err(invalid(&format!(
                        "the transitive key {key} is not one of its principal_tags"
                    )));
                }
                transitive.push(key.to_string());
            }
        }
        Ok(SessionTags {
            tags,
            transitive,
            source_identity: None,
        })
    }
}

/// STS's code for a session tag request it cannot honour.
const INVALID_PARAMETER_VALUE: &str = "InvalidParameterValue";

impl SessionTags {
    /// The tags of a role session `AssumeRole` opens for a caller holding these session tags:
    /// the inherited transitive ones, then the request's `tags` (transitive when named in
    /// `transitive_keys`), and the source identity — inherited, or set now, never changed.
    /// Errors in STS's words; keys compare ignoring case.
    pub fn for_assumed_role(
        &self,
        tags: Vec<Tag>,
        transitive_keys: Vec<String>,
        source_identity: Option<String>,
    ) -> Result<SessionTags, Invalid> {
        let invalid_value =
            |message: &str| Invalid::new("Tags", message).with_code(INVALID_PARAMETER_VALUE);
        check_tags("Tags", &tags).map_err(|error| match error.code {
            Some(_) => invalid_value(&error.message),
            None => error,
        })?;
        if transitive_keys.len() > MAX_TAGS {
            return Err(Invalid::new(
                "TransitiveTagKeys",
                constraint_message("transitiveTagKeys", "have length less than or equal to 50"),
            ));
        }
        let is_tag = |key: &str| tags.iter().any(|tag| tag.key.eq_ignore_ascii_case(key));
        if transitive_keys.iter().any(|key| !is_tag(key)) {
            return Err(invalid_value(
                "The specified transitive tag key must be included in the requested tags.",
            ));
        }
        let mut session = self.inherited();
        if tags.iter().any(|tag| session.get(&tag.key).is_some()) {
            return Err(invalid_value(
                "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
            ));
        }
        if session.tags.len() + tags.len() > MAX_TAGS {
            return Err(Invalid::new(
                "Tags",
                constraint_message("tags", "have length less than or equal to 50"),
            ));
        }
        if let Some(requested) = source_identity {
            check_source_identity("SourceIdentity", &requested)?;
            if session
                .source_identity
                .as_ref()
                .is_some_and(|kept| *kept != requested)
            {
                return Err(Invalid::new(
                    "SourceIdentity",
                    "The source identity of the calling session cannot be changed.",
                )
                .with_code(INVALID_PARAMETER_VALUE));
            }
            session.source_identity = Some(requested);
        }
        session.transitive.extend(transitive_keys);
        session.tags.extend(tags);
        Ok(session)
    }
}

/// A source identity as `sts:SetSourceIdentity` takes it: 2–64 of `[\w+=,.@-]`, not starting
/// with `aws:` (AWS reserves it).
pub fn check_source_identity(field: &str, value: &str) -> Result<(), Invalid> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    let length = value.chars().count();
    if !(2..=64).contains(&length) || !value.chars().all(allowed) {
        return Err(Invalid::new(
            field,
            "A source identity must be 2 to 64 characters: letters, digits and _+=,.@-",
        ));
    }
    if value.to_ascii_lowercase().starts_with("aws:") {
        return Err(Invalid::new(
            field,
            "A source identity may not start with aws:.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_identities_follow_sts_rules_and_survive_chaining() {
        assert!(check_source_identity("f", "alice@example.com").is_ok());
        assert!(check_source_identity("f", "a").is_err());
        assert!(check_source_identity("f", &"a".repeat(65)).is_err());
        assert!(check_source_identity("f", "has space").is_err());
        assert!(check_source_identity("f", "aws:me").is_err());
        let tags = SessionTags {
            source_identity: Some("alice".into()),
            ..SessionTags::default()
        };
        assert!(tags.is_empty() && !tags.is_blank());
        assert_eq!(tags.inherited().source_identity.as_deref(), Some("alice"));
    }
    use serde_json::json;

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn an_assumed_role_inherits_transitive_tags_and_may_not_override_them() {
        let caller = SessionTags {
            tags: vec![tag("Project", "blue"), tag("Team", "ops")],
            transitive: vec!["Project".into()],
            source_identity: Some("alice".into()),
        };
        let session = caller
            .for_assumed_role(vec![tag("Cost", "42")], vec!["cost".into()], None)
            .unwrap();
        assert_eq!(session.get("project"), Some("blue"));
        assert_eq!(session.get("team"), None, "not transitive");
        assert_eq!(session.get("Cost"), Some("42"));
        assert_eq!(session.inherited().tags.len(), 2);
        assert_eq!(session.source_identity.as_deref(), Some("alice"));

        let conflict = caller
            .for_assumed_role(vec![tag("PROJECT", "red")], vec![], None)
            .unwrap_err();
        assert_eq!(conflict.code.as_deref(), Some("InvalidParameterValue"));
        assert!(conflict
            .message
            .contains("conflicts with a transitive tag key"));
        // A non-transitive tag of the caller's may be set again.
        assert!(caller
            .for_assumed_role(vec![tag("Team", "dev")], vec![], None)
            .is_ok());
    }

    #[test]
    fn assume_role_tags_follow_sts_rules() {
        let none = SessionTags::default();
        let not_a_tag = none
            .for_assumed_role(vec![tag("a", "1")], vec!["b".into()], None)
            .unwrap_err();
        assert_eq!(
            not_a_tag.message,
            "The specified transitive tag key must be included in the requested tags."
        );
        let duplicate = none
            .for_assumed_role(vec![tag("a", "1"), tag("A", "2")], vec![], None)
            .unwrap_err();
        assert_eq!(duplicate.code.as_deref(), Some("InvalidParameterValue"));
        let many = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
        assert!(none.for_assumed_role(many, vec![], None).is_err());
        let with_identity = none
            .for_assumed_role(vec![], vec![], Some("bob".into()))
            .unwrap();
        assert_eq!(with_identity.source_identity.as_deref(), Some("bob"));
        assert!(with_identity
            .for_assumed_role(vec![], vec![], Some("bob".into()))
            .is_ok());
        let changed = with_identity
            .for_assumed_role(vec![], vec![], Some("eve".into()))
            .unwrap_err();
        assert_eq!(changed.field, "SourceIdentity");
        assert!(none
            .for_assumed_role(vec![], vec![], Some("aws:x".into()))
            .is_err());
    }

    #[test]
    fn the_claim_reads_as_aws_documents_it() {
        let tags = SessionTags::from_claim(&json!({
            "principal_tags": {"Project": ["Automation"], "CostCenter": ["12345"]},
            "transitive_tag_keys": ["Project"]
        }))
        .unwrap();
        assert_eq!(tags.get("project"), Some("Automation"));
        assert_eq!(tags.get("CostCenter"), Some("12345"));
        let inherited = tags.inherited();
        assert_eq!(inherited.tags.len(), 1);
        assert_eq!(inherited.transitive, vec!["Project"]);
    }

    #[test]
    fn a_bad_claim_is_refused() {
        for bad in [
            json!("x"),
            json!({"principal_tags": {"a": ["1", "2"]}}),
            json!({"principal_tags": {"a": [1]}}),
            json!({"principal_tags": {"aws:x": ["1"]}}),
            json!({"principal_tags": {"a": ["1"]}, "transitive_tag_keys": ["b"]}),
        ] {
            assert!(SessionTags::from_claim(&bad).is_err(), "{bad}");
        }
        let many: serde_json::Map<String, serde_json::Value> =
            (0..51).map(|i| (format!("k{i}"), json!(["v"]))).collect();
        assert!(SessionTags::from_claim(&json!({"principal_tags": many})).is_err());
    }
}
