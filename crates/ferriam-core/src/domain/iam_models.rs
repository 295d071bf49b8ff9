//! IAM entities as the service layer returns them and the console shows them: plain data in
//! AWS's shapes, shared with wasm.

use serde::{Deserialize, Serialize};

use super::tags::Tag;

/// An IAM user, as AWS's `User` structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub user_name: String,
    pub user_id: String,
    pub arn: String,
    pub path: String,
    /// Unix milliseconds.
    pub create_date: i64,
    pub permissions_boundary_arn: Option<String>,
    pub tags: Vec<Tag>,
    /// When the user last signed in with its password (Unix milliseconds); `None` if never.
    #[serde(default)]
    pub password_last_used: Option<i64>,
}

/// An IAM group, as AWS's `Group` structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub group_name: String,
    pub group_id: String,
    pub arn: String,
    pub path: String,
    pub create_date: i64,
}

/// An IAM role, as AWS's `Role` structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub role_name: String,
    pub role_id: String,
    pub arn: String,
    pub path: String,
    pub create_date: i64,
    pub description: Option<String>,
    pub max_session_duration: i64,
    /// The trust policy, as JSON text.
    pub assume_role_policy_document: String,
    pub permissions_boundary_arn: Option<String>,
    pub tags: Vec<Tag>,
    /// When a session of the role last made a request, and in which region (`RoleLastUsed`).
    #[serde(default)]
    pub last_used: Option<LastUsed>,
}

/// An instance profile, as AWS's `InstanceProfile` structure: a container for (at most) one
/// role, which workloads running "as" the profile get credentials for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceProfile {
    pub instance_profile_name: String,
    pub instance_profile_id: String,
    pub arn: String,
    pub path: String,
    pub create_date: i64,
    pub roles: Vec<Role>,
    pub tags: Vec<Tag>,
}

/// When and where something was last used (`RoleLastUsed`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastUsed {
    /// Unix milliseconds.
    pub date: i64,
    pub region: String,
}

/// A managed policy (customer or AWS), as AWS's `Policy` structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub policy_name: String,
    pub policy_id: String,
    pub arn: String,
    pub path: String,
    pub default_version_id: String,
    pub attachment_count: i64,
    pub permissions_boundary_usage_count: i64,
    pub is_attachable: bool,
    pub description: Option<String>,
    pub create_date: i64,
    pub update_date: i64,
    pub aws_managed: bool,
    pub tags: Vec<Tag>,
}

/// One version of a managed policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub version_id: String,
    pub document: String,
    pub is_default_version: bool,
    pub create_date: i64,
}

/// A managed policy attached to an entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedPolicy {
    pub policy_name: String,
    pub policy_arn: String,
}

/// An inline policy: its name and document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub policy_name: String,
    pub policy_document: String,
}

/// One page of a listing: `marker` continues it when `is_truncated`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub is_truncated: bool,
    pub marker: Option<String>,
}

/// Where a policy reaches a user from, for the console's permissions tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicySource {
    /// Attached to the user directly.
    AttachedToUser,
    /// Embedded in the user.
    InlineInUser,
    /// Attached to a group the user belongs to.
    AttachedToGroup(String),
    /// Embedded in a group the user belongs to.
    InlineInGroup(String),
}

/// One policy in a user's effective permissions, with where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectivePolicy {
    pub policy_name: String,
    /// The managed policy's ARN; `None` for inline policies.
    pub policy_arn: Option<String>,
    pub source: PolicySource,
    pub document: String,
}

/// Everything a group's page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDetail {
    pub group: Group,
    pub members: Vec<User>,
    pub attached_policies: Vec<AttachedPolicy>,
    pub inline_policies: Vec<InlinePolicy>,
}

/// Everything a role's page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDetail {
    pub role: Role,
    pub attached_policies: Vec<AttachedPolicy>,
    pub inline_policies: Vec<InlinePolicy>,
}

/// Everything the user detail page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub user: User,
    pub groups: Vec<Group>,
    pub attached_policies: Vec<AttachedPolicy>,
    pub inline_policies: Vec<InlinePolicy>,
    pub effective_policies: Vec<EffectivePolicy>,
}
