//! AWS's response structures (botocore's IAM service-2.json shapes), written field by field.

use super::xml::Xml;
use crate::domain::iam_models::{
    AttachedPolicy, Group, InlinePolicy, InstanceProfile, ManagedPolicy, Page, PolicyVersion, Role,
    User,
};
use crate::domain::tags::Tag;

pub fn tags(x: &mut Xml, tags: &[Tag]) {
    x.members("Tags", tags, |x, tag| {
        x.text("Key", &tag.key).text("Value", &tag.value);
    });
}

pub fn boundary(x: &mut Xml, arn: Option<&str>) {
    if let Some(arn) = arn {
        x.nested("PermissionsBoundary", |x| {
            x.text("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
                .text("PermissionsBoundaryArn", arn);
        });
    }
}

/// `User`; the root user (as GetUser reports it) has no name or path.
pub fn user_fields(x: &mut Xml, user: &User) {
    if !user.user_name.is_empty() {
        x.text("Path", &user.path).text("UserName", &user.user_name);
    }
    x.text("UserId", &user.user_id)
        .text("Arn", &user.arn)
        .date("CreateDate", user.create_date);
    if let Some(used) = user.password_last_used {
        x.date("PasswordLastUsed", used);
    }
    boundary(x, user.permissions_boundary_arn.as_deref());
    if !user.tags.is_empty() {
        tags(x, &user.tags);
    }
}

pub fn user(x: &mut Xml, name: &str, user: &User) {
    x.nested(name, |x| user_fields(x, user));
}

pub fn group_fields(x: &mut Xml, group: &Group) {
    x.text("Path", &group.path)
        .text("GroupName", &group.group_name)
        .text("GroupId", &group.group_id)
        .text("Arn", &group.arn)
        .date("CreateDate", group.create_date);
}

pub fn group(x: &mut Xml, name: &str, group: &Group) {
    x.nested(name, |x| group_fields(x, group));
}

/// `Role`; `last_used` adds the (possibly empty) `RoleLastUsed` that GetRole reports.
pub fn role_fields(x: &mut Xml, role: &Role, last_used: bool) {
    x.text("Path", &role.path)
        .text("RoleName", &role.role_name)
        .text("RoleId", &role.role_id)
        .text("Arn", &role.arn)
        .date("CreateDate", role.create_date)
        .policy_document(
            "AssumeRolePolicyDocument",
            &role.assume_role_policy_document,
        )
        .opt_text("Description", role.description.as_deref())
        .int("MaxSessionDuration", role.max_session_duration);
    boundary(x, role.permissions_boundary_arn.as_deref());
    if !role.tags.is_empty() {
        tags(x, &role.tags);
    }
    if last_used {
        role_last_used(x, role);
    }
}

/// `RoleLastUsed`: empty when no session of the role made a request.
pub fn role_last_used(x: &mut Xml, role: &Role) {
    x.nested("RoleLastUsed", |x| {
        if let Some(used) = &role.last_used {
            x.date("LastUsedDate", used.date)
                .text("Region", &used.region);
        }
    });
}

pub fn role(x: &mut Xml, name: &str, role: &Role, last_used: bool) {
    x.nested(name, |x| role_fields(x, role, last_used));
}

/// `InstanceProfile`: its role (as GetRole shows one, without `RoleLastUsed`) and tags.
pub fn instance_profile_fields(x: &mut Xml, profile: &InstanceProfile) {
    x.text("Path", &profile.path)
        .text("InstanceProfileName", &profile.instance_profile_name)
        .text("InstanceProfileId", &profile.instance_profile_id)
        .text("Arn", &profile.arn)
        .date("CreateDate", profile.create_date);
    x.members("Roles", &profile.roles, |x, role| {
        role_fields(x, role, false)
    });
    if !profile.tags.is_empty() {
        tags(x, &profile.tags);
    }
}

pub fn instance_profile(x: &mut Xml, name: &str, profile: &InstanceProfile) {
    x.nested(name, |x| instance_profile_fields(x, profile));
}

/// `Policy`; `detail` adds Description and Tags, which GetPolicy has and ListPolicies lacks.
pub fn policy_fields(x: &mut Xml, policy: &ManagedPolicy, detail: bool) {
    x.text("PolicyName", &policy.policy_name)
        .text("PolicyId", &policy.policy_id)
        .text("Arn", &policy.arn)
        .text("Path", &policy.path)
        .text("DefaultVersionId", &policy.default_version_id)
        .int("AttachmentCount", policy.attachment_count)
        .int(
            "PermissionsBoundaryUsageCount",
            policy.permissions_boundary_usage_count,
        )
        .bool("IsAttachable", policy.is_attachable);
    if detail {
        x.opt_text("Description", policy.description.as_deref());
    }
    x.date("CreateDate", policy.create_date)
        .date("UpdateDate", policy.update_date);
    if detail {
        tags(x, &policy.tags);
    }
}

pub fn policy(x: &mut Xml, name: &str, policy: &ManagedPolicy, detail: bool) {
    x.nested(name, |x| policy_fields(x, policy, detail));
}

pub fn policy_version_fields(x: &mut Xml, version: &PolicyVersion, with_document: bool) {
    if with_document {
        x.policy_document("Document", &version.document);
    }
    x.text("VersionId", &version.version_id)
        .bool("IsDefaultVersion", version.is_default_version)
        .date("CreateDate", version.create_date);
}

pub fn attached_policies(x: &mut Xml, name: &str, policies: &[AttachedPolicy]) {
    x.members(name, policies, |x, policy| {
        x.text("PolicyName", &policy.policy_name)
            .text("PolicyArn", &policy.policy_arn);
    });
}

/// `PolicyDetail` lists (GetAccountAuthorizationDetails).
pub fn policy_details(x: &mut Xml, name: &str, policies: &[InlinePolicy]) {
    x.members(name, policies, |x, policy| {
        x.text("PolicyName", &policy.policy_name)
            .policy_document("PolicyDocument", &policy.policy_document);
    });
}

/// `IsTruncated`, and `Marker` when there is more.
pub fn paging(x: &mut Xml, is_truncated: bool, marker: Option<&str>) {
    x.bool("IsTruncated", is_truncated);
    if is_truncated {
        x.opt_text("Marker", marker);
    }
}

/// A listing's members and its paging fields.
pub fn page<T>(x: &mut Xml, name: &str, page: &Page<T>, mut member: impl FnMut(&mut Xml, &T)) {
    x.members(name, &page.items, |x, item| member(x, item));
    paging(x, page.is_truncated, page.marker.as_deref());
}
