//! `GetAccountSummary`: the account's entity counts and IAM quotas, under AWS's SummaryMap keys.

use crate::catalog::Op;
use crate::server::store::summary;

use crate::server::service::{
    credentials::access_keys, entities::groups, policies, policies::attachments, Caller, Iam,
    Operation, ServiceError,
};

/// AWS's default quotas, as its SummaryMap reports them.
const QUOTAS: &[(&str, i64)] = &[
    ("UsersQuota", 5000),
    ("GroupsQuota", 300),
    ("RolesQuota", 1000),
    ("PoliciesQuota", 1500),
    ("PolicySizeQuota", 6144),
    ("UserPolicySizeQuota", 2048),
    ("GroupPolicySizeQuota", 5120),
    ("RolePolicySizeQuota", 10240),
    ("AssumeRolePolicySizeQuota", 2048),
    ("GroupsPerUserQuota", groups::GROUPS_PER_USER),
    ("AccessKeysPerUserQuota", access_keys::KEYS_PER_PRINCIPAL),
    (
        "AttachedPoliciesPerUserQuota",
        attachments::POLICIES_PER_ENTITY,
    ),
    (
        "AttachedPoliciesPerGroupQuota",
        attachments::POLICIES_PER_ENTITY,
    ),
    (
        "AttachedPoliciesPerRoleQuota",
        attachments::POLICIES_PER_ENTITY,
    ),
    ("VersionsPerPolicyQuota", policies::MAX_VERSIONS as i64),
    ("PolicyVersionsInUseQuota", 10000),
    ("SigningCertificatesPerUserQuota", 2),
    ("ServerCertificatesQuota", 20),
    ("InstanceProfilesQuota", 1000),
];

/// The SummaryMap: (key, value) pairs in AWS's key names.
pub async fn get_account_summary(
    iam: &Iam,
    caller: &Caller,
) -> Result<Vec<(&'static str, i64)>, ServiceError> {
    Operation::run(iam, caller, Op::GetAccountSummary, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            let counts =
                summary::account_counts(iam.store().reader(), caller.account_id().as_str()).await?;
            let mut map = vec![
                ("Users", counts.users),
                ("Groups", counts.groups),
                ("Roles", counts.roles),
                ("Policies", counts.policies),
                ("PolicyVersionsInUse", counts.policy_versions),
                ("MFADevices", counts.mfa_devices),
                ("MFADevicesInUse", counts.mfa_devices_in_use),
                ("AccountMFAEnabled", i64::from(counts.root_mfa_enabled > 0)),
                (
                    "AccountAccessKeysPresent",
                    i64::from(counts.root_access_keys > 0),
                ),
                // Every Ferriam root user signs in with a password.
                ("AccountPasswordPresent", 1),
                ("AccountSigningCertificatesPresent", 0),
                ("ServerCertificates", 0),
                ("InstanceProfiles", counts.instance_profiles),
                ("Providers", 0),
                ("GlobalEndpointTokenVersion", 1),
            ];
            map.extend_from_slice(QUOTAS);
            Ok(map)
        })
    })
    .await
}
