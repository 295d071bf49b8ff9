//! STS `GetFederationToken`, the custom broker's building block: an IAM user (or the root user)
//! with long-term keys gets credentials for a federated user `NAME`, which may do what both the
//! caller and the session policies allow — nothing without a session policy.

use crate::catalog::Op;
use crate::domain::session_tags::SessionTags;
use crate::domain::tags::{check_tags, Tag};
use crate::domain::{Principal, PrincipalKind};
use crate::server::service::authorization::RequestContext;
use crate::server::service::sts::{
    check_duration, check_policy_arns, check_session_policy, check_sts_name, issue, Credentials,
    SessionPolicies, SessionTerms,
};
use crate::server::service::{Caller, Iam, Operation, ServiceError};

/// AWS: up to 36 hours, 12 by default; one hour for the root user (longer asks are cut to it).
pub const MAX_DURATION_SECONDS: i64 = 129_600;
pub const DEFAULT_DURATION_SECONDS: i64 = 43_200;
pub const ROOT_MAX_DURATION_SECONDS: i64 = 3_600;

#[derive(Clone, Debug, Default)]
pub struct GetFederationToken {
    pub name: String,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
    pub duration_seconds: Option<i64>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug)]
pub struct FederatedUserCredentials {
    pub credentials: Credentials,
    /// `ACCOUNT:NAME`.
    pub federated_user_id: String,
    pub arn: String,
}

pub async fn get_federation_token(
    iam: &Iam,
    caller: &Caller,
    input: GetFederationToken,
) -> Result<FederatedUserCredentials, ServiceError> {
    Operation::run(iam, caller, Op::GetFederationToken, |op| {
        Box::pin(async move {
            check_sts_name("Name", "name", &input.name, 32)?;
            let principal = Principal {
                account_id: caller.account_id().clone(),
                kind: PrincipalKind::FederatedUser {
                    name: input.name.clone(),
                    user_id: match &caller.principal.kind {
                        PrincipalKind::User { user_id, .. } => Some(user_id.clone()),
                        _ => None,
                    },
                },
            };
            let arn = principal.arn();
            op.target(&arn);
            let long_term = matches!(
                caller.principal.kind,
                PrincipalKind::Root | PrincipalKind::User { .. }
            ) && !caller.signed_with_temporary_key();
            if !long_term {
                return Err(ServiceError::AccessDenied(
                    "Cannot call GetFederationToken with session credentials".to_string(),
                ));
            }
            if let Some(duration) = input.duration_seconds {
                check_duration(duration, MAX_DURATION_SECONDS)?;
            }
            check_tags("Tags", &input.tags)?;
            check_session_policy(input.policy.as_deref(), &input.policy_arns)?;
            let authorized = op
                .authorize_with(&arn, &RequestContext::with_request_tags(&input.tags))
                .await?;
            if !input.tags.is_empty() {
                op.authorize_action(
                    Op::TagSession,
                    &arn,
                    &RequestContext::with_request_tags(&input.tags),
                )
                .await?;
            }
            check_policy_arns(iam, caller.account_id().as_str(), &input.policy_arns).await?;
            let mut duration = input.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
            if caller.principal.is_root() {
                duration = duration.min(ROOT_MAX_DURATION_SECONDS);
            }
            let session_policies = SessionPolicies {
                inline: input.policy.clone().filter(|p| !p.is_empty()),
                managed_arns: input.policy_arns.clone(),
            };
            // Tags of a federated user are never transitive: it cannot assume roles.
            let tags = SessionTags {
                tags: input.tags.clone(),
                ..SessionTags::default()
            };
            let federated_user_id = principal.user_id();
            let credentials = issue(
                op,
                caller,
                principal,
                SessionTerms {
                    policies: session_policies,
                    tags,
                    mfa_authenticated_at: caller.request.mfa_authenticated_at,
                    duration_seconds: duration,
                },
                &authorized,
            )
            .await?;
            Ok(FederatedUserCredentials {
                credentials,
                federated_user_id,
                arn,
            })
        })
    })
    .await
}
