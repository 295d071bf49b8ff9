//! The Query API's operation table: action name → handler, for IAM and for STS. This file is
//! the one place that says which operations the API serves — and, below, which service
//! operations only one front door offers, on purpose.

use super::errors::ApiError;
use super::ops::{self, Cx, Reply};
use super::params::Params;
use super::xml::Xml;
use super::Service;
use crate::server::service::{Caller, Iam};

macro_rules! table {
    ($names:ident, $run:ident { $($action:literal => $handler:path,)* }) => {
        /// Every action this table serves.
        pub const $names: &[&str] = &[$($action),*];

        async fn $run(action: &str, cx: &Cx<'_>) -> Option<(&'static str, Reply)> {
            Some(match action {
                $($action => ($action, $handler(cx).await),)*
                _ => return None,
            })
        }
    };
}

table!(IAM_ACTIONS, run_iam {
    // Users
    "CreateUser" => ops::users::create_user,
    "GetUser" => ops::users::get_user,
    "ListUsers" => ops::users::list_users,
    "UpdateUser" => ops::users::update_user,
    "DeleteUser" => ops::users::delete_user,
    "TagUser" => ops::users::tag_user,
    "UntagUser" => ops::users::untag_user,
    "ListUserTags" => ops::users::list_user_tags,
    "PutUserPermissionsBoundary" => ops::users::put_user_permissions_boundary,
    "DeleteUserPermissionsBoundary" => ops::users::delete_user_permissions_boundary,
    // Groups
    "CreateGroup" => ops::groups::create_group,
    "GetGroup" => ops::groups::get_group,
    "ListGroups" => ops::groups::list_groups,
    "UpdateGroup" => ops::groups::update_group,
    "DeleteGroup" => ops::groups::delete_group,
    "AddUserToGroup" => ops::groups::add_user_to_group,
    "RemoveUserFromGroup" => ops::groups::remove_user_from_group,
    "ListGroupsForUser" => ops::groups::list_groups_for_user,
    // Roles
    "CreateRole" => ops::roles::create_role,
    "GetRole" => ops::roles::get_role,
    "ListRoles" => ops::roles::list_roles,
    "UpdateRole" => ops::roles::update_role,
    "UpdateRoleDescription" => ops::roles::update_role_description,
    "UpdateAssumeRolePolicy" => ops::roles::update_assume_role_policy,
    "DeleteRole" => ops::roles::delete_role,
    "TagRole" => ops::roles::tag_role,
    "UntagRole" => ops::roles::untag_role,
    "ListRoleTags" => ops::roles::list_role_tags,
    "PutRolePermissionsBoundary" => ops::roles::put_role_permissions_boundary,
    "DeleteRolePermissionsBoundary" => ops::roles::delete_role_permissions_boundary,
    // Managed policies
    "CreatePolicy" => ops::policies::create_policy,
    "GetPolicy" => ops::policies::get_policy,
    "ListPolicies" => ops::policies::list_policies,
    "DeletePolicy" => ops::policies::delete_policy,
    "CreatePolicyVersion" => ops::policies::create_policy_version,
    "GetPolicyVersion" => ops::policies::get_policy_version,
    "ListPolicyVersions" => ops::policies::list_policy_versions,
    "DeletePolicyVersion" => ops::policies::delete_policy_version,
    "SetDefaultPolicyVersion" => ops::policies::set_default_policy_version,
    "ListEntitiesForPolicy" => ops::policies::list_entities_for_policy,
    // Attachments
    "AttachUserPolicy" => ops::attachments::attach_user_policy,
    "AttachGroupPolicy" => ops::attachments::attach_group_policy,
    "AttachRolePolicy" => ops::attachments::attach_role_policy,
    "DetachUserPolicy" => ops::attachments::detach_user_policy,
    "DetachGroupPolicy" => ops::attachments::detach_group_policy,
    "DetachRolePolicy" => ops::attachments::detach_role_policy,
    "ListAttachedUserPolicies" => ops::attachments::list_attached_user_policies,
    "ListAttachedGroupPolicies" => ops::attachments::list_attached_group_policies,
    "ListAttachedRolePolicies" => ops::attachments::list_attached_role_policies,
    // Inline policies
    "PutUserPolicy" => ops::inline::put_user_policy,
    "PutGroupPolicy" => ops::inline::put_group_policy,
    "PutRolePolicy" => ops::inline::put_role_policy,
    "GetUserPolicy" => ops::inline::get_user_policy,
    "GetGroupPolicy" => ops::inline::get_group_policy,
    "GetRolePolicy" => ops::inline::get_role_policy,
    "ListUserPolicies" => ops::inline::list_user_policies,
    "ListGroupPolicies" => ops::inline::list_group_policies,
    "ListRolePolicies" => ops::inline::list_role_policies,
    "DeleteUserPolicy" => ops::inline::delete_user_policy,
    "DeleteGroupPolicy" => ops::inline::delete_group_policy,
    "DeleteRolePolicy" => ops::inline::delete_role_policy,
    // Credentials
    "CreateAccessKey" => ops::credentials::create_access_key,
    "ListAccessKeys" => ops::credentials::list_access_keys,
    "UpdateAccessKey" => ops::credentials::update_access_key,
    "DeleteAccessKey" => ops::credentials::delete_access_key,
    "GetAccessKeyLastUsed" => ops::credentials::get_access_key_last_used,
    "CreateLoginProfile" => ops::credentials::create_login_profile,
    "GetLoginProfile" => ops::credentials::get_login_profile,
    "UpdateLoginProfile" => ops::credentials::update_login_profile,
    "DeleteLoginProfile" => ops::credentials::delete_login_profile,
    "ChangePassword" => ops::credentials::change_password,
    "GetAccountPasswordPolicy" => ops::credentials::get_account_password_policy,
    "UpdateAccountPasswordPolicy" => ops::credentials::update_account_password_policy,
    "DeleteAccountPasswordPolicy" => ops::credentials::delete_account_password_policy,
    // MFA
    "CreateVirtualMFADevice" => ops::mfa::create_virtual_mfa_device,
    "EnableMFADevice" => ops::mfa::enable_mfa_device,
    "ResyncMFADevice" => ops::mfa::resync_mfa_device,
    "DeactivateMFADevice" => ops::mfa::deactivate_mfa_device,
    "DeleteVirtualMFADevice" => ops::mfa::delete_virtual_mfa_device,
    "ListMFADevices" => ops::mfa::list_mfa_devices,
    "ListVirtualMFADevices" => ops::mfa::list_virtual_mfa_devices,
    // Account
    "CreateAccountAlias" => ops::account::create_account_alias,
    "DeleteAccountAlias" => ops::account::delete_account_alias,
    "ListAccountAliases" => ops::account::list_account_aliases,
    "GetAccountSummary" => ops::account::get_account_summary,
    "GetAccountAuthorizationDetails" => ops::account::get_account_authorization_details,
    // Simulation
    "SimulateCustomPolicy" => ops::simulation::simulate_custom_policy,
    "SimulatePrincipalPolicy" => ops::simulation::simulate_principal_policy,
    "GetContextKeysForCustomPolicy" => ops::simulation::get_context_keys_for_custom_policy,
    "GetContextKeysForPrincipalPolicy" => ops::simulation::get_context_keys_for_principal_policy,
});

table!(STS_ACTIONS, run_sts {
    "GetCallerIdentity" => ops::sts::get_caller_identity,
    "GetSessionToken" => ops::sts::get_session_token,
    "AssumeRole" => ops::sts::assume_role,
});

/// Service operations the console offers and the API does not, and why.
pub const CONSOLE_ONLY: &[(&str, &str)] = &[
    (
        "users::delete_user_and_dependents, groups::delete_group_and_dependents, \
         roles::delete_role_and_dependents, policies::delete_policy_everywhere",
        "the console's one-click deletes; AWS's API deletes only what has nothing attached",
    ),
    (
        "users::create_user with groups and policy_arns",
        "the console's create wizard; CreateUser takes neither",
    ),
    (
        "user_detail::get_user_detail, accounts::account_overview, \
         accounts::signed_in_principal, permissions::check_actions",
        "read models of console pages",
    ),
    (
        "mfa::root_mfa_status, create_root_virtual_mfa, enable_root_mfa, deactivate_root_mfa",
        "the root user's MFA set-up page (the API's MFA operations cover devices too)",
    ),
    (
        "accounts::sign_up, signin::*, passwords::complete_new_password",
        "browser sign-up and sign-in",
    ),
    (
        "access_keys::import_access_key",
        "the operator's `ferriam access-key create --access-key-id` for test fixtures",
    ),
];

/// Operations the API serves that the console has no page for (yet).
pub const API_ONLY: &[&str] = &[
    "GetAccountSummary",
    "GetAccountAuthorizationDetails",
    "GetContextKeysForCustomPolicy",
    "GetContextKeysForPrincipalPolicy",
    "SimulatePrincipalPolicy",
    "ListEntitiesForPolicy",
    "GetCallerIdentity",
];

/// The names of every action `service` serves (for tests that must cover each one).
pub fn actions(service: Service) -> impl Iterator<Item = &'static str> {
    match service {
        Service::Iam => IAM_ACTIONS,
        Service::Sts => STS_ACTIONS,
    }
    .iter()
    .copied()
}

/// Runs the request's action for `service`: the action must exist for the service and the
/// `Version` (when given) must be the service's.
pub async fn run(
    iam: &Iam,
    caller: &Caller,
    service: Service,
    params: &Params,
) -> Result<(&'static str, Option<Xml>), ApiError> {
    let action = params.get("Action").ok_or_else(|| {
        ApiError::sender(
            axum::http::StatusCode::BAD_REQUEST,
            "MissingAction",
            "Missing Action",
        )
    })?;
    let version = params.get("Version").unwrap_or(service.version());
    let cx = Cx {
        iam,
        caller,
        params,
    };
    let ran = if version != service.version() {
        None
    } else {
        match service {
            Service::Iam => run_iam(action, &cx).await,
            Service::Sts => run_sts(action, &cx).await,
        }
    };
    match ran {
        Some((name, reply)) => reply.map(|xml| (name, xml)),
        None => Err(ApiError::invalid_action(
            &action.chars().take(128).collect::<String>(),
            &version.chars().take(32).collect::<String>(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_appears_once() {
        let mut all: Vec<&str> = IAM_ACTIONS.iter().chain(STS_ACTIONS).copied().collect();
        let count = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), count);
        for api_only in API_ONLY {
            assert!(all.contains(api_only), "{api_only} is not served");
        }
    }
}
