//! The catalog of operations: every operation Ferriam performs, declared once with its name,
//! the IAM action it is authorized as, what its resource names, which front doors serve it and
//! whether it writes. The Query API dispatches by it, the service authorizes and audits by it,
//! and console pages gate their buttons by it; nothing else spells an action.

use std::fmt;

/// Whether an operation changes anything (only a write may open a write transaction).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    Read,
    Write,
}

/// The front doors that serve an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Doors {
    /// The console and the Query API.
    Both,
    /// Only the Query API (the console has no page for it yet).
    Api,
    /// Only the console (Ferriam's own operations, with no AWS API counterpart).
    Console,
    /// No door: an action authorized only as part of other operations (`sts:TagSession`).
    Within,
    /// Only the command line and Ferriam's own endpoints (workload tokens and the credentials
    /// they buy): Ferriam's operations with no AWS API counterpart and no console page yet.
    Operator,
}

impl Doors {
    pub fn api(self) -> bool {
        matches!(self, Doors::Both | Doors::Api)
    }

    pub fn console(self) -> bool {
        matches!(self, Doors::Both | Doors::Console)
    }
}

/// What the resource an operation is authorized on names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// An IAM user (or, for the root user's own credentials, the account root).
    User,
    Group,
    Role,
    /// A customer managed policy (or an AWS managed one, for reads and attachments).
    Policy,
    /// A virtual MFA device.
    MfaDevice,
    /// An OpenID Connect identity provider.
    OidcProvider,
    /// A SAML 2.0 identity provider.
    SamlProvider,
    /// An instance profile (`arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME`).
    InstanceProfile,
    /// A federated user (`arn:aws:sts::ACCOUNT:federated-user/NAME`).
    FederatedUser,
    /// A user, group or role (the simulator's policy source).
    Entity,
    /// No resource-level permissions: the action is authorized on `*`.
    Unscoped,
}

impl Resource {
    /// Whether `arn` is a resource of this kind (a path prefix such as `…:user/` names all of
    /// them, as the list operations do).
    pub fn admits(self, arn: &str) -> bool {
        if self == Resource::FederatedUser {
            return arn
                .strip_prefix("arn:aws:sts::")
                .and_then(|rest| rest.split_once(':'))
                .is_some_and(|(_, resource)| resource.starts_with("federated-user/"));
        }
        let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
            return arn == "*" && self == Resource::Unscoped;
        };
        let Some((_, resource)) = rest.split_once(':') else {
            return false;
        };
        let is = |prefix: &str| resource.starts_with(prefix);
        match self {
            Resource::User => is("user/") || resource == "root",
            Resource::Group => is("group/"),
            Resource::Role => is("role/"),
            Resource::Policy => is("policy/"),
            Resource::MfaDevice => is("mfa/"),
            Resource::OidcProvider => is("oidc-provider/"),
            Resource::SamlProvider => is("saml-provider/"),
            Resource::InstanceProfile => is("instance-profile/"),
            Resource::FederatedUser => false,
            Resource::Entity => is("user/") || is("group/") || is("role/"),
            Resource::Unscoped => false,
        }
    }
}

/// One operation of the catalog. Compare and pass them by value: `Op::CreateUser`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Op {
    name: &'static str,
    action: &'static str,
    access: Access,
    doors: Doors,
    resource: Resource,
}

impl Op {
    /// The operation's name, as the Query API's `Action` parameter spells it.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// The IAM action it is authorized and audited as (`iam:CreateUser`).
    pub fn action(self) -> &'static str {
        self.action
    }

    /// The action's service prefix (`iam`, `sts`, `cloudtrail`).
    pub fn service(self) -> &'static str {
        self.action
            .split_once(':')
            .map_or("", |(service, _)| service)
    }

    pub fn access(self) -> Access {
        self.access
    }

    pub fn doors(self) -> Doors {
        self.doors
    }

    pub fn resource(self) -> Resource {
        self.resource
    }

    /// The catalog entry authorized as `action` (`iam:CreateUser`; the service prefix in any
    /// case, as policies match it). Of two entries sharing an action, the first.
    pub fn by_action(action: &str) -> Option<Op> {
        let (service, name) = action.split_once(':')?;
        Op::ALL.iter().copied().find(|op| {
            op.action
                .split_once(':')
                .is_some_and(|(s, n)| s.eq_ignore_ascii_case(service) && n == name)
        })
    }

    /// The catalog entry the Query API serves as `name` for `service` (`iam` or `sts`).
    pub fn api(service: &str, name: &str) -> Option<Op> {
        Op::ALL
            .iter()
            .copied()
            .find(|op| op.doors.api() && op.service() == service && op.name == name)
    }
}

impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.action)
    }
}

/// `Name: "service" access doors resource [as "service:Action"]` — the action is
/// `service:Name` unless given.
macro_rules! catalog {
    ($($name:ident: $service:literal $access:ident $doors:ident $resource:ident $(as $action:literal)?;)*) => {
        #[allow(non_upper_case_globals)]
        impl Op {
            $(pub const $name: Op = Op {
                name: stringify!($name),
                action: catalog!(@action $service $name $($action)?),
                access: Access::$access,
                doors: Doors::$doors,
                resource: Resource::$resource,
            };)*

            /// Every operation, in declaration order.
            pub const ALL: &'static [Op] = &[$(Op::$name),*];
        }
    };
    (@action $service:literal $name:ident) => { concat!($service, ":", stringify!($name)) };
    (@action $service:literal $name:ident $action:literal) => { $action };
}

catalog! {
    // Users
    CreateUser: "iam" Write Both User;
    GetUser: "iam" Read Both User;
    ListUsers: "iam" Read Both User;
    UpdateUser: "iam" Write Both User;
    DeleteUser: "iam" Write Both User;
    TagUser: "iam" Write Both User;
    UntagUser: "iam" Write Both User;
    ListUserTags: "iam" Read Both User;
    PutUserPermissionsBoundary: "iam" Write Both User;
    DeleteUserPermissionsBoundary: "iam" Write Both User;
    // Groups
    CreateGroup: "iam" Write Both Group;
    GetGroup: "iam" Read Both Group;
    ListGroups: "iam" Read Both Group;
    UpdateGroup: "iam" Write Both Group;
    DeleteGroup: "iam" Write Both Group;
    AddUserToGroup: "iam" Write Both Group;
    RemoveUserFromGroup: "iam" Write Both Group;
    ListGroupsForUser: "iam" Read Both User;
    // Roles
    CreateRole: "iam" Write Both Role;
    GetRole: "iam" Read Both Role;
    ListRoles: "iam" Read Both Role;
    UpdateRole: "iam" Write Both Role;
    UpdateRoleDescription: "iam" Write Both Role;
    UpdateAssumeRolePolicy: "iam" Write Both Role;
    DeleteRole: "iam" Write Both Role;
    TagRole: "iam" Write Both Role;
    UntagRole: "iam" Write Both Role;
    ListRoleTags: "iam" Read Both Role;
    PutRolePermissionsBoundary: "iam" Write Both Role;
    DeleteRolePermissionsBoundary: "iam" Write Both Role;
    // Managed policies
    CreatePolicy: "iam" Write Both Policy;
    GetPolicy: "iam" Read Both Policy;
    ListPolicies: "iam" Read Both Policy;
    DeletePolicy: "iam" Write Both Policy;
    CreatePolicyVersion: "iam" Write Both Policy;
    GetPolicyVersion: "iam" Read Both Policy;
    ListPolicyVersions: "iam" Read Both Policy;
    DeletePolicyVersion: "iam" Write Both Policy;
    SetDefaultPolicyVersion: "iam" Write Both Policy;
    ListEntitiesForPolicy: "iam" Read Api Policy;
    // Attachments
    AttachUserPolicy: "iam" Write Both User;
    AttachGroupPolicy: "iam" Write Both Group;
    AttachRolePolicy: "iam" Write Both Role;
    DetachUserPolicy: "iam" Write Both User;
    DetachGroupPolicy: "iam" Write Both Group;
    DetachRolePolicy: "iam" Write Both Role;
    ListAttachedUserPolicies: "iam" Read Both User;
    ListAttachedGroupPolicies: "iam" Read Both Group;
    ListAttachedRolePolicies: "iam" Read Both Role;
    // Inline policies
    PutUserPolicy: "iam" Write Both User;
    PutGroupPolicy: "iam" Write Both Group;
    PutRolePolicy: "iam" Write Both Role;
    GetUserPolicy: "iam" Read Both User;
    GetGroupPolicy: "iam" Read Both Group;
    GetRolePolicy: "iam" Read Both Role;
    ListUserPolicies: "iam" Read Both User;
    ListGroupPolicies: "iam" Read Both Group;
    ListRolePolicies: "iam" Read Both Role;
    DeleteUserPolicy: "iam" Write Both User;
    DeleteGroupPolicy: "iam" Write Both Group;
    DeleteRolePolicy: "iam" Write Both Role;
    // Credentials
    CreateAccessKey: "iam" Write Both User;
    ListAccessKeys: "iam" Read Both User;
    UpdateAccessKey: "iam" Write Both User;
    DeleteAccessKey: "iam" Write Both User;
    GetAccessKeyLastUsed: "iam" Read Both User;
    CreateLoginProfile: "iam" Write Both User;
    GetLoginProfile: "iam" Read Both User;
    UpdateLoginProfile: "iam" Write Both User;
    DeleteLoginProfile: "iam" Write Both User;
    ChangePassword: "iam" Write Both User;
    GetAccountPasswordPolicy: "iam" Read Both Unscoped;
    UpdateAccountPasswordPolicy: "iam" Write Both Unscoped;
    DeleteAccountPasswordPolicy: "iam" Write Both Unscoped;
    // MFA
    CreateVirtualMFADevice: "iam" Write Both MfaDevice;
    EnableMFADevice: "iam" Write Both User;
    ResyncMFADevice: "iam" Write Both User;
    DeactivateMFADevice: "iam" Write Both User;
    DeleteVirtualMFADevice: "iam" Write Both MfaDevice;
    ListMFADevices: "iam" Read Both User;
    ListVirtualMFADevices: "iam" Read Both MfaDevice;
    // Account
    CreateAccountAlias: "iam" Write Both Unscoped;
    DeleteAccountAlias: "iam" Write Both Unscoped;
    ListAccountAliases: "iam" Read Both Unscoped;
    GetAccountSummary: "iam" Read Api Unscoped;
    GetAccountAuthorizationDetails: "iam" Read Api Unscoped;
    // Identity providers
    CreateOpenIDConnectProvider: "iam" Write Both OidcProvider;
    GetOpenIDConnectProvider: "iam" Read Both OidcProvider;
    ListOpenIDConnectProviders: "iam" Read Both Unscoped;
    DeleteOpenIDConnectProvider: "iam" Write Both OidcProvider;
    UpdateOpenIDConnectProviderThumbprint: "iam" Write Both OidcProvider;
    AddClientIDToOpenIDConnectProvider: "iam" Write Both OidcProvider;
    RemoveClientIDFromOpenIDConnectProvider: "iam" Write Both OidcProvider;
    TagOpenIDConnectProvider: "iam" Write Both OidcProvider;
    UntagOpenIDConnectProvider: "iam" Write Both OidcProvider;
    ListOpenIDConnectProviderTags: "iam" Read Api OidcProvider;
    CreateSAMLProvider: "iam" Write Both SamlProvider;
    GetSAMLProvider: "iam" Read Both SamlProvider;
    ListSAMLProviders: "iam" Read Both Unscoped;
    UpdateSAMLProvider: "iam" Write Both SamlProvider;
    DeleteSAMLProvider: "iam" Write Both SamlProvider;
    TagSAMLProvider: "iam" Write Api SamlProvider;
    UntagSAMLProvider: "iam" Write Api SamlProvider;
    ListSAMLProviderTags: "iam" Read Api SamlProvider;
    // Instance profiles
    CreateInstanceProfile: "iam" Write Api InstanceProfile;
    GetInstanceProfile: "iam" Read Api InstanceProfile;
    DeleteInstanceProfile: "iam" Write Api InstanceProfile;
    ListInstanceProfiles: "iam" Read Api InstanceProfile;
    ListInstanceProfilesForRole: "iam" Read Api Role;
    AddRoleToInstanceProfile: "iam" Write Api InstanceProfile;
    RemoveRoleFromInstanceProfile: "iam" Write Api InstanceProfile;
    TagInstanceProfile: "iam" Write Api InstanceProfile;
    UntagInstanceProfile: "iam" Write Api InstanceProfile;
    ListInstanceProfileTags: "iam" Read Api InstanceProfile;
    // Checked when a role is handed to a workload (AddRoleToInstanceProfile, workload tokens).
    PassRole: "iam" Write Within Role;
    // Workload tokens (Ferriam's own actions): an application holding one gets the profile's
    // role credentials from GET /workload/credentials, audited as the role's AssumeRole.
    CreateWorkloadToken: "iam" Write Operator InstanceProfile;
    ListWorkloadTokens: "iam" Read Operator InstanceProfile;
    DeleteWorkloadToken: "iam" Write Operator InstanceProfile;
    GetWorkloadCredentials: "sts" Write Operator Role as "sts:AssumeRole";
    // Simulation
    SimulateCustomPolicy: "iam" Read Both Unscoped;
    SimulatePrincipalPolicy: "iam" Read Api Entity;
    GetContextKeysForCustomPolicy: "iam" Read Api Unscoped;
    GetContextKeysForPrincipalPolicy: "iam" Read Api Entity;
    // STS
    GetCallerIdentity: "sts" Read Api Unscoped;
    GetAccessKeyInfo: "sts" Read Api Unscoped;
    GetSessionToken: "sts" Write Both Unscoped;
    AssumeRole: "sts" Write Both Role;
    AssumeRoleWithWebIdentity: "sts" Write Api Role;
    AssumeRoleWithSAML: "sts" Write Api Role;
    GetFederationToken: "sts" Write Api FederatedUser;
    // Checked when a session gets tags (AssumeRoleWithWebIdentity, AssumeRoleWithSAML,
    // GetFederationToken).
    TagSession: "sts" Write Within Role;
    // Checked when a session gets a source identity (AssumeRoleWithSAML's SourceIdentity).
    SetSourceIdentity: "sts" Write Within Role;
    // The console's own: a user's console sessions, read and ended with the permissions that
    // govern its password; the audit log, read as CloudTrail's LookupEvents.
    ListConsoleSessions: "iam" Read Console User as "iam:GetLoginProfile";
    EndConsoleSessions: "iam" Write Console User as "iam:DeleteLoginProfile";
    LookupEvents: "cloudtrail" Read Console Unscoped;
    // Console single sign-on through a provider: set up as creating a provider is authorized
    // (both open a way into the account), taken down as deleting one.
    SetOpenIDConnectProviderConsoleSignIn: "iam" Write Console OidcProvider as "iam:CreateOpenIDConnectProvider";
    RemoveOpenIDConnectProviderConsoleSignIn: "iam" Write Console OidcProvider as "iam:DeleteOpenIDConnectProvider";
}

/// The operations users, groups and roles each have, as `[user, group, role]` (pick one with
/// `EntityKind::pick`).
pub const CREATE_ENTITY: [Op; 3] = [Op::CreateUser, Op::CreateGroup, Op::CreateRole];
pub const DELETE_ENTITY: [Op; 3] = [Op::DeleteUser, Op::DeleteGroup, Op::DeleteRole];
pub const UPDATE_ENTITY: [Op; 3] = [Op::UpdateUser, Op::UpdateGroup, Op::UpdateRole];
pub const ATTACH_POLICY: [Op; 3] = [
    Op::AttachUserPolicy,
    Op::AttachGroupPolicy,
    Op::AttachRolePolicy,
];
pub const DETACH_POLICY: [Op; 3] = [
    Op::DetachUserPolicy,
    Op::DetachGroupPolicy,
    Op::DetachRolePolicy,
];
pub const PUT_POLICY: [Op; 3] = [Op::PutUserPolicy, Op::PutGroupPolicy, Op::PutRolePolicy];
pub const DELETE_POLICY: [Op; 3] = [
    Op::DeleteUserPolicy,
    Op::DeleteGroupPolicy,
    Op::DeleteRolePolicy,
];
pub const LIST_ATTACHED_POLICIES: [Op; 3] = [
    Op::ListAttachedUserPolicies,
    Op::ListAttachedGroupPolicies,
    Op::ListAttachedRolePolicies,
];
pub const GET_POLICY: [Op; 3] = [Op::GetUserPolicy, Op::GetGroupPolicy, Op::GetRolePolicy];
pub const LIST_POLICIES: [Op; 3] = [
    Op::ListUserPolicies,
    Op::ListGroupPolicies,
    Op::ListRolePolicies,
];
/// Groups have no tags or boundary: their slots repeat the user's and are never asked.
pub const TAG: [Op; 3] = [Op::TagUser, Op::TagUser, Op::TagRole];
pub const UNTAG: [Op; 3] = [Op::UntagUser, Op::UntagUser, Op::UntagRole];
pub const LIST_TAGS: [Op; 3] = [Op::ListUserTags, Op::ListUserTags, Op::ListRoleTags];
pub const PUT_BOUNDARY: [Op; 3] = [
    Op::PutUserPermissionsBoundary,
    Op::PutUserPermissionsBoundary,
    Op::PutRolePermissionsBoundary,
];
pub const DELETE_BOUNDARY: [Op; 3] = [
    Op::DeleteUserPermissionsBoundary,
    Op::DeleteUserPermissionsBoundary,
    Op::DeleteRolePermissionsBoundary,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_actions_are_unique() {
        let mut names: Vec<(&str, &str)> =
            Op::ALL.iter().map(|op| (op.service(), op.name())).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn actions_are_service_and_name_unless_declared() {
        assert_eq!(Op::CreateUser.action(), "iam:CreateUser");
        assert_eq!(Op::AssumeRole.action(), "sts:AssumeRole");
        assert_eq!(Op::ListConsoleSessions.action(), "iam:GetLoginProfile");
        assert_eq!(Op::LookupEvents.service(), "cloudtrail");
    }

    #[test]
    fn the_api_finds_only_what_it_serves() {
        assert_eq!(Op::api("iam", "CreateUser"), Some(Op::CreateUser));
        assert_eq!(Op::api("sts", "CreateUser"), None);
        assert_eq!(Op::api("iam", "ListConsoleSessions"), None);
        assert_eq!(
            Op::api("sts", "GetCallerIdentity"),
            Some(Op::GetCallerIdentity)
        );
    }

    #[test]
    fn each_kind_picks_its_own_operation() {
        use crate::domain::EntityKind;
        assert_eq!(EntityKind::User.pick(ATTACH_POLICY), Op::AttachUserPolicy);
        assert_eq!(
            EntityKind::Role.pick(DELETE_BOUNDARY),
            Op::DeleteRolePermissionsBoundary
        );
        assert_eq!(EntityKind::Group.pick(PUT_POLICY), Op::PutGroupPolicy);
    }

    #[test]
    fn resources_admit_their_own_kind() {
        let account = "arn:aws:iam::123456789012:";
        assert!(Resource::User.admits(&format!("{account}user/team/alice")));
        assert!(Resource::User.admits(&format!("{account}root")));
        assert!(!Resource::User.admits(&format!("{account}role/app")));
        assert!(Resource::Entity.admits(&format!("{account}group/devs")));
        assert!(Resource::Unscoped.admits("*"));
        assert!(!Resource::Policy.admits("*"));
    }
}
