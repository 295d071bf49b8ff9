//! The Query API's operation table: catalog entry → handler and declared input members, for IAM
//! and for STS. Which operations the API serves is the catalog's to say (`Doors`); this table
//! must serve exactly those (tested below).

use super::errors::ApiError;
use super::input::{Input, Members};
use super::ops::{self, Cx, Reply};
use super::params::Params;
use super::xml::Xml;
use super::Service;
use crate::catalog::Op;
use crate::domain::EntityKind;
use crate::server::service::{Caller, Iam};

/// Each entry: `Operation => handler [members it reads] refuses [members it does not support]`;
/// a handler serving users and roles alike is given the kind: `handler {User}`.
/// The member lists are the operation's input as AWS's model names it (top-level names only);
/// `tests/query_api_members.rs` checks them against botocore's model, the dispatcher refuses
/// any other parameter, and the handler can read only the members listed as read.
macro_rules! table {
    ($members:ident, $run:ident {
        $($op:ident => $handler:path $({$kind:ident})? [$($read:ident),* $(,)?] $(refuses [$($refused:ident),* $(,)?])?,)*
    }) => {
        /// Every operation this table serves, with its declared input members.
        pub static $members: &[Members] = &[$(Members {
            op: Op::$op,
            reads: &[$(stringify!($read)),*],
            refuses: &[$($(stringify!($refused)),*)?],
        }),*];

        async fn $run(op: Op, cx: &Cx<'_>) -> Reply {
            match op {
                $(Op::$op => $handler(cx $(, EntityKind::$kind)?).await,)*
                _ => unreachable!("{op:?} has a declaration but no handler"),
            }
        }
    };
}

table!(IAM_MEMBERS, run_iam {
    // Users
    CreateUser => ops::users::create_user [UserName, Path, PermissionsBoundary, Tags],
    GetUser => ops::users::get_user [UserName],
    ListUsers => ops::users::list_users [PathPrefix, Marker, MaxItems],
    UpdateUser => ops::users::update_user [UserName, NewUserName, NewPath],
    DeleteUser => ops::users::delete_user [UserName],
    TagUser => ops::tags_and_boundaries::tag {User} [UserName, Tags],
    UntagUser => ops::tags_and_boundaries::untag {User} [UserName, TagKeys],
    ListUserTags => ops::tags_and_boundaries::list_tags {User} [UserName, Marker, MaxItems],
    PutUserPermissionsBoundary => ops::tags_and_boundaries::put_boundary {User} [UserName, PermissionsBoundary],
    DeleteUserPermissionsBoundary => ops::tags_and_boundaries::delete_boundary {User} [UserName],
    // Groups
    CreateGroup => ops::groups::create_group [GroupName, Path],
    GetGroup => ops::groups::get_group [GroupName, Marker, MaxItems],
    ListGroups => ops::groups::list_groups [PathPrefix, Marker, MaxItems],
    UpdateGroup => ops::groups::update_group [GroupName, NewGroupName, NewPath],
    DeleteGroup => ops::groups::delete_group [GroupName],
    AddUserToGroup => ops::groups::add_user_to_group [GroupName, UserName],
    RemoveUserFromGroup => ops::groups::remove_user_from_group [GroupName, UserName],
    ListGroupsForUser => ops::groups::list_groups_for_user [UserName, Marker, MaxItems],
    // Roles
    CreateRole => ops::roles::create_role [RoleName, Path, AssumeRolePolicyDocument, Description, MaxSessionDuration, PermissionsBoundary, Tags],
    GetRole => ops::roles::get_role [RoleName],
    ListRoles => ops::roles::list_roles [PathPrefix, Marker, MaxItems],
    UpdateRole => ops::roles::update_role [RoleName, Description, MaxSessionDuration],
    UpdateRoleDescription => ops::roles::update_role_description [RoleName, Description],
    UpdateAssumeRolePolicy => ops::roles::update_assume_role_policy [RoleName, PolicyDocument],
    DeleteRole => ops::roles::delete_role [RoleName],
    TagRole => ops::tags_and_boundaries::tag {Role} [RoleName, Tags],
    UntagRole => ops::tags_and_boundaries::untag {Role} [RoleName, TagKeys],
    ListRoleTags => ops::tags_and_boundaries::list_tags {Role} [RoleName, Marker, MaxItems],
    PutRolePermissionsBoundary => ops::tags_and_boundaries::put_boundary {Role} [RoleName, PermissionsBoundary],
    DeleteRolePermissionsBoundary => ops::tags_and_boundaries::delete_boundary {Role} [RoleName],
    // Managed policies
    CreatePolicy => ops::policies::create_policy [PolicyName, Path, PolicyDocument, Description] refuses [Tags],
    GetPolicy => ops::policies::get_policy [PolicyArn],
    ListPolicies => ops::policies::list_policies [Scope, OnlyAttached, PolicyUsageFilter, PathPrefix, Marker, MaxItems],
    DeletePolicy => ops::policies::delete_policy [PolicyArn],
    CreatePolicyVersion => ops::policies::create_policy_version [PolicyArn, PolicyDocument, SetAsDefault],
    GetPolicyVersion => ops::policies::get_policy_version [PolicyArn, VersionId],
    ListPolicyVersions => ops::policies::list_policy_versions [PolicyArn, Marker, MaxItems],
    DeletePolicyVersion => ops::policies::delete_policy_version [PolicyArn, VersionId],
    SetDefaultPolicyVersion => ops::policies::set_default_policy_version [PolicyArn, VersionId],
    ListEntitiesForPolicy => ops::policies::list_entities_for_policy [PolicyArn, EntityFilter, PathPrefix, PolicyUsageFilter, Marker, MaxItems],
    // Attachments
    AttachUserPolicy => ops::attachments::attach_user_policy [UserName, PolicyArn],
    AttachGroupPolicy => ops::attachments::attach_group_policy [GroupName, PolicyArn],
    AttachRolePolicy => ops::attachments::attach_role_policy [RoleName, PolicyArn],
    DetachUserPolicy => ops::attachments::detach_user_policy [UserName, PolicyArn],
    DetachGroupPolicy => ops::attachments::detach_group_policy [GroupName, PolicyArn],
    DetachRolePolicy => ops::attachments::detach_role_policy [RoleName, PolicyArn],
    ListAttachedUserPolicies => ops::attachments::list_attached_user_policies [UserName, PathPrefix, Marker, MaxItems],
    ListAttachedGroupPolicies => ops::attachments::list_attached_group_policies [GroupName, PathPrefix, Marker, MaxItems],
    ListAttachedRolePolicies => ops::attachments::list_attached_role_policies [RoleName, PathPrefix, Marker, MaxItems],
    // Inline policies
    PutUserPolicy => ops::inline::put_user_policy [UserName, PolicyName, PolicyDocument],
    PutGroupPolicy => ops::inline::put_group_policy [GroupName, PolicyName, PolicyDocument],
    PutRolePolicy => ops::inline::put_role_policy [RoleName, PolicyName, PolicyDocument],
    GetUserPolicy => ops::inline::get_user_policy [UserName, PolicyName],
    GetGroupPolicy => ops::inline::get_group_policy [GroupName, PolicyName],
    GetRolePolicy => ops::inline::get_role_policy [RoleName, PolicyName],
    ListUserPolicies => ops::inline::list_user_policies [UserName, Marker, MaxItems],
    ListGroupPolicies => ops::inline::list_group_policies [GroupName, Marker, MaxItems],
    ListRolePolicies => ops::inline::list_role_policies [RoleName, Marker, MaxItems],
    DeleteUserPolicy => ops::inline::delete_user_policy [UserName, PolicyName],
    DeleteGroupPolicy => ops::inline::delete_group_policy [GroupName, PolicyName],
    DeleteRolePolicy => ops::inline::delete_role_policy [RoleName, PolicyName],
    // Credentials
    CreateAccessKey => ops::credentials::create_access_key [UserName],
    ListAccessKeys => ops::credentials::list_access_keys [UserName, Marker, MaxItems],
    UpdateAccessKey => ops::credentials::update_access_key [UserName, AccessKeyId, Status],
    DeleteAccessKey => ops::credentials::delete_access_key [UserName, AccessKeyId],
    GetAccessKeyLastUsed => ops::credentials::get_access_key_last_used [AccessKeyId],
    CreateLoginProfile => ops::credentials::create_login_profile [UserName, Password, PasswordResetRequired],
    GetLoginProfile => ops::credentials::get_login_profile [UserName],
    UpdateLoginProfile => ops::credentials::update_login_profile [UserName, Password, PasswordResetRequired],
    DeleteLoginProfile => ops::credentials::delete_login_profile [UserName],
    ChangePassword => ops::credentials::change_password [OldPassword, NewPassword],
    GetAccountPasswordPolicy => ops::credentials::get_account_password_policy [],
    UpdateAccountPasswordPolicy => ops::credentials::update_account_password_policy [MinimumPasswordLength, RequireSymbols, RequireNumbers, RequireUppercaseCharacters, RequireLowercaseCharacters, AllowUsersToChangePassword, MaxPasswordAge, PasswordReusePrevention, HardExpiry],
    DeleteAccountPasswordPolicy => ops::credentials::delete_account_password_policy [],
    // MFA
    CreateVirtualMFADevice => ops::mfa::create_virtual_mfa_device [VirtualMFADeviceName, Path] refuses [Tags],
    EnableMFADevice => ops::mfa::enable_mfa_device [UserName, SerialNumber, AuthenticationCode1, AuthenticationCode2],
    ResyncMFADevice => ops::mfa::resync_mfa_device [UserName, SerialNumber, AuthenticationCode1, AuthenticationCode2],
    DeactivateMFADevice => ops::mfa::deactivate_mfa_device [UserName, SerialNumber],
    DeleteVirtualMFADevice => ops::mfa::delete_virtual_mfa_device [SerialNumber],
    ListMFADevices => ops::mfa::list_mfa_devices [UserName, Marker, MaxItems],
    ListVirtualMFADevices => ops::mfa::list_virtual_mfa_devices [AssignmentStatus, Marker, MaxItems],
    // Account
    CreateAccountAlias => ops::account::create_account_alias [AccountAlias],
    DeleteAccountAlias => ops::account::delete_account_alias [AccountAlias],
    ListAccountAliases => ops::account::list_account_aliases [Marker, MaxItems],
    GetAccountSummary => ops::account::get_account_summary [],
    GetAccountAuthorizationDetails => ops::account::get_account_authorization_details [Filter, MaxItems, Marker],
    // Identity providers
    CreateOpenIDConnectProvider => ops::oidc_providers::create [Url, ClientIDList, ThumbprintList, Tags],
    GetOpenIDConnectProvider => ops::oidc_providers::get [OpenIDConnectProviderArn],
    ListOpenIDConnectProviders => ops::oidc_providers::list [],
    DeleteOpenIDConnectProvider => ops::oidc_providers::delete [OpenIDConnectProviderArn],
    UpdateOpenIDConnectProviderThumbprint => ops::oidc_providers::update_thumbprint [OpenIDConnectProviderArn, ThumbprintList],
    AddClientIDToOpenIDConnectProvider => ops::oidc_providers::add_client_id [OpenIDConnectProviderArn, ClientID],
    RemoveClientIDFromOpenIDConnectProvider => ops::oidc_providers::remove_client_id [OpenIDConnectProviderArn, ClientID],
    TagOpenIDConnectProvider => ops::oidc_providers::tag [OpenIDConnectProviderArn, Tags],
    UntagOpenIDConnectProvider => ops::oidc_providers::untag [OpenIDConnectProviderArn, TagKeys],
    ListOpenIDConnectProviderTags => ops::oidc_providers::list_tags [OpenIDConnectProviderArn, Marker, MaxItems],
    CreateSAMLProvider => ops::saml_providers::create [Name, SAMLMetadataDocument, Tags, AssertionEncryptionMode, AddPrivateKey],
    GetSAMLProvider => ops::saml_providers::get [SAMLProviderArn],
    ListSAMLProviders => ops::saml_providers::list [],
    UpdateSAMLProvider => ops::saml_providers::update [SAMLProviderArn, SAMLMetadataDocument, AssertionEncryptionMode, AddPrivateKey, RemovePrivateKey],
    DeleteSAMLProvider => ops::saml_providers::delete [SAMLProviderArn],
    TagSAMLProvider => ops::saml_providers::tag [SAMLProviderArn, Tags],
    UntagSAMLProvider => ops::saml_providers::untag [SAMLProviderArn, TagKeys],
    ListSAMLProviderTags => ops::saml_providers::list_tags [SAMLProviderArn, Marker, MaxItems],
    CreateInstanceProfile => ops::instance_profiles::create [InstanceProfileName, Path, Tags],
    GetInstanceProfile => ops::instance_profiles::get [InstanceProfileName],
    DeleteInstanceProfile => ops::instance_profiles::delete [InstanceProfileName],
    ListInstanceProfiles => ops::instance_profiles::list [PathPrefix, Marker, MaxItems],
    ListInstanceProfilesForRole => ops::instance_profiles::list_for_role [RoleName, Marker, MaxItems],
    AddRoleToInstanceProfile => ops::instance_profiles::add_role [InstanceProfileName, RoleName],
    RemoveRoleFromInstanceProfile => ops::instance_profiles::remove_role [InstanceProfileName, RoleName],
    TagInstanceProfile => ops::instance_profiles::tag [InstanceProfileName, Tags],
    UntagInstanceProfile => ops::instance_profiles::untag [InstanceProfileName, TagKeys],
    ListInstanceProfileTags => ops::instance_profiles::list_tags [InstanceProfileName, Marker, MaxItems],
    // Simulation
    SimulateCustomPolicy => ops::simulation::simulate_custom_policy [PolicyInputList, PermissionsBoundaryPolicyInputList, ActionNames, ResourceArns, ResourcePolicy, ResourceOwner, CallerArn, ContextEntries, MaxItems, Marker] refuses [OrderedOrganizationPolicyInputList, ResourceHandlingOption],
    SimulatePrincipalPolicy => ops::simulation::simulate_principal_policy [PolicySourceArn, PolicyInputList, PermissionsBoundaryPolicyInputList, ActionNames, ResourceArns, ResourcePolicy, ResourceOwner, CallerArn, ContextEntries, MaxItems, Marker] refuses [PolicyExclusionList, ResourceHandlingOption],
    GetContextKeysForCustomPolicy => ops::simulation::get_context_keys_for_custom_policy [PolicyInputList],
    GetContextKeysForPrincipalPolicy => ops::simulation::get_context_keys_for_principal_policy [PolicySourceArn, PolicyInputList],
});

table!(STS_MEMBERS, run_sts {
    GetCallerIdentity => ops::sts::get_caller_identity [],
    GetAccessKeyInfo => ops::sts::get_access_key_info [AccessKeyId],
    GetSessionToken => ops::sts::get_session_token [DurationSeconds, SerialNumber, TokenCode] refuses [MinimumSessionTokenSize],
    AssumeRole => ops::sts::assume_role [RoleArn, RoleSessionName, Policy, PolicyArns, DurationSeconds, ExternalId, SerialNumber, TokenCode, Tags, TransitiveTagKeys, SourceIdentity] refuses [ProvidedContexts, MinimumSessionTokenSize],
    AssumeRoleWithWebIdentity => ops::sts::assume_role_with_web_identity [RoleArn, RoleSessionName, WebIdentityToken, ProviderId, Policy, PolicyArns, DurationSeconds] refuses [MinimumSessionTokenSize],
    AssumeRoleWithSAML => ops::sts::assume_role_with_saml [RoleArn, PrincipalArn, SAMLAssertion, Policy, PolicyArns, DurationSeconds] refuses [MinimumSessionTokenSize],
    GetFederationToken => ops::sts::get_federation_token [Name, Policy, PolicyArns, DurationSeconds, Tags] refuses [MinimumSessionTokenSize],
});

/// The operations AWS serves unsigned: the request carries its own proof.
pub const UNSIGNED: &[Op] = &[Op::AssumeRoleWithWebIdentity, Op::AssumeRoleWithSAML];

/// Whether `params` ask for an operation served unsigned.
pub fn is_unsigned_operation(params: &Params) -> bool {
    params.get("Version") == Some(Service::Sts.version())
        && params
            .get("Action")
            .is_some_and(|action| UNSIGNED.iter().any(|op| op.name() == action))
}

/// Runs an unsigned request (see `UNSIGNED`), with the same member checks as a signed one.
pub async fn run_unsigned(
    iam: &Iam,
    request: crate::server::service::RequestInfo,
    params: &Params,
) -> Result<(&'static str, Option<Xml>), ApiError> {
    let action = params.get("Action").unwrap_or_default();
    let declared = STS_MEMBERS
        .iter()
        .find(|m| m.op.name() == action && UNSIGNED.contains(&m.op))
        .ok_or_else(|| ApiError::invalid_action(action, Service::Sts.version()))?;
    declared.check(params)?;
    let input = Input::new(params, declared);
    let reply = if declared.op == Op::AssumeRoleWithSAML {
        ops::sts::saml(iam, request, &input).await
    } else {
        ops::sts::web_identity(iam, request, &input).await
    };
    reply.map(|xml| (declared.op.name(), xml))
}

/// Every operation `service` serves (for tests that must cover each one).
pub fn operations(service: Service) -> impl Iterator<Item = Op> {
    members(service).iter().map(|m| m.op)
}

/// The declared input members of every action `service` serves.
pub fn members(service: Service) -> &'static [Members] {
    match service {
        Service::Iam => IAM_MEMBERS,
        Service::Sts => STS_MEMBERS,
    }
}

/// Runs the request's action for `service`: the action must exist for the service, the
/// `Version` (when given) must be the service's, and every parameter must be one of the
/// action's declared members (checked before the operation runs).
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
    let declared = (version == service.version())
        .then(|| members(service).iter().find(|m| m.op.name() == action))
        .flatten()
        .ok_or_else(|| {
            ApiError::invalid_action(
                &action.chars().take(128).collect::<String>(),
                &version.chars().take(32).collect::<String>(),
            )
        })?;
    declared.check(params)?;
    let input = Input::new(params, declared);
    let cx = Cx {
        iam,
        caller,
        params: &input,
    };
    let reply = match service {
        Service::Iam => run_iam(declared.op, &cx).await,
        Service::Sts => run_sts(declared.op, &cx).await,
    };
    // INVARIANT: an operation that succeeded read every member it was given; one it did not
    // read would have been accepted and ignored.
    if reply.is_ok() {
        let unread = input.unread_members();
        debug_assert!(
            unread.is_empty(),
            "{} succeeded without reading {unread:?}",
            declared.op.name()
        );
    }
    reply.map(|xml| (declared.op.name(), xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_serves_exactly_the_catalog_s_api_operations() {
        for service in [Service::Iam, Service::Sts] {
            let served: Vec<Op> = operations(service).collect();
            let prefix = service.scope_name();
            let catalog: Vec<Op> = Op::ALL
                .iter()
                .copied()
                .filter(|op| op.doors().api() && op.service() == prefix)
                .collect();
            assert_eq!(
                served, catalog,
                "{prefix}: the table and the catalog disagree"
            );
        }
    }

    #[test]
    fn every_operation_declares_its_members_once() {
        for service in [Service::Iam, Service::Sts] {
            for entry in members(service) {
                let mut all: Vec<&str> = entry.reads.iter().chain(entry.refuses).copied().collect();
                let count = all.len();
                all.sort();
                all.dedup();
                assert_eq!(all.len(), count, "{:?} declares a member twice", entry.op);
            }
        }
    }
}
