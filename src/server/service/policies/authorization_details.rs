//! `GetAccountAuthorizationDetails`: every user, group, role and managed policy of the account
//! with the policies embedded in or attached to each — one snapshot, one authorization.

use crate::catalog::Op;
use crate::domain::iam_models::{
    AttachedPolicy, Group, InlinePolicy, ManagedPolicy, PolicyVersion, Role, User,
};
use crate::domain::EntityKind;
use crate::server::store::{attachments, groups, inline, policies, roles, tags, users};

use crate::server::service::policies::attachments::policy_name_of;
use crate::server::service::{policies::aws_managed, Caller, Iam, Operation, ServiceError};

/// Which entity types to include (AWS's `Filter`; empty means all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DetailFilter {
    pub users: bool,
    pub groups: bool,
    pub roles: bool,
    pub local_policies: bool,
    pub aws_policies: bool,
}

impl DetailFilter {
    pub const ALL: DetailFilter = DetailFilter {
        users: true,
        groups: true,
        roles: true,
        local_policies: true,
        aws_policies: true,
    };
}

pub struct UserDetails {
    pub user: User,
    pub inline_policies: Vec<InlinePolicy>,
    pub group_names: Vec<String>,
    pub attached_policies: Vec<AttachedPolicy>,
}

pub struct GroupDetails {
    pub group: Group,
    pub inline_policies: Vec<InlinePolicy>,
    pub attached_policies: Vec<AttachedPolicy>,
}

pub struct RoleDetails {
    pub role: Role,
    pub inline_policies: Vec<InlinePolicy>,
    pub attached_policies: Vec<AttachedPolicy>,
}

pub struct PolicyDetails {
    pub policy: ManagedPolicy,
    pub versions: Vec<PolicyVersion>,
}

#[derive(Default)]
pub struct AuthorizationDetails {
    pub users: Vec<UserDetails>,
    pub groups: Vec<GroupDetails>,
    pub roles: Vec<RoleDetails>,
    pub policies: Vec<PolicyDetails>,
}

pub async fn get_account_authorization_details(
    iam: &Iam,
    caller: &Caller,
    filter: DetailFilter,
) -> Result<AuthorizationDetails, ServiceError> {
    Operation::run(iam, caller, Op::GetAccountAuthorizationDetails, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            let db = iam.store().reader();
            let account_id = caller.account_id().as_str();
            let mut details = AuthorizationDetails::default();
            if filter.users {
                for row in users::TABLE
                    .list_page(db, account_id, "/", "", None, i64::MAX)
                    .await?
                {
                    let id = row.user_id.clone();
                    let user_tags = tags::for_entity(db, EntityKind::User, &id).await?;
                    details.users.push(UserDetails {
                        user: crate::server::service::caches::user_views::to_user(
                            caller, row, user_tags,
                        ),
                        inline_policies: inline_of(iam, EntityKind::User, &id).await?,
                        group_names: groups::for_user(db, &id)
                            .await?
                            .into_iter()
                            .map(|group| group.name)
                            .collect(),
                        attached_policies: attached_to(iam, EntityKind::User, &id).await?,
                    });
                }
            }
            if filter.groups {
                for row in groups::TABLE
                    .list_page(db, account_id, "/", "", None, i64::MAX)
                    .await?
                {
                    let id = row.group_id.clone();
                    details.groups.push(GroupDetails {
                        group: crate::server::service::entities::groups::to_group(caller, row),
                        inline_policies: inline_of(iam, EntityKind::Group, &id).await?,
                        attached_policies: attached_to(iam, EntityKind::Group, &id).await?,
                    });
                }
            }
            if filter.roles {
                for row in roles::TABLE
                    .list_page(db, account_id, "/", "", None, i64::MAX)
                    .await?
                {
                    let id = row.role_id.clone();
                    let role_tags = tags::for_entity(db, EntityKind::Role, &id).await?;
                    details.roles.push(RoleDetails {
                        role: crate::server::service::entities::roles::shown(
                            iam,
                            crate::server::service::entities::roles::to_role(
                                caller, row, role_tags,
                            ),
                        )
                        .await?,
                        inline_policies: inline_of(iam, EntityKind::Role, &id).await?,
                        attached_policies: attached_to(iam, EntityKind::Role, &id).await?,
                    });
                }
            }
            let counts = crate::server::service::policies::usage_counts(iam, account_id).await?;
            let usage = |arn: &str| counts.get(arn).copied().unwrap_or((0, 0));
            if filter.aws_policies {
                // AWS lists the AWS managed policies the account uses, not the whole catalogue.
                for builtin in aws_managed::all() {
                    let (attached, boundary) = usage(builtin.arn);
                    if attached + boundary == 0 {
                        continue;
                    }
                    details.policies.push(PolicyDetails {
                        policy: crate::server::service::policies::aws_policy(
                            builtin, attached, boundary,
                        ),
                        versions: vec![PolicyVersion {
                            version_id: builtin.default_version_id.to_string(),
                            document: builtin.document.to_string(),
                            is_default_version: true,
                            create_date: crate::server::service::policies::iso_millis(
                                builtin.update_date,
                            ),
                        }],
                    });
                }
            }
            if filter.local_policies {
                for row in policies::list_page(db, account_id, "/", None, i64::MAX).await? {
                    let versions = policies::versions(db, &row.policy_id)
                        .await?
                        .into_iter()
                        .map(|version| crate::server::service::policies::to_version(&row, version))
                        .collect();
                    let (attached, boundary) = usage(&row.arn);
                    details.policies.push(PolicyDetails {
                        policy: crate::server::service::policies::customer_policy(
                            row, attached, boundary,
                        ),
                        versions,
                    });
                }
            }
            Ok(details)
        })
    })
    .await
}

async fn inline_of(
    iam: &Iam,
    entity_type: EntityKind,
    id: &str,
) -> Result<Vec<InlinePolicy>, ServiceError> {
    Ok(inline::for_entity(iam.store().reader(), entity_type, id)
        .await?
        .into_iter()
        .map(|row| InlinePolicy {
            policy_name: row.name,
            policy_document: row.document,
        })
        .collect())
}

async fn attached_to(
    iam: &Iam,
    entity_type: EntityKind,
    id: &str,
) -> Result<Vec<AttachedPolicy>, ServiceError> {
    Ok(
        attachments::for_entity(iam.store().reader(), entity_type, id)
            .await?
            .into_iter()
            .map(|arn| AttachedPolicy {
                policy_name: policy_name_of(&arn),
                policy_arn: arn,
            })
            .collect(),
    )
}
