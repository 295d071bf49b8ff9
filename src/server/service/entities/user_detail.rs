//! The console's user page in one read: the user, its groups, its policies, and every policy
//! that reaches it with where it comes from. Authorized as the reads it combines; an inline
//! policy's document comes only with leave to `Get{User,Group}Policy`, and managed policies'
//! documents never (the page asks for one when opened, authorized as `GetPolicyVersion`).

use crate::catalog::Op;
use crate::domain::arn::group_arn;
use crate::domain::iam_models::{EffectivePolicy, PolicySource, UserDetail};
use crate::server::store::{attachments, groups, inline, tags};

use crate::server::service::authorization::RequestContext;
use crate::server::service::caches::user_views::to_user;
use crate::server::service::entities::groups::to_group;
use crate::server::service::entities::{self, EntityKind};
use crate::server::service::policies::inline::{documents_readable, shown};
use crate::server::service::{Caller, Iam, Operation, ServiceError};

pub async fn get_user_detail(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<UserDetail, ServiceError> {
    Operation::run(iam, caller, Op::GetUser, |op| {
        Box::pin(async move {
            let db = iam.store().reader();
            let target = entities::find(db, caller, EntityKind::User, user_name).await?;
            let none = RequestContext::default();
            let user = op.authorize_named(target, &none).await?;
            op.authorize_action(Op::ListGroupsForUser, &user.arn, &none)
                .await?;
            op.authorize_action(Op::ListAttachedUserPolicies, &user.arn, &none)
                .await?;
            op.authorize_action(Op::ListUserPolicies, &user.arn, &none)
                .await?;

            let row = crate::server::store::users::TABLE
                .find_by_id(db, &user.id)
                .await?
                .ok_or_else(|| {
                    ServiceError::NoSuchEntity(format!(
                        "The user with name {user_name} cannot be found."
                    ))
                })?;
            let user_tags = tags::for_entity(db, EntityKind::User, &user.id).await?;
            let group_rows = groups::for_user(db, &user.id).await?;
            let attached =
                crate::server::service::policies::attachments::attached_policies(iam, &user)
                    .await?;
            let inline_rows = inline::for_entity(db, EntityKind::User, &user.id).await?;

            let user_documents =
                documents_readable(iam, caller, EntityKind::User, &user.arn).await?;
            let mut effective = Vec::new();
            for policy in &attached {
                effective.push(EffectivePolicy {
                    policy_name: policy.policy_name.clone(),
                    policy_arn: Some(policy.policy_arn.clone()),
                    source: PolicySource::AttachedToUser,
                    document: String::new(),
                });
            }
            for policy in &inline_rows {
                effective.push(EffectivePolicy {
                    policy_name: policy.name.clone(),
                    policy_arn: None,
                    source: PolicySource::InlineInUser,
                    document: shown(user_documents, policy.document.clone()),
                });
            }
            for group in &group_rows {
                let group_arn = group_arn(caller.account_id(), &group.path, &group.name);
                op.authorize_action(Op::ListAttachedGroupPolicies, &group_arn, &none)
                    .await?;
                op.authorize_action(Op::ListGroupPolicies, &group_arn, &none)
                    .await?;
                let group_documents =
                    documents_readable(iam, caller, EntityKind::Group, &group_arn).await?;
                for arn in attachments::for_entity(db, EntityKind::Group, &group.group_id).await? {
                    effective.push(EffectivePolicy {
                        policy_name: crate::server::service::policies::attachments::policy_name_of(
                            &arn,
                        ),
                        document: String::new(),
                        policy_arn: Some(arn),
                        source: PolicySource::AttachedToGroup(group.name.clone()),
                    });
                }
                for policy in inline::for_entity(db, EntityKind::Group, &group.group_id).await? {
                    effective.push(EffectivePolicy {
                        policy_name: policy.name,
                        policy_arn: None,
                        source: PolicySource::InlineInGroup(group.name.clone()),
                        document: shown(group_documents, policy.document),
                    });
                }
            }
            Ok(UserDetail {
                user: to_user(caller, row, user_tags),
                groups: group_rows
                    .into_iter()
                    .map(|g| to_group(caller, g))
                    .collect(),
                attached_policies: attached,
                inline_policies: inline_rows
                    .into_iter()
                    .map(|row| crate::domain::iam_models::InlinePolicy {
                        policy_name: row.name,
                        policy_document: shown(user_documents, row.document),
                    })
                    .collect(),
                effective_policies: effective,
            })
        })
    })
    .await
}
