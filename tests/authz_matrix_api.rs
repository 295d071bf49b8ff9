//! The authorization matrix of the Query API: every action of the IAM and STS dispatch tables,
//! each in a fresh world with the fixtures it needs, called (a) unsigned, (b) by an IAM user
//! without permissions and (c) by an IAM user whose policy allows exactly that action. A table
//! action without a row, or a row without a table action, fails the test. The refused calls
//! (a) and (b) must leave every table as it was.

mod common;

use common::doors;

use ferriam::server::service::entities::boundaries;
use ferriam::server::service::entities::tagging;
use ferriam::server::service::federation::oidc_providers;
use ferriam::server::service::federation::saml::providers as saml_providers;
use ferriam::server::service::workloads::instance_profiles;
use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::fixtures::{seed_of, tag};
use common::http::{form, post, send, signed, Answer, NOW};
use common::snapshot::{differences, snapshot};
use common::{test_iam, TestIam, ACCOUNT};
use ferriam::catalog::{Op, Resource};
use ferriam::domain::password_policy::PasswordPolicy;
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::server::query_api::dispatch;
use ferriam::server::query_api::Service;
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::iam::Settings;
use ferriam::server::service::{
    account::alias, credentials::access_keys, credentials::mfa, credentials::passwords,
    entities::groups, policies, policies::attachments, policies::inline, Caller,
};

const NOBODY_KEY: &str = "AKIANOBODYKEY0000001";
const NOBODY_SECRET: &str = "nobodySecretKeyForTheMatrixTests00000000";
const ALLOWED_KEY: &str = "AKIAALLOWEDKEY000001";
const ALLOWED_SECRET: &str = "allowedSecretKeyForTheMatrixTests0000000";
const ALICE_KEY: &str = "AKIAALICEKEY00000001";
const ALICE_SECRET: &str = "aliceSecretKeyForTheMatrixTests000000000";
const CALLER_PASSWORD: &str = "Caller-password-1";
const POL: &str = "arn:aws:iam::123456789012:policy/Pol";
const TRUST_ACCOUNT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

/// What an IAM user without permissions gets.
#[derive(Debug)]
enum Denied {
    /// AccessDenied: no identity-based policy allows the action on this resource (an entity
    /// the call names is `user NAME`, as AWS names it, never with its path).
    On(&'static str),
    /// AccessDenied in these words: AssumeRole's without a reason, as AWS's (the reason would
    /// tell how the role's trust is set up, or that there is no role); GetAccessKeyLastUsed's
    /// naming the key, not its owner (which would tell that the key exists, and whose it is).
    Sentence(&'static str),
    /// AccessDenied for an action without resource-level permissions: AWS's sentence names
    /// no resource.
    Unscoped,
    /// AWS asks for no permission: the call succeeds.
    NotNeeded(&'static str),
    /// Served unsigned, decided by the token the request carries, never by who signed it: all
    /// three calls get this error code for a token that does not verify, and change nothing.
    TokenDecides(&'static str),
}

/// Extra fixtures a row needs beyond the common world.
#[derive(Clone, Copy, PartialEq)]
enum Setup {
    /// The account has the alias `acme`.
    Alias,
    /// The account has a password policy.
    PasswordPolicy,
    /// The two calling users have passwords (`CALLER_PASSWORD`).
    CallerPasswords,
    /// The allowed user may pass roles (`iam:PassRole`), which giving a role to an instance
    /// profile needs besides the operation's own action.
    PassRole,
}

struct Row {
    service: &'static str,
    action: &'static str,
    /// Form parameters after `Action` and `Version`; `{enable1}`/`{enable2}` and
    /// `{resync1}`/`{resync2}` are replaced by TOTP codes of bob's and alice's devices.
    params: &'static str,
    denied: Denied,
    setup: &'static [Setup],
}

const fn iam(action: &'static str, params: &'static str, denied: Denied) -> Row {
    Row {
        service: "iam",
        action,
        params,
        denied,
        setup: &[],
    }
}

const fn with(mut row: Row, setup: &'static [Setup]) -> Row {
    row.setup = setup;
    row
}

use Denied::{NotNeeded, On, Sentence, TokenDecides, Unscoped};

const OIDC: &str = "arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2Foidc.example.com";
const OIDC_ARN: &str = "arn:aws:iam::123456789012:oidc-provider/oidc.example.com";

const U: &str = "arn:aws:iam::123456789012:user/";

const SAML: &str = "SAMLProviderArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Asaml-provider%2Fcorp";
const SAML_ARN: &str = "arn:aws:iam::123456789012:saml-provider/corp";
const SAML_METADATA: &str = include_str!("data/saml/idp-metadata.xml");

/// The fixture's SAML provider's ARN (`SAMLProviderArn=…`) followed by `rest`.
fn saml(rest: &str) -> &'static str {
    Box::leak(format!("{SAML}{rest}").into_boxed_str())
}

/// `rest` followed by `&SAMLMetadataDocument=<the fixture's metadata>`.
fn with_metadata(rest: &str) -> &'static str {
    let document: String = form_urlencoded::byte_serialize(SAML_METADATA.as_bytes()).collect();
    Box::leak(format!("{rest}&SAMLMetadataDocument={document}").into_boxed_str())
}

/// `OpenIDConnectProviderArn=<the fixture's provider>` followed by `rest`.
fn const_format(arn: &str, rest: &str) -> &'static str {
    Box::leak(format!("OpenIDConnectProviderArn={arn}{rest}").into_boxed_str())
}

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    vec![
        // Users
        iam("CreateUser", "UserName=dave", On("arn:aws:iam::123456789012:user/dave")),
        iam("GetUser", "UserName=alice", On("user alice")),
        iam("ListUsers", "", On("arn:aws:iam::123456789012:user/")),
        iam("UpdateUser", "UserName=alice&NewPath=%2Fteam%2F", On("user alice")),
        iam("DeleteUser", "UserName=carol", On("user carol")),
        iam("TagUser", "UserName=alice&Tags.member.1.Key=env&Tags.member.1.Value=prod", On("user alice")),
        iam("UntagUser", "UserName=alice&TagKeys.member.1=team", On("user alice")),
        iam("ListUserTags", "UserName=alice", On("user alice")),
        iam("PutUserPermissionsBoundary", "UserName=bob&PermissionsBoundary=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On("user bob")),
        iam("DeleteUserPermissionsBoundary", "UserName=alice", On("user alice")),
        // Groups
        iam("CreateGroup", "GroupName=ops", On("arn:aws:iam::123456789012:group/ops")),
        iam("GetGroup", "GroupName=devs", On("group devs")),
        iam("ListGroups", "", On("arn:aws:iam::123456789012:group/")),
        iam("UpdateGroup", "GroupName=devs&NewGroupName=engineers", On("group devs")),
        iam("DeleteGroup", "GroupName=empty", On("group empty")),
        iam("AddUserToGroup", "GroupName=devs&UserName=bob", On("group devs")),
        iam("RemoveUserFromGroup", "GroupName=devs&UserName=alice", On("group devs")),
        iam("ListGroupsForUser", "UserName=alice", On("user alice")),
        // Roles
        iam("CreateRole", "RoleName=worker&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D", On("arn:aws:iam::123456789012:role/worker")),
        iam("GetRole", "RoleName=app", On("role app")),
        iam("ListRoles", "", On("arn:aws:iam::123456789012:role/")),
        iam("UpdateRole", "RoleName=app&Description=updated", On("role app")),
        iam("UpdateRoleDescription", "RoleName=app&Description=updated", On("role app")),
        iam("UpdateAssumeRolePolicy", "RoleName=app&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D", On("role app")),
        iam("DeleteRole", "RoleName=spare", On("role spare")),
        iam("TagRole", "RoleName=app&Tags.member.1.Key=env&Tags.member.1.Value=prod", On("role app")),
        iam("UntagRole", "RoleName=app&TagKeys.member.1=team", On("role app")),
        iam("ListRoleTags", "RoleName=app", On("role app")),
        iam("PutRolePermissionsBoundary", "RoleName=spare&PermissionsBoundary=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On("role spare")),
        iam("DeleteRolePermissionsBoundary", "RoleName=app", On("role app")),
        // Managed policies
        iam("CreatePolicy", "PolicyName=New&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D", On("arn:aws:iam::123456789012:policy/New")),
        iam("GetPolicy", "PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On(POL)),
        iam("ListPolicies", "", On("arn:aws:iam::123456789012:policy/")),
        iam("DeletePolicy", "PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FSpare", On("arn:aws:iam::123456789012:policy/Spare")),
        iam("CreatePolicyVersion", "PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D", On(POL)),
        iam("GetPolicyVersion", "PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol&VersionId=v2", On(POL)),
        iam("ListPolicyVersions", "PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On(POL)),
        iam("DeletePolicyVersion", "PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol&VersionId=v2", On(POL)),
        iam("SetDefaultPolicyVersion", "PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol&VersionId=v2", On(POL)),
        iam("ListEntitiesForPolicy", "PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On(POL)),
        // Attachments
        iam("AttachUserPolicy", "UserName=bob&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On("user bob")),
        iam("AttachGroupPolicy", "GroupName=empty&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On("group empty")),
        iam("AttachRolePolicy", "RoleName=spare&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On("role spare")),
        iam("DetachUserPolicy", "UserName=alice&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On("user alice")),
        iam("DetachGroupPolicy", "GroupName=devs&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On("group devs")),
        iam("DetachRolePolicy", "RoleName=app&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FPol", On("role app")),
        iam("ListAttachedUserPolicies", "UserName=alice", On("user alice")),
        iam("ListAttachedGroupPolicies", "GroupName=devs", On("group devs")),
        iam("ListAttachedRolePolicies", "RoleName=app", On("role app")),
        // Inline policies
        iam("PutUserPolicy", "UserName=bob&PolicyName=extra&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D", On("user bob")),
        iam("PutGroupPolicy", "GroupName=empty&PolicyName=extra&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D", On("group empty")),
        iam("PutRolePolicy", "RoleName=spare&PolicyName=extra&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D", On("role spare")),
        iam("GetUserPolicy", "UserName=alice&PolicyName=alice-inline", On("user alice")),
        iam("GetGroupPolicy", "GroupName=devs&PolicyName=devs-inline", On("group devs")),
        iam("GetRolePolicy", "RoleName=app&PolicyName=app-inline", On("role app")),
        iam("ListUserPolicies", "UserName=alice", On("user alice")),
        iam("ListGroupPolicies", "GroupName=devs", On("group devs")),
        iam("ListRolePolicies", "RoleName=app", On("role app")),
        iam("DeleteUserPolicy", "UserName=alice&PolicyName=alice-inline", On("user alice")),
        iam("DeleteGroupPolicy", "GroupName=devs&PolicyName=devs-inline", On("group devs")),
        iam("DeleteRolePolicy", "RoleName=app&PolicyName=app-inline", On("role app")),
        // Credentials. An IAM user manages even its own keys, password and MFA only when a
        // policy allows it (AWS's IAMUserChangePassword / self-manage policies grant exactly
        // that); the one exception, ChangePassword under the account's "allow users to change
        // their own password", has its own service test.
        iam("CreateAccessKey", "UserName=alice", On("user alice")),
        iam("ListAccessKeys", "UserName=alice", On("user alice")),
        iam("UpdateAccessKey", "UserName=alice&AccessKeyId=AKIAALICEKEY00000001&Status=Inactive", On("user alice")),
        iam("DeleteAccessKey", "UserName=alice&AccessKeyId=AKIAALICEKEY00000001", On("user alice")),
        iam("GetAccessKeyLastUsed", "AccessKeyId=AKIAALICEKEY00000001", Sentence("User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key AKIAALICEKEY00000001")),
        iam("CreateLoginProfile", "UserName=bob&Password=Bob-password-123", On("user bob")),
        iam("GetLoginProfile", "UserName=alice", On("user alice")),
        iam("UpdateLoginProfile", "UserName=alice&Password=Alice-password-456", On("user alice")),
        iam("DeleteLoginProfile", "UserName=alice", On("user alice")),
        with(iam("ChangePassword", "OldPassword=Caller-password-1&NewPassword=Caller-password-2", On("arn:aws:iam::123456789012:user/nobody")), &[Setup::CallerPasswords]),
        with(iam("GetAccountPasswordPolicy", "", Unscoped), &[Setup::PasswordPolicy]),
        iam("UpdateAccountPasswordPolicy", "MinimumPasswordLength=12", Unscoped),
        with(iam("DeleteAccountPasswordPolicy", "", Unscoped), &[Setup::PasswordPolicy]),
        // MFA
        iam("CreateVirtualMFADevice", "VirtualMFADeviceName=new-mfa", On("arn:aws:iam::123456789012:mfa/new-mfa")),
        iam("EnableMFADevice", "UserName=bob&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fbob-mfa&AuthenticationCode1={enable1}&AuthenticationCode2={enable2}", On("user bob")),
        iam("ResyncMFADevice", "UserName=alice&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice-mfa&AuthenticationCode1={resync1}&AuthenticationCode2={resync2}", On("user alice")),
        iam("DeactivateMFADevice", "UserName=alice&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice-mfa", On("user alice")),
        iam("DeleteVirtualMFADevice", "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fbob-mfa", On("arn:aws:iam::123456789012:mfa/bob-mfa")),
        iam("ListMFADevices", "UserName=alice", On("user alice")),
        iam("ListVirtualMFADevices", "", On("arn:aws:iam::123456789012:mfa/")),
        // Account
        iam("CreateAccountAlias", "AccountAlias=acme-corp", Unscoped),
        with(iam("DeleteAccountAlias", "AccountAlias=acme", Unscoped), &[Setup::Alias]),
        iam("ListAccountAliases", "", Unscoped),
        iam("GetAccountSummary", "", Unscoped),
        iam("GetAccountAuthorizationDetails", "", Unscoped),
        // Identity providers
        iam("CreateOpenIDConnectProvider", "Url=https%3A%2F%2Fnew.example.com&ClientIDList.member.1=app", On("arn:aws:iam::123456789012:oidc-provider/new.example.com")),
        iam("GetOpenIDConnectProvider", const_format(OIDC, ""), On(OIDC_ARN)),
        iam("ListOpenIDConnectProviders", "", Unscoped),
        iam("DeleteOpenIDConnectProvider", const_format(OIDC, ""), On(OIDC_ARN)),
        iam("UpdateOpenIDConnectProviderThumbprint", const_format(OIDC, "&ThumbprintList.member.1=9e99a48a9960b14926bb7f3b02e22da2b0ab7280"), On(OIDC_ARN)),
        iam("AddClientIDToOpenIDConnectProvider", const_format(OIDC, "&ClientID=other"), On(OIDC_ARN)),
        iam("RemoveClientIDFromOpenIDConnectProvider", const_format(OIDC, "&ClientID=app"), On(OIDC_ARN)),
        iam("TagOpenIDConnectProvider", const_format(OIDC, "&Tags.member.1.Key=env&Tags.member.1.Value=prod"), On(OIDC_ARN)),
        iam("UntagOpenIDConnectProvider", const_format(OIDC, "&TagKeys.member.1=team"), On(OIDC_ARN)),
        iam("ListOpenIDConnectProviderTags", const_format(OIDC, ""), On(OIDC_ARN)),
        iam("CreateSAMLProvider", with_metadata("Name=new-idp"), On("arn:aws:iam::123456789012:saml-provider/new-idp")),
        iam("GetSAMLProvider", saml(""), On(SAML_ARN)),
        iam("ListSAMLProviders", "", Unscoped),
        iam("UpdateSAMLProvider", with_metadata(SAML), On(SAML_ARN)),
        iam("DeleteSAMLProvider", saml(""), On(SAML_ARN)),
        iam("TagSAMLProvider", saml("&Tags.member.1.Key=env&Tags.member.1.Value=prod"), On(SAML_ARN)),
        iam("UntagSAMLProvider", saml("&TagKeys.member.1=team"), On(SAML_ARN)),
        iam("ListSAMLProviderTags", saml(""), On(SAML_ARN)),
        // Simulation
        iam("SimulateCustomPolicy", "PolicyInputList.member.1=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D&ActionNames.member.1=s3%3AGetObject", Unscoped),
        iam("SimulatePrincipalPolicy", "PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Falice&ActionNames.member.1=s3%3AGetObject", On("arn:aws:iam::123456789012:user/alice")),
        iam("GetContextKeysForCustomPolicy", "PolicyInputList.member.1=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D", Unscoped),
        iam("GetContextKeysForPrincipalPolicy", "PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Falice", On("arn:aws:iam::123456789012:user/alice")),
        // Instance profiles
        iam("CreateInstanceProfile", "InstanceProfileName=new-profile&Path=%2Fweb%2F", On("arn:aws:iam::123456789012:instance-profile/web/new-profile")),
        iam("GetInstanceProfile", "InstanceProfileName=web", On("instance profile web")),
        iam("DeleteInstanceProfile", "InstanceProfileName=spare-profile", On("instance profile spare-profile")),
        iam("ListInstanceProfiles", "", On("arn:aws:iam::123456789012:instance-profile/")),
        iam("ListInstanceProfilesForRole", "RoleName=app", On("role app")),
        with(iam("AddRoleToInstanceProfile", "InstanceProfileName=idle&RoleName=spare", On("instance profile idle")), &[Setup::PassRole]),
        iam("RemoveRoleFromInstanceProfile", "InstanceProfileName=web&RoleName=app", On("instance profile web")),
        iam("TagInstanceProfile", "InstanceProfileName=web&Tags.member.1.Key=env&Tags.member.1.Value=prod", On("instance profile web")),
        iam("UntagInstanceProfile", "InstanceProfileName=web&TagKeys.member.1=team", On("instance profile web")),
        iam("ListInstanceProfileTags", "InstanceProfileName=web", On("instance profile web")),
        // STS
        Row { service: "sts", action: "GetCallerIdentity", params: "", denied: NotNeeded("AWS: no permission is required to learn who you are"), setup: &[] },
        Row { service: "sts", action: "GetAccessKeyInfo", params: "AccessKeyId=AKIAALICEKEY00000001", denied: Unscoped, setup: &[] },
        Row { service: "sts", action: "GetSessionToken", params: "DurationSeconds=900", denied: NotNeeded("AWS: an IAM user needs no permission to get a session token"), setup: &[] },
        Row { service: "sts", action: "GetFederationToken", params: "Name=carol&Policy=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D", denied: On("arn:aws:sts::123456789012:federated-user/carol"), setup: &[] },
        Row { service: "sts", action: "AssumeRoleWithWebIdentity", params: "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp&RoleSessionName=matrix&WebIdentityToken=not.a.token", denied: TokenDecides("InvalidIdentityToken"), setup: &[] },
        Row { service: "sts", action: "AssumeRoleWithSAML", params: "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp&PrincipalArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Asaml-provider%2Fcorp&SAMLAssertion=bm90IGEgcmVzcG9uc2U%3D", denied: TokenDecides("InvalidIdentityToken"), setup: &[] },
        Row { service: "sts", action: "AssumeRole", params: "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp&RoleSessionName=matrix", denied: Sentence("User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/app"), setup: &[] },
    ]
}

struct World {
    t: TestIam,
    app: axum::Router,
    bob_seed: Vec<u8>,
    alice_seed: Vec<u8>,
}

/// Every entity the matrix's rows name, created by the root user.
async fn world(setup: &[Setup]) -> World {
    let t = test_iam(Settings::default()).await;
    let root = common::account(&t, ACCOUNT).await;
    let iam = &t.iam;
    let r = &root;
    for name in ["alice", "bob", "carol", "nobody", "allowed"] {
        common::iam_user(&t, r, name).await;
    }
    access_keys::import_access_key(iam, r, Some("nobody"), NOBODY_KEY, NOBODY_SECRET)
        .await
        .unwrap();
    access_keys::import_access_key(iam, r, Some("allowed"), ALLOWED_KEY, ALLOWED_SECRET)
        .await
        .unwrap();
    access_keys::import_access_key(iam, r, Some("alice"), ALICE_KEY, ALICE_SECRET)
        .await
        .unwrap();
    passwords::create_login_profile(iam, r, "alice", "Alice-password-123", false)
        .await
        .unwrap();
    common::managed_policy(&t, r, "Pol", DOC).await;
    common::managed_policy(&t, r, "Spare", DOC).await;
    policies::create_policy_version(iam, r, POL, DOC, false)
        .await
        .unwrap();
    tagging::tag(iam, r, EntityKind::User, "alice", vec![tag("team", "red")])
        .await
        .unwrap();
    boundaries::put_boundary(iam, r, EntityKind::User, "alice", POL)
        .await
        .unwrap();
    common::put_user_policy(&t, r, "alice", "alice-inline", DOC).await;
    doors::create_group(iam, r, "devs", None).await.unwrap();
    doors::create_group(iam, r, "empty", None).await.unwrap();
    groups::add_user_to_group(iam, r, "devs", "alice")
        .await
        .unwrap();
    inline::put_inline_policy(iam, r, EntityKind::Group, "devs", "devs-inline", DOC)
        .await
        .unwrap();
    common::fixtures::roles_and_attachments(&t, r, TRUST_ACCOUNT, POL, DOC).await;
    oidc_providers::create(
        iam,
        r,
        oidc_providers::CreateOidcProvider {
            url: "https://oidc.example.com".into(),
            client_ids: vec!["app".into()],
            thumbprints: Vec::new(),
            tags: vec![tag("team", "red")],
        },
    )
    .await
    .unwrap();
    saml_providers::create(
        iam,
        r,
        saml_providers::CreateSamlProvider {
            name: "corp".into(),
            metadata: SAML_METADATA.into(),
            tags: vec![tag("team", "red")],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for profile in ["web", "idle", "spare-profile"] {
        instance_profiles::create(
            iam,
            r,
            instance_profiles::CreateInstanceProfile {
                name: profile.into(),
                tags: vec![tag("team", "red")],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    instance_profiles::add_role(iam, r, "web", "app")
        .await
        .unwrap();
    // Alice's device is enabled with the two steps before now; bob's waits unassigned.
    let alice_mfa = mfa::create_virtual_mfa_device(iam, r, "alice-mfa", None)
        .await
        .unwrap();
    let alice_seed = seed_of(&alice_mfa.base32_seed);
    let now = step_at(iam.clock().now_seconds());
    mfa::enable_mfa_device(
        iam,
        r,
        Some("alice"),
        &alice_mfa.serial_number,
        &code_for_step(&alice_seed, now - 2).unwrap(),
        &code_for_step(&alice_seed, now - 1).unwrap(),
    )
    .await
    .unwrap();
    let bob_mfa = mfa::create_virtual_mfa_device(iam, r, "bob-mfa", None)
        .await
        .unwrap();
    if setup.contains(&Setup::Alias) {
        alias::create_account_alias(iam, r, "acme").await.unwrap();
    }
    if setup.contains(&Setup::PasswordPolicy) {
        passwords::update_account_password_policy(iam, r, PasswordPolicy::default())
            .await
            .unwrap();
    }
    if setup.contains(&Setup::PassRole) {
        common::put_user_policy(
            &t,
            r,
            "allowed",
            "pass",
            &common::allow("iam:PassRole", "*"),
        )
        .await;
    }
    if setup.contains(&Setup::CallerPasswords) {
        for name in ["nobody", "allowed"] {
            passwords::create_login_profile(iam, r, name, CALLER_PASSWORD, false)
                .await
                .unwrap();
        }
    }
    World {
        app: common::http::app(&t),
        bob_seed: seed_of(&bob_mfa.base32_seed),
        alice_seed,
        t,
    }
}

fn body(world: &World, row: &Row) -> String {
    let version = if row.service == "sts" {
        "2011-06-15"
    } else {
        "2010-05-08"
    };
    let now = step_at(world.t.iam.clock().now_seconds());
    let code = |seed: &[u8], step: u64| code_for_step(seed, step).unwrap();
    let params = row
        .params
        .replace("{enable1}", &code(&world.bob_seed, now - 1))
        .replace("{enable2}", &code(&world.bob_seed, now))
        .replace("{resync1}", &code(&world.alice_seed, now))
        .replace("{resync2}", &code(&world.alice_seed, now + 1));
    let mut body = format!("Action={}&Version={version}", row.action);
    if !params.is_empty() {
        body.push('&');
        body.push_str(&params);
    }
    body
}

fn error_code(answer: &Answer) -> String {
    answer.field("Code").unwrap_or_default()
}

/// Runs one row's three calls; returns what went wrong.
async fn check(row: &Row) -> Vec<String> {
    let world = world(row.setup).await;
    let body = body(&world, row);
    let name = format!("{}:{}", row.service, row.action);
    let mut problems = Vec::new();

    let before = snapshot(&world.t).await;
    let anonymous = send(&world.app, post(&body, None, NOW)).await;
    if let TokenDecides(code) = row.denied {
        for (who, answer) in [
            ("(a) unsigned", anonymous),
            (
                "(b) no permissions",
                send(
                    &world.app,
                    signed(NOBODY_KEY, NOBODY_SECRET, row.service, &body),
                )
                .await,
            ),
            (
                "(c) allowed",
                send(
                    &world.app,
                    signed(ALLOWED_KEY, ALLOWED_SECRET, row.service, &body),
                )
                .await,
            ),
        ] {
            if error_code(&answer) != code {
                problems.push(format!("{name} {who}: {} {}", answer.status, answer.body));
            }
        }
        let changed = differences(&before, &snapshot(&world.t).await);
        if !changed.is_empty() {
            problems.push(format!("{name} was refused yet changed {changed:?}"));
        }
        return problems;
    }
    if anonymous.status != StatusCode::FORBIDDEN
        || error_code(&anonymous) != "MissingAuthenticationToken"
    {
        problems.push(format!(
            "{name} (a) unsigned: {} {}",
            anonymous.status, anonymous.body
        ));
    }

    let nobody = send(
        &world.app,
        signed(NOBODY_KEY, NOBODY_SECRET, row.service, &body),
    )
    .await;
    let me = format!("{U}nobody");
    match &row.denied {
        NotNeeded(why) => {
            if nobody.status != StatusCode::OK {
                problems.push(format!("{name} (b) {why}: {}", nobody.body));
            }
        }
        denied => {
            let message = match denied {
                On(resource) => common::no_identity_allows(&me, &name, resource),
                Sentence(sentence) => sentence.to_string(),
                Unscoped => format!("User: {me} is not authorized to perform: {name} because no identity-based policy allows the {name} action"),
                NotNeeded(_) | TokenDecides(_) => unreachable!(),
            };
            let ok = nobody.status == StatusCode::FORBIDDEN
                && error_code(&nobody) == "AccessDenied"
                && nobody.field("Message").as_deref() == Some(message.as_str());
            if !ok {
                problems.push(format!(
                    "{name} (b) no permissions: {} {}\n    wanted: {message}",
                    nobody.status, nobody.body
                ));
            }
        }
    }

    if !matches!(row.denied, NotNeeded(_)) {
        let changed = differences(&before, &snapshot(&world.t).await);
        if !changed.is_empty() {
            problems.push(format!(
                "{name} (a)/(b) were refused yet changed {changed:?}"
            ));
        }
    }

    common::put_user_policy(
        &world.t,
        &root(),
        "allowed",
        "exactly-this",
        &common::allow(&name, "*"),
    )
    .await;
    let allowed = send(
        &world.app,
        signed(ALLOWED_KEY, ALLOWED_SECRET, row.service, &body),
    )
    .await;
    if allowed.status != StatusCode::OK
        || !allowed
            .body
            .starts_with(&format!("<{}Response xmlns=", row.action))
    {
        problems.push(format!(
            "{name} (c) allowed: {} {}",
            allowed.status, allowed.body
        ));
    }
    problems
}

fn root() -> Caller {
    Caller::local(ferriam::domain::Principal::root(
        ferriam::domain::AccountId::parse("AccountId", ACCOUNT).unwrap(),
    ))
}

#[tokio::test]
async fn every_action_has_exactly_one_row() {
    let served: BTreeSet<String> = [("iam", Service::Iam), ("sts", Service::Sts)]
        .into_iter()
        .flat_map(|(prefix, service)| {
            dispatch::operations(service).map(move |op| format!("{prefix}:{}", op.name()))
        })
        .collect();
    let rows = rows();
    let named: Vec<String> = rows
        .iter()
        .map(|row| format!("{}:{}", row.service, row.action))
        .collect();
    let unique: BTreeSet<String> = named.iter().cloned().collect();
    assert_eq!(unique.len(), named.len(), "an action has two rows");
    let missing: Vec<_> = served.difference(&unique).collect();
    let unknown: Vec<_> = unique.difference(&served).collect();
    assert!(missing.is_empty(), "actions without a row: {missing:?}");
    assert!(
        unknown.is_empty(),
        "rows naming no served action: {unknown:?}"
    );
}

/// The catalog's resource kind of each operation agrees with the resource its row expects a
/// denial on (the row is kept by hand: the catalog is checked against it, not against itself).
#[test]
fn the_catalog_s_resource_kinds_agree_with_the_rows() {
    let mut problems = Vec::new();
    for row in rows() {
        let op = Op::api(row.service, row.action).expect("a served operation");
        let agrees = match &row.denied {
            On(resource) => match resource.rsplit_once(' ') {
                // `user alice`, `instance profile web`: the kind AWS's sentence names.
                Some((kind, _)) => op.resource().admits(&format!(
                    "arn:aws:iam::{ACCOUNT}:{}/x",
                    kind.replace(' ', "-")
                )),
                None => op.resource().admits(resource),
            },
            Unscoped | NotNeeded(_) => op.resource() == Resource::Unscoped,
            // The sentence names the resource in its own words; the kind is checked elsewhere.
            Sentence(_) => true,
            TokenDecides(_) => op.resource() == Resource::Role,
        };
        if !agrees {
            problems.push(format!(
                "{}: {:?} vs {:?}",
                row.action,
                op.resource(),
                row.denied
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn every_action_refuses_strangers_and_the_unpermitted_and_serves_the_permitted() {
    let rows = rows();
    let mut problems = Vec::new();
    for row in &rows {
        problems.extend(check(row).await);
    }
    assert!(
        problems.is_empty(),
        "{} of {} calls went wrong:\n{}",
        problems.len(),
        rows.len() * 3,
        problems.join("\n")
    );
    eprintln!("authorization matrix: {} actions × 3 callers", rows.len());
}

#[test]
fn form_encoding_of_the_fixture_document_matches_the_rows() {
    // The rows carry DOC form-encoded by hand; keep them in step.
    assert!(rows()
        .iter()
        .filter(|row| row.action == "CreatePolicy")
        .all(|row| row.params.ends_with(&form(DOC))));
}

const SELF_KEY: &str = "AKIASELFSIGNINGKEY01";
const SELF_SECRET: &str = "selfSecretKeyForTheMatrixTests0000000000";
const SELF_SPARE_KEY: &str = "AKIASELFSPAREKEY0001";

/// The one exception AWS makes for a user's own credentials is a policy that names them with
/// `${aws:username}`: with the built-in FerriamSelfManageCredentials attached, a user manages
/// its own password, keys and MFA device — and still nobody else's.
#[tokio::test]
async fn the_self_service_policy_covers_the_caller_and_no_one_else() {
    let world = world(&[]).await;
    let (t, r) = (&world.t, &root());
    common::iam_user(t, r, "selfie").await;
    access_keys::import_access_key(&t.iam, r, Some("selfie"), SELF_KEY, SELF_SECRET)
        .await
        .unwrap();
    access_keys::import_access_key(&t.iam, r, Some("selfie"), SELF_SPARE_KEY, SELF_SECRET)
        .await
        .unwrap();
    passwords::create_login_profile(&t.iam, r, "selfie", CALLER_PASSWORD, false)
        .await
        .unwrap();
    attachments::attach_policy(
        &t.iam,
        r,
        EntityKind::User,
        "selfie",
        "arn:aws:iam::aws:policy/FerriamSelfManageCredentials",
    )
    .await
    .unwrap();
    let call = |body: String| {
        let app = world.app.clone();
        async move {
            send(
                &app,
                signed(
                    SELF_KEY,
                    SELF_SECRET,
                    "iam",
                    &format!("{body}&Version=2010-05-08"),
                ),
            )
            .await
        }
    };
    // (own request, the same request about alice)
    let pairs = [
        ("Action=GetUser&UserName=selfie", "Action=GetUser&UserName=alice"),
        ("Action=GetLoginProfile&UserName=selfie", "Action=GetLoginProfile&UserName=alice"),
        ("Action=ListAccessKeys&UserName=selfie", "Action=ListAccessKeys&UserName=alice"),
        ("Action=ListMFADevices&UserName=selfie", "Action=ListMFADevices&UserName=alice"),
        (
            "Action=GetAccessKeyLastUsed&AccessKeyId=AKIASELFSPAREKEY0001",
            "Action=GetAccessKeyLastUsed&AccessKeyId=AKIAALICEKEY00000001",
        ),
        (
            "Action=UpdateAccessKey&UserName=selfie&AccessKeyId=AKIASELFSPAREKEY0001&Status=Inactive",
            "Action=UpdateAccessKey&UserName=alice&AccessKeyId=AKIAALICEKEY00000001&Status=Inactive",
        ),
        (
            "Action=DeleteAccessKey&UserName=selfie&AccessKeyId=AKIASELFSPAREKEY0001",
            "Action=DeleteAccessKey&UserName=alice&AccessKeyId=AKIAALICEKEY00000001",
        ),
        ("Action=CreateAccessKey&UserName=selfie", "Action=CreateAccessKey&UserName=alice"),
        (
            "Action=CreateVirtualMFADevice&VirtualMFADeviceName=selfie",
            "Action=CreateVirtualMFADevice&VirtualMFADeviceName=alice",
        ),
    ];
    for (own, other) in pairs {
        let mine = call(own.to_string()).await;
        assert_eq!(mine.status, StatusCode::OK, "{own}: {}", mine.body);
        let theirs = call(other.to_string()).await;
        assert_eq!(
            theirs.status,
            StatusCode::FORBIDDEN,
            "{other}: {}",
            theirs.body
        );
        assert_eq!(error_code(&theirs), "AccessDenied", "{other}");
    }
    for own in [
        "Action=GetAccountSummary",
        "Action=ListVirtualMFADevices",
        "Action=ChangePassword&OldPassword=Caller-password-1&NewPassword=Caller-password-2",
    ] {
        let answer = call(own.to_string()).await;
        assert_eq!(answer.status, StatusCode::OK, "{own}: {}", answer.body);
    }
    // Anything beyond its own credentials stays denied.
    for other in [
        "Action=ListUsers",
        "Action=CreateUser&UserName=eve",
        "Action=DeleteLoginProfile&UserName=selfie",
    ] {
        let answer = call(other.to_string()).await;
        assert_eq!(
            error_code(&answer),
            "AccessDenied",
            "{other}: {}",
            answer.body
        );
    }
}
