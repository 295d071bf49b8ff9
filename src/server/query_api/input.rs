//! What each operation takes from a request: the input members it declares (those it reads and
//! honours, and those of AWS's input shape it refuses as unsupported), the check that refuses
//! every other parameter before the operation runs, and the view of the parameters a handler
//! gets, which shows it only the members it declared.
//!
//! SECURITY: a parameter is never accepted and ignored. A caller who narrows a request (a
//! session policy, a condition, a filter) and is silently not heard gets more than it asked
//! for; so an undeclared parameter is refused, and a handler cannot read one it did not declare.

use std::collections::BTreeSet;
use std::sync::Mutex;

use super::errors::ApiError;
use super::params::Params;
use crate::domain::tags::Tag;

/// One operation's declared input members (top-level names: `Tags` stands for every
/// `Tags.member.N.Key`/`Value`).
#[derive(Debug)]
pub struct Members {
    pub op: crate::catalog::Op,
    /// Members the handler reads and honours.
    pub reads: &'static [&'static str],
    /// Members of AWS's input shape that Ferriam does not support: refused, never ignored.
    pub refuses: &'static [&'static str],
}

/// Parameters of the protocol rather than of any operation: the action, the API version and
/// SigV4's presigned-URL parameters (`X-Amz-Algorithm`, `X-Amz-Credential`, …).
pub fn is_protocol_parameter(name: &str) -> bool {
    name == "Action" || name == "Version" || name.starts_with("X-Amz-")
}

/// The top-level member a parameter encodes: `Tags.member.1.Key` → `Tags`.
pub fn member_of(key: &str) -> &str {
    key.split('.').next().unwrap_or(key)
}

fn shown(name: &str) -> String {
    name.chars().take(128).collect()
}

impl Members {
    /// Refuses the request if it carries a parameter that is not the protocol's and not a member
    /// this operation reads: a known-but-unsupported member with "not supported", anything else
    /// with "not recognized". Runs before the operation, so a refused request changes nothing.
    pub fn check(&self, params: &Params) -> Result<(), ApiError> {
        for key in params.names() {
            if is_protocol_parameter(key) {
                continue;
            }
            let member = member_of(key);
            if self.reads.contains(&member) {
                continue;
            }
            if self.refuses.contains(&member) {
                return Err(ApiError::validation(format!(
                    "The parameter {member} of {} is not supported by this service.",
                    self.op.name()
                )));
            }
            return Err(ApiError::validation(format!(
                "The parameter {} is not recognized by {}.",
                shown(member),
                self.op.name()
            )));
        }
        Ok(())
    }
}

/// A handler's view of its request: only the members its declaration reads can be read.
/// INVARIANT: reading an undeclared member is a bug in the handler or its declaration; debug
/// builds (every test) panic on it, release builds see the member as absent, so "declared"
/// always covers what is read.
pub struct Input<'a> {
    params: &'a Params,
    members: &'static Members,
    /// The members read so far, for the debug check that a successful operation read every
    /// member it was given (`unread_members`).
    read: Mutex<BTreeSet<&'static str>>,
}

impl<'a> Input<'a> {
    pub fn new(params: &'a Params, members: &'static Members) -> Self {
        Self {
            params,
            members,
            read: Mutex::new(BTreeSet::new()),
        }
    }

    pub fn action(&self) -> &'static str {
        self.members.op.name()
    }

    /// The parameters, if `name` is a declared member (and records that it was read).
    fn source(&self, name: &str) -> Option<&'a Params> {
        let Some(member) = self.members.reads.iter().find(|m| **m == name) else {
            debug_assert!(
                false,
                "{} reads the parameter {name}, which its declaration in dispatch.rs does not list",
                self.members.op.name()
            );
            return None;
        };
        self.read
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(*member);
        Some(self.params)
    }

    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.source(name).and_then(|params| params.get(name))
    }

    /// A required string; AWS's "must not be null" when absent.
    pub fn required(&self, name: &str) -> Result<&'a str, ApiError> {
        self.get(name)
            .ok_or_else(|| ApiError::missing_parameter(name))
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.source(name) {
            Some(params) => params.int(name),
            None => Ok(None),
        }
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.source(name) {
            Some(params) => params.bool(name),
            None => Ok(None),
        }
    }

    /// `Name.member.N` in order.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.source(name)
            .map(|params| params.list(name))
            .unwrap_or_default()
    }

    /// The structures of a list member, one `Params` of its fields each.
    pub fn members(&self, name: &str) -> Vec<Params> {
        self.source(name)
            .map(|params| params.members(name))
            .unwrap_or_default()
    }

    pub fn tags(&self, name: &str) -> Vec<Tag> {
        self.source(name)
            .map(|params| params.tags(name))
            .unwrap_or_default()
    }

    /// Members the request gave that the handler never read. After a successful operation
    /// this must be empty: a member given, declared and not read would be accepted and
    /// ignored (checked in debug builds by the dispatcher).
    pub fn unread_members(&self) -> Vec<String> {
        let read = self
            .read
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let unread: BTreeSet<String> = self
            .params
            .names()
            .filter(|key| !is_protocol_parameter(key))
            .map(member_of)
            .filter(|member| !read.iter().any(|read| read == member))
            .map(str::to_string)
            .collect();
        unread.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TAG_USER: Members = Members {
        op: crate::catalog::Op::TagUser,
        reads: &["UserName", "Tags"],
        refuses: &["Color"],
    };

    #[test]
    fn only_declared_members_and_protocol_parameters_pass() {
        let ok = Params::from_pairs([
            ("Action", "TagUser"),
            ("Version", "2010-05-08"),
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("UserName", "alice"),
            ("Tags.member.1.Key", "k"),
            ("Tags.member.1.Value", "v"),
        ]);
        assert!(TAG_USER.check(&ok).is_ok());

        let unknown = Params::from_pairs([("UserName", "alice"), ("Username", "bob")]);
        let error = TAG_USER.check(&unknown).unwrap_err();
        assert_eq!(error.code, "ValidationError");
        assert_eq!(
            error.message,
            "The parameter Username is not recognized by TagUser."
        );

        let refused = Params::from_pairs([("UserName", "alice"), ("Color.member.1", "red")]);
        let error = TAG_USER.check(&refused).unwrap_err();
        assert_eq!(error.code, "ValidationError");
        assert_eq!(
            error.message,
            "The parameter Color of TagUser is not supported by this service."
        );
    }

    #[test]
    fn the_view_tracks_what_was_read() {
        let params = Params::from_pairs([
            ("Action", "TagUser"),
            ("UserName", "alice"),
            ("Tags.member.1.Key", "k"),
            ("Tags.member.2.Key", "j"),
        ]);
        let input = Input::new(&params, &TAG_USER);
        assert_eq!(input.required("UserName").unwrap(), "alice");
        assert_eq!(input.unread_members(), vec!["Tags".to_string()]);
        assert_eq!(input.tags("Tags").len(), 2);
        assert!(input.unread_members().is_empty());
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "does not list")]
    fn reading_an_undeclared_member_is_a_bug() {
        let params = Params::from_pairs([("Path", "/x/")]);
        let input = Input::new(&params, &TAG_USER);
        let _ = input.get("Path");
    }
}
