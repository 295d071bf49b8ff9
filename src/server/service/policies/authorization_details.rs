//! `GetAccountAuthorizationDetails`: every user, group, role and managed policy of the account
//! with the policies embedded in or attached to each — one snapshot, one authorization.

use crate::catalog::Op;
use crate::domain::iam_models::{
    AttachedPolicy, Group, InlinePolicy, InstanceProfile, ManagedPolicy, PolicyVersion, Role, User,
};
use crate::domain::EntityKind;
use crate::server::service::workloads::instance_profiles;
use crate::server::store::{attachments, groups, inline, policies, roles, tags, users};

use crate::server::service::paging::{invalid_marker, tagged_page, PageRequest};
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
    /// The instance profiles holding the role.
    pub instance_profiles: Vec<InstanceProfile>,
    pub inline_policies: Vec<InlinePolicy>,
    pub attached_policies: Vec<AttachedPolicy>,
}

pub struct PolicyDetails {
    pub policy: ManagedPolicy,
    pub versions: Vec<PolicyVersion>,
}

/// One page of the listing: the entities and policies on it, each in its own list, and where
/// the next page starts.
#[derive(Default)]
pub struct AuthorizationDetails {
    pub users: Vec<UserDetails>,
    pub groups: Vec<GroupDetails>,
    pub roles: Vec<RoleDetails>,
    pub policies: Vec<PolicyDetails>,
    pub is_truncated: bool,
    pub marker: Option<String>,
}

/// The sort-key tag of `GetAccountAuthorizationDetails` markers.
const DETAILS_LISTING: &str = "authorization-details";

/// The listing's sections in their order; the sort key is (section, name key).
const USERS: u8 = 0;
const GROUPS: u8 = 1;
const ROLES: u8 = 2;
const AWS_POLICIES: u8 = 3;
const LOCAL_POLICIES: u8 = 4;

/// One listed row, before its details are read.
enum Listed {
    User(users::UserRow),
    Group(groups::GroupRow),
    Role(roles::RoleRow),
    Aws(&'static aws_managed::AwsManagedPolicy),
    Local(policies::PolicyRow),
}

impl Listed {
    fn key(&self) -> String {
        let (section, name) = match self {
            Listed::User(row) => (USERS, row.name.as_str()),
            Listed::Group(row) => (GROUPS, row.name.as_str()),
            Listed::Role(row) => (ROLES, row.name.as_str()),
            Listed::Aws(builtin) => (AWS_POLICIES, builtin.name),
            Listed::Local(row) => (LOCAL_POLICIES, row.name.as_str()),
        };
        format!("{section}:{}", name.to_ascii_lowercase())
    }
}

impl DetailFilter {
    fn wants(&self, section: u8) -> bool {
        match section {
            USERS => self.users,
            GROUPS => self.groups,
            ROLES => self.roles,
            AWS_POLICIES => self.aws_policies,
            _ => self.local_policies,
        }
    }
}

/// `GetAccountAuthorizationDetails`: one page (`MaxItems`, `Marker`) over the account's users,
/// groups, roles, AWS managed policies in use and customer managed policies, in that order and
/// each by name. Each section is read from the store only for the rows the page still needs.
pub async fn get_account_authorization_details(
    iam: &Iam,
    caller: &Caller,
    filter: DetailFilter,
    request: PageRequest,
) -> Result<AuthorizationDetails, ServiceError> {
    Operation::run(iam, caller, Op::GetAccountAuthorizationDetails, |op| {
        Box::pin(async move {
            let bounds = request.bounds(DETAILS_LISTING)?;
            let start = match bounds.after.as_deref() {
                None => None,
                Some(key) => {
                    let (section, name_key) = key.split_once(':').ok_or_else(invalid_marker)?;
                    let section = section
                        .parse::<u8>()
                        .ok()
                        .filter(|s| *s <= LOCAL_POLICIES)
                        .ok_or_else(invalid_marker)?;
                    Some((section, name_key.to_string()))
                }
            };
            op.authorize("*").await?;
            let rows = listed_rows(iam, caller, filter, start, bounds.limit + 1).await?;
            let page = tagged_page(rows, &bounds, DETAILS_LISTING, Listed::key, |row| row);
            let mut details = AuthorizationDetails {
                is_truncated: page.is_truncated,
                marker: page.marker,
                ..AuthorizationDetails::default()
            };
            let needs_usage = page.items.iter().any(|row| matches!(row, Listed::Local(_)));
            let account_id = caller.account_id().as_str();
            let counts = match needs_usage {
                true => crate::server::service::policies::usage_counts(iam, account_id).await?,
                false => Default::default(),
            };
            let usage = |arn: &str| counts.get(arn).copied().unwrap_or((0, 0));
            for row in page.items {
                detail(iam, caller, row, &usage, &mut details).await?;
            }
            Ok(details)
        })
    })
    .await
}

/// At most `want` rows of the wanted sections, from after `start` = (section, name key) on.
async fn listed_rows(
    iam: &Iam,
    caller: &Caller,
    filter: DetailFilter,
    start: Option<(u8, String)>,
    want: i64,
) -> Result<Vec<Listed>, ServiceError> {
    let db = iam.store().reader();
    let account_id = caller.account_id().as_str();
    let first = start.as_ref().map_or(USERS, |(section, _)| *section);
    let mut rows = Vec::new();
    for section in first..=LOCAL_POLICIES {
        let remaining = want - rows.len() as i64;
        if remaining <= 0 {
            break;
        }
        if !filter.wants(section) {
            continue;
        }
        // Only the section the marker points into continues after a key.
        let after = start
            .as_ref()
            .filter(|(s, _)| *s == section)
            .map(|(_, key)| key.as_str());
        match section {
            USERS => rows.extend(
                users::TABLE
                    .list_page(db, account_id, "/", "", after, remaining)
                    .await?
                    .into_iter()
                    .map(Listed::User),
            ),
            GROUPS => rows.extend(
                groups::TABLE
                    .list_page(db, account_id, "/", "", after, remaining)
                    .await?
                    .into_iter()
                    .map(Listed::Group),
            ),
            ROLES => rows.extend(
                roles::TABLE
                    .list_page(db, account_id, "/", "", after, remaining)
                    .await?
                    .into_iter()
                    .map(Listed::Role),
            ),
            AWS_POLICIES => {
                // AWS lists the AWS managed policies the account uses, not the whole catalogue
                // (a handful of built-ins, each checked with its own counts).
                let mut builtins: Vec<_> = aws_managed::all()
                    .iter()
                    .filter(|b| after.is_none_or(|a| b.name.to_ascii_lowercase().as_str() > a))
                    .collect();
                builtins.sort_by_key(|b| b.name.to_ascii_lowercase());
                for builtin in builtins {
                    if rows.len() as i64 >= want {
                        break;
                    }
                    if aws_policy_in_use(iam, account_id, builtin.arn).await? {
                        rows.push(Listed::Aws(builtin));
                    }
                }
            }
            _ => rows.extend(
                policies::list_page(db, account_id, "/", after, remaining)
                    .await?
                    .into_iter()
                    .map(Listed::Local),
            ),
        }
    }
    Ok(rows)
}

async fn aws_policy_in_use(iam: &Iam, account_id: &str, arn: &str) -> Result<bool, ServiceError> {
    let db = iam.store().reader();
    Ok(
        attachments::count_for_policy(db, account_id, arn).await? > 0
            || roles::boundary_usage_count(db, account_id, arn).await? > 0,
    )
}

/// Reads the details of one listed row into its list.
async fn detail(
    iam: &Iam,
    caller: &Caller,
    row: Listed,
    usage: &impl Fn(&str) -> (i64, i64),
    details: &mut AuthorizationDetails,
) -> Result<(), ServiceError> {
    let db = iam.store().reader();
    match row {
        Listed::User(row) => {
            let id = row.user_id.clone();
            let user_tags = tags::for_entity(db, EntityKind::User, &id).await?;
            details.users.push(UserDetails {
                user: crate::server::service::caches::user_views::to_user(caller, row, user_tags),
                inline_policies: inline_of(iam, EntityKind::User, &id).await?,
                group_names: groups::for_user(db, &id)
                    .await?
                    .into_iter()
                    .map(|group| group.name)
                    .collect(),
                attached_policies: attached_to(iam, EntityKind::User, &id).await?,
            });
        }
        Listed::Group(row) => {
            let id = row.group_id.clone();
            details.groups.push(GroupDetails {
                group: crate::server::service::entities::groups::to_group(caller, row),
                inline_policies: inline_of(iam, EntityKind::Group, &id).await?,
                attached_policies: attached_to(iam, EntityKind::Group, &id).await?,
            });
        }
        Listed::Role(row) => {
            let id = row.role_id.clone();
            let role_tags = tags::for_entity(db, EntityKind::Role, &id).await?;
            details.roles.push(RoleDetails {
                role: crate::server::service::entities::roles::shown(
                    iam,
                    crate::server::service::entities::roles::to_role(caller, row, role_tags),
                )
                .await?,
                instance_profiles: instance_profiles::of_role(iam, caller, &id).await?,
                inline_policies: inline_of(iam, EntityKind::Role, &id).await?,
                attached_policies: attached_to(iam, EntityKind::Role, &id).await?,
            });
        }
        Listed::Aws(builtin) => {
            let account_id = caller.account_id().as_str();
            let attached = attachments::count_for_policy(db, account_id, builtin.arn).await?;
            let boundary = roles::boundary_usage_count(db, account_id, builtin.arn).await?;
            details.policies.push(PolicyDetails {
                policy: crate::server::service::policies::aws_policy(builtin, attached, boundary),
                versions: vec![PolicyVersion {
                    version_id: builtin.default_version_id.to_string(),
                    document: builtin.document.to_string(),
                    is_default_version: true,
                    create_date: crate::server::service::policies::iso_millis(builtin.update_date),
                }],
            });
        }
        Listed::Local(row) => {
            let versions = policies::versions(db, &row.policy_id)
                .await?
                .into_iter()
                .map(|version| crate::server::service::policies::to_version(&row, version))
                .collect();
            let (attached, boundary) = usage(&row.arn);
            details.policies.push(PolicyDetails {
                policy: crate::server::service::policies::customer_policy(row, attached, boundary),
                versions,
            });
        }
    }
    Ok(())
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
