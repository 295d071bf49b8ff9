//! The account: CreateAccountAlias, DeleteAccountAlias, ListAccountAliases, GetAccountSummary,
//! GetAccountAuthorizationDetails.

use super::{done, paginate, result, Cx, Reply};
use crate::server::query_api::errors::ApiError;
use crate::server::query_api::shapes;
use crate::server::service::account::alias;
use crate::server::service::account::summary;
use crate::server::service::policies::authorization_details::{self, DetailFilter};

pub async fn create_account_alias(cx: &Cx<'_>) -> Reply {
    alias::create_account_alias(cx.iam, cx.caller, cx.params.required("AccountAlias")?).await?;
    done()
}

pub async fn delete_account_alias(cx: &Cx<'_>) -> Reply {
    alias::delete_account_alias(cx.iam, cx.caller, cx.params.required("AccountAlias")?).await?;
    done()
}

pub async fn list_account_aliases(cx: &Cx<'_>) -> Reply {
    let aliases = alias::list_account_aliases(cx.iam, cx.caller).await?;
    // In memory: an account has at most one alias (CreateAccountAlias replaces the old one).
    let page = paginate(aliases, cx.params)?;
    result(|x| {
        x.string_members("AccountAliases", &page.items);
        shapes::paging(x, page.is_truncated, page.marker.as_deref());
    })
}

pub async fn get_account_summary(cx: &Cx<'_>) -> Reply {
    let summary = summary::get_account_summary(cx.iam, cx.caller).await?;
    result(|x| {
        x.map(
            "SummaryMap",
            summary.iter().map(|(key, value)| (*key, value.to_string())),
        );
    })
}

fn filter(cx: &Cx<'_>) -> Result<DetailFilter, ApiError> {
    let wanted = cx.params.list("Filter");
    if wanted.is_empty() {
        return Ok(DetailFilter::ALL);
    }
    const TYPES: [&str; 5] = [
        "User",
        "Role",
        "Group",
        "LocalManagedPolicy",
        "AWSManagedPolicy",
    ];
    if let Some(bad) = wanted.iter().find(|w| !TYPES.contains(&w.as_str())) {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '[{bad}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]"
        )));
    }
    let has = |name: &str| wanted.iter().any(|w| w == name);
    Ok(DetailFilter {
        users: has("User"),
        groups: has("Group"),
        roles: has("Role"),
        local_policies: has("LocalManagedPolicy"),
        aws_policies: has("AWSManagedPolicy"),
    })
}

pub async fn get_account_authorization_details(cx: &Cx<'_>) -> Reply {
    let filter = filter(cx)?;
    let details = authorization_details::get_account_authorization_details(
        cx.iam,
        cx.caller,
        filter,
        super::page_request(cx.params)?,
    )
    .await?;
    result(|x| {
        x.members("UserDetailList", &details.users, |x, d| {
            x.text("Path", &d.user.path)
                .text("UserName", &d.user.user_name)
                .text("UserId", &d.user.user_id)
                .text("Arn", &d.user.arn)
                .date("CreateDate", d.user.create_date);
            shapes::policy_details(x, "UserPolicyList", &d.inline_policies);
            x.string_members("GroupList", &d.group_names);
            shapes::attached_policies(x, "AttachedManagedPolicies", &d.attached_policies);
            shapes::boundary(x, d.user.permissions_boundary_arn.as_deref());
            shapes::tags(x, &d.user.tags);
        })
        .members("GroupDetailList", &details.groups, |x, d| {
            shapes::group_fields(x, &d.group);
            shapes::policy_details(x, "GroupPolicyList", &d.inline_policies);
            shapes::attached_policies(x, "AttachedManagedPolicies", &d.attached_policies);
        })
        .members("RoleDetailList", &details.roles, |x, d| {
            x.text("Path", &d.role.path)
                .text("RoleName", &d.role.role_name)
                .text("RoleId", &d.role.role_id)
                .text("Arn", &d.role.arn)
                .date("CreateDate", d.role.create_date)
                .policy_document(
                    "AssumeRolePolicyDocument",
                    &d.role.assume_role_policy_document,
                );
            x.members("InstanceProfileList", &d.instance_profiles, |x, profile| {
                shapes::instance_profile_fields(x, profile)
            });
            shapes::policy_details(x, "RolePolicyList", &d.inline_policies);
            shapes::attached_policies(x, "AttachedManagedPolicies", &d.attached_policies);
            shapes::boundary(x, d.role.permissions_boundary_arn.as_deref());
            shapes::tags(x, &d.role.tags);
            shapes::role_last_used(x, &d.role);
        })
        .members("Policies", &details.policies, |x, d| {
            shapes::policy_fields(x, &d.policy, false);
            x.members("PolicyVersionList", &d.versions, |x, version| {
                shapes::policy_version_fields(x, version, true);
            });
        });
        shapes::paging(x, details.is_truncated, details.marker.as_deref());
    })
}
