//! The result of an evaluation: the decision, why, the statements that decided
//! it, the context keys that were missing, and AWS's AccessDenied wording.

use serde::Serialize;

use super::document::Effect;
use super::location::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    /// AWS's EvalDecision spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// Which kind of policy a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyCategory {
    Identity,
    ResourceBased,
    RoleTrust,
    PermissionsBoundary,
    Session,
}

impl PolicyCategory {
    /// The policy type as AWS names it in AccessDenied messages.
    pub fn type_name(self) -> &'static str {
        match self {
            PolicyCategory::Identity => "identity-based policy",
            PolicyCategory::ResourceBased => "resource-based policy",
            PolicyCategory::RoleTrust => "role trust policy",
            PolicyCategory::PermissionsBoundary => "permissions boundary",
            PolicyCategory::Session => "session policy",
        }
    }

    fn with_article(self) -> &'static str {
        match self {
            PolicyCategory::Identity => "an identity-based policy",
            PolicyCategory::ResourceBased => "a resource-based policy",
            PolicyCategory::RoleTrust => "the role trust policy",
            PolicyCategory::PermissionsBoundary => "a permissions boundary",
            PolicyCategory::Session => "a session policy",
        }
    }
}

/// Why the decision was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionReason {
    /// The account root user is allowed unless explicitly denied.
    RootUser,
    /// Identity-based policies allowed (and boundary/session policies, if any).
    IdentityAllow,
    /// A resource-based or trust policy allowed on its own (same account).
    ResourceAllow,
    /// A Deny statement in a policy of this category matched.
    ExplicitDeny(PolicyCategory),
    /// No policy of this category allowed the request.
    NoAllow(PolicyCategory),
    /// The account root user asked to assume a role, which STS never allows.
    RootCannotAssumeRole,
}

/// STS's whole message when the root user calls AssumeRole.
const ROOT_CANNOT_ASSUME_ROLE: &str = "Roles may not be assumed by root accounts.";

/// A statement that decided the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement<'a> {
    /// The policy's id as the caller named it (policy ARN, name, `PolicyInputList.1`).
    pub policy_id: &'a str,
    pub category: PolicyCategory,
    /// Zero-based position in the policy's Statement list.
    pub statement_index: usize,
    pub sid: Option<&'a str>,
    pub effect: Effect,
    pub start: Option<Position>,
    pub end: Option<Position>,
}

/// The outcome of [`super::evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<'a> {
    pub decision: Decision,
    pub reason: DecisionReason,
    /// For `Allowed`: the Allow statements that matched; for `ExplicitDeny`:
    /// the Deny statements that matched; for `ImplicitDeny`: none.
    pub matched: Vec<MatchedStatement<'a>>,
    /// Context keys the applicable statements referenced that the request lacked.
    pub missing_context_keys: Vec<&'a str>,
}

impl Response<'_> {
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allowed
    }

    /// AWS's reason clause, e.g. "because no identity-based policy allows the
    /// iam:CreateUser action" or "with an explicit deny in a permissions boundary".
    /// `None` when the request is allowed.
    pub fn denial_reason(&self, action: &str) -> Option<String> {
        match self.reason {
            DecisionReason::ExplicitDeny(category) => Some(format!(
                "with an explicit deny in {}",
                category.with_article()
            )),
            DecisionReason::NoAllow(category) => Some(format!(
                "because no {} allows the {action} action",
                category.type_name()
            )),
            DecisionReason::RootCannotAssumeRole => Some(ROOT_CANNOT_ASSUME_ROLE.to_string()),
            _ => None,
        }
    }

    /// AWS's full AccessDenied message, e.g. "User: arn:aws:iam::123456789012:user/bob
    /// is not authorized to perform: iam:CreateUser on resource:
    /// arn:aws:iam::123456789012:user/alice because no identity-based policy
    /// allows the iam:CreateUser action". `None` when allowed.
    pub fn access_denied_message(
        &self,
        principal_arn: &str,
        action: &str,
        resource: &str,
    ) -> Option<String> {
        let reason = self.denial_reason(action)?;
        if self.reason == DecisionReason::RootCannotAssumeRole {
            return Some(reason);
        }
        let on_resource = if resource.is_empty() || resource == "*" {
            String::new()
        } else {
            format!(" on resource: {resource}")
        };
        Some(format!(
            "User: {principal_arn} is not authorized to perform: {action}{on_resource} {reason}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(reason: DecisionReason, decision: Decision) -> Response<'static> {
        Response {
            decision,
            reason,
            matched: Vec::new(),
            missing_context_keys: Vec::new(),
        }
    }

    #[test]
    fn renders_aws_reason_clauses() {
        let table: &[(DecisionReason, &str)] = &[
            (
                DecisionReason::NoAllow(PolicyCategory::Identity),
                "because no identity-based policy allows the iam:CreateUser action",
            ),
            (
                DecisionReason::NoAllow(PolicyCategory::PermissionsBoundary),
                "because no permissions boundary allows the iam:CreateUser action",
            ),
            (
                DecisionReason::NoAllow(PolicyCategory::Session),
                "because no session policy allows the iam:CreateUser action",
            ),
            (
                DecisionReason::NoAllow(PolicyCategory::ResourceBased),
                "because no resource-based policy allows the iam:CreateUser action",
            ),
            (
                DecisionReason::ExplicitDeny(PolicyCategory::Identity),
                "with an explicit deny in an identity-based policy",
            ),
            (
                DecisionReason::ExplicitDeny(PolicyCategory::ResourceBased),
                "with an explicit deny in a resource-based policy",
            ),
            (
                DecisionReason::ExplicitDeny(PolicyCategory::PermissionsBoundary),
                "with an explicit deny in a permissions boundary",
            ),
            (
                DecisionReason::ExplicitDeny(PolicyCategory::Session),
                "with an explicit deny in a session policy",
            ),
            (
                DecisionReason::ExplicitDeny(PolicyCategory::RoleTrust),
                "with an explicit deny in the role trust policy",
            ),
        ];
        for (reason, expected) in table {
            let decision = match reason {
                DecisionReason::ExplicitDeny(_) => Decision::ExplicitDeny,
                _ => Decision::ImplicitDeny,
            };
            assert_eq!(
                response(*reason, decision)
                    .denial_reason("iam:CreateUser")
                    .as_deref(),
                Some(*expected)
            );
        }
        assert_eq!(
            response(DecisionReason::IdentityAllow, Decision::Allowed)
                .denial_reason("iam:CreateUser"),
            None
        );
    }

    #[test]
    fn renders_the_full_access_denied_sentence() {
        let denied = response(
            DecisionReason::NoAllow(PolicyCategory::Identity),
            Decision::ImplicitDeny,
        );
        assert_eq!(
            denied.access_denied_message(
                "arn:aws:iam::123456789012:user/bob",
                "iam:CreateUser",
                "arn:aws:iam::123456789012:user/alice"
            )
            .as_deref(),
            Some("User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/alice because no identity-based policy allows the iam:CreateUser action")
        );
        assert_eq!(
            denied
                .access_denied_message("arn:aws:iam::123456789012:user/bob", "iam:ListUsers", "*")
                .as_deref(),
            Some("User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action")
        );
    }
}
