//! AWS's policy evaluation logic for a request within an account (and the
//! cross-account case when the resource's owner differs):
//!
//! 1. An explicit Deny in any applicable policy wins.
//! 2. The account root user is allowed (within its own account).
//! 3. Otherwise an Allow is needed from identity-based policies, *or* from a
//!    resource-based policy, where the same-account rules depend on how the
//!    resource policy named the caller (see [`PrincipalMatch`]):
//!    - the user ARN or the session ARN itself: allowed, whatever identity
//!      policies, permissions boundary or session policy say;
//!    - the role ARN behind a session (or the IAM user behind a federated
//!      user): allowed only if the boundary and session policy also allow;
//!    - the account: only delegates; the identity path must allow.
//! 4. On the identity path a permissions boundary, when set, must also allow,
//!    and so must a session policy when present (a federated-user session
//!    without a session policy is denied).
//! 5. A role trust policy must itself allow `sts:AssumeRole`; the root user
//!    can never assume a role.
//! 6. Cross-account, both the resource policy and the identity path must allow.

use std::sync::Arc;

use super::compile::{action_service, Policy};
use super::context::{Context, MissingKeys};
use super::decision::{Decision, DecisionReason, MatchedStatement, PolicyCategory, Response};
use super::document::Effect;
use super::principal::{PrincipalInfo, PrincipalKind, PrincipalMatch};

/// A policy with the id that explanations show (ARN, name or input position).
#[derive(Debug, Clone)]
pub struct NamedPolicy {
    pub id: Arc<str>,
    pub policy: Arc<Policy>,
}

impl NamedPolicy {
    pub fn new(id: impl Into<Arc<str>>, policy: impl Into<Arc<Policy>>) -> Self {
        NamedPolicy {
            id: id.into(),
            policy: policy.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourcePolicyKind {
    /// A resource-based policy (bucket policy, key policy ...).
    Resource,
    /// A role's trust policy, evaluated for `sts:AssumeRole*`.
    RoleTrust,
}

#[derive(Debug, Clone, Copy)]
pub struct ResourcePolicyInput<'a> {
    pub policy: &'a NamedPolicy,
    pub kind: ResourcePolicyKind,
}

/// Every policy that applies to one request, by category.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyInputs<'a> {
    /// Inline and attached policies of the user or role, and of the user's groups.
    pub identity: &'a [NamedPolicy],
    /// The permissions boundary; empty when none is set.
    pub permissions_boundary: &'a [NamedPolicy],
    /// Session policies passed when the session was created; empty when none.
    pub session: &'a [NamedPolicy],
    pub resource: Option<ResourcePolicyInput<'a>>,
}

/// One request to authorize.
#[derive(Debug, Clone, Copy)]
pub struct EvaluationRequest<'a> {
    pub principal: &'a PrincipalInfo,
    /// `service:Action`, e.g. `iam:CreateUser` (matched case-insensitively).
    pub action: &'a str,
    /// The resource ARN, or `*`.
    pub resource: &'a str,
    /// The account that owns the resource; `None` means the caller's account.
    pub resource_account: Option<&'a str>,
    pub context: &'a Context,
}

/// Decides one request. Allocates only for matched statements and missing keys.
pub fn evaluate<'a>(inputs: &PolicyInputs<'a>, request: &EvaluationRequest<'a>) -> Response<'a> {
    let mut scan = Scan {
        request,
        has_boundary: !inputs.permissions_boundary.is_empty(),
        matched: Vec::new(),
        missing: MissingKeys::default(),
        resource_grant: PrincipalMatch::None,
    };
    scan.category(inputs.identity, PolicyCategory::Identity);
    if let Some(resource) = inputs.resource {
        let category = match resource.kind {
            ResourcePolicyKind::Resource => PolicyCategory::ResourceBased,
            ResourcePolicyKind::RoleTrust => PolicyCategory::RoleTrust,
        };
        scan.category(std::slice::from_ref(resource.policy), category);
    }
    scan.category(
        inputs.permissions_boundary,
        PolicyCategory::PermissionsBoundary,
    );
    scan.category(inputs.session, PolicyCategory::Session);
    let (decision, reason) = decide(inputs, request, &scan);
    let Scan {
        mut matched,
        missing,
        ..
    } = scan;
    match decision {
        Decision::ExplicitDeny => matched.retain(|statement| statement.effect == Effect::Deny),
        Decision::Allowed => matched.retain(|statement| statement.effect == Effect::Allow),
        Decision::ImplicitDeny => matched.clear(),
    }
    Response {
        decision,
        reason,
        matched,
        missing_context_keys: missing.into_vec(),
    }
}

struct Scan<'r, 'a> {
    request: &'r EvaluationRequest<'a>,
    has_boundary: bool,
    matched: Vec<MatchedStatement<'a>>,
    missing: MissingKeys<'a>,
    /// The strongest way an Allow in the resource policy named the caller.
    resource_grant: PrincipalMatch,
}

impl<'a> Scan<'_, 'a> {
    fn category(&mut self, policies: &'a [NamedPolicy], category: PolicyCategory) {
        let request = self.request;
        let service = action_service(request.action);
        let is_resource_policy = matches!(
            category,
            PolicyCategory::ResourceBased | PolicyCategory::RoleTrust
        );
        for named in policies {
            for statement in named.policy.statements() {
                if !statement.matches_action_in(request.action, service)
                    || !statement.matches_resource(
                        request.resource,
                        request.context,
                        &mut self.missing,
                    )
                {
                    continue;
                }
                let mut principal_match = statement.matches_principal(request.principal);
                // AWS quirk, documented for permissions boundaries: a Deny with
                // NotPrincipal in a resource policy always denies IAM principals
                // that have a permissions boundary, whatever NotPrincipal lists.
                if is_resource_policy
                    && self.has_boundary
                    && statement.effect == Effect::Deny
                    && statement.has_not_principal()
                {
                    principal_match = PrincipalMatch::Direct;
                }
                // SECURITY: a resource policy statement must name the caller;
                // one without Principal/NotPrincipal applies to nobody.
                if is_resource_policy && !statement.has_principal() {
                    principal_match = PrincipalMatch::None;
                }
                if principal_match == PrincipalMatch::None {
                    continue;
                }
                if !statement.conditions_hold(request.context, &mut self.missing) {
                    continue;
                }
                if is_resource_policy && statement.effect == Effect::Allow {
                    self.resource_grant = self.resource_grant.max(principal_match);
                }
                self.matched.push(MatchedStatement {
                    policy_id: &named.id,
                    category,
                    statement_index: statement.index,
                    sid: statement.sid.as_deref(),
                    effect: statement.effect,
                    start: statement.start,
                    end: statement.end,
                });
            }
        }
    }

    fn allows(&self, category: PolicyCategory) -> bool {
        self.matched
            .iter()
            .any(|statement| statement.category == category && statement.effect == Effect::Allow)
    }
}

fn decide(
    inputs: &PolicyInputs<'_>,
    request: &EvaluationRequest<'_>,
    scan: &Scan<'_, '_>,
) -> (Decision, DecisionReason) {
    // Report the first category (in this order) that denied.
    for category in [
        PolicyCategory::Identity,
        PolicyCategory::ResourceBased,
        PolicyCategory::RoleTrust,
        PolicyCategory::PermissionsBoundary,
        PolicyCategory::Session,
    ] {
        if scan
            .matched
            .iter()
            .any(|statement| statement.category == category && statement.effect == Effect::Deny)
        {
            return (
                Decision::ExplicitDeny,
                DecisionReason::ExplicitDeny(category),
            );
        }
    }

    let principal = request.principal;
    let is_root = principal.kind == PrincipalKind::Root;
    let same_account = request
        .resource_account
        .is_none_or(|account| account.is_empty() || account == principal.account_id);
    let trust = inputs
        .resource
        .is_some_and(|resource| resource.kind == ResourcePolicyKind::RoleTrust);
    let resource_category = if trust {
        PolicyCategory::RoleTrust
    } else {
        PolicyCategory::ResourceBased
    };

    if is_root && trust {
        return (Decision::ImplicitDeny, DecisionReason::RootCannotAssumeRole);
    }
    if is_root && same_account {
        return (Decision::Allowed, DecisionReason::RootUser);
    }

    let identity_allows = is_root || scan.allows(PolicyCategory::Identity);
    let boundary_allows = is_root
        || inputs.permissions_boundary.is_empty()
        || scan.allows(PolicyCategory::PermissionsBoundary);
    let session_allows = is_root
        || if inputs.session.is_empty() {
            // A GetFederationToken session without a session policy gets nothing.
            !matches!(principal.kind, PrincipalKind::FederatedUser { .. })
        } else {
            scan.allows(PolicyCategory::Session)
        };
    let identity_path = identity_allows && boundary_allows && session_allows;
    let grant = scan.resource_grant;

    let allowed_by_resource = if same_account {
        match grant {
            PrincipalMatch::Direct => true,
            PrincipalMatch::Parent => boundary_allows && session_allows,
            PrincipalMatch::Account => identity_path,
            PrincipalMatch::None => false,
        }
    } else {
        grant != PrincipalMatch::None && identity_path
    };

    let needs_resource_allow = trust || !same_account;
    if allowed_by_resource {
        let reason = if grant == PrincipalMatch::Direct || grant == PrincipalMatch::Parent {
            DecisionReason::ResourceAllow
        } else {
            DecisionReason::IdentityAllow
        };
        return (Decision::Allowed, reason);
    }
    if !needs_resource_allow && identity_path {
        return (Decision::Allowed, DecisionReason::IdentityAllow);
    }

    let missing = if needs_resource_allow && grant == PrincipalMatch::None {
        resource_category
    } else if grant == PrincipalMatch::Parent && !boundary_allows {
        PolicyCategory::PermissionsBoundary
    } else if grant == PrincipalMatch::Parent && !session_allows {
        PolicyCategory::Session
    } else if !identity_allows {
        PolicyCategory::Identity
    } else if !boundary_allows {
        PolicyCategory::PermissionsBoundary
    } else if !session_allows {
        PolicyCategory::Session
    } else {
        resource_category
    };
    (Decision::ImplicitDeny, DecisionReason::NoAllow(missing))
}

#[cfg(test)]
mod tests;
