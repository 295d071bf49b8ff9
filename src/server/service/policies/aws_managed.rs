//! The built-in AWS managed policies (`arn:aws:iam::aws:policy/...`) every account can attach,
//! with AWS's published documents and metadata, plus Ferriam's one built-in self-service policy.
//!
//! The documents live in `aws_managed/*.json` and are embedded at compile time. Each entry records
//! what AWS reports for the policy (GetPolicy / the AWS Managed Policy Reference); where a value was
//! not available at full precision the entry's comment says so. These policies are read-only: they
//! have exactly one version (the default one) and cannot be edited or deleted by any account.

/// One AWS managed policy as IAM's GetPolicy / GetPolicyVersion report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwsManagedPolicy {
    pub name: &'static str,
    pub arn: &'static str,
    pub path: &'static str,
    pub policy_id: &'static str,
    pub default_version_id: &'static str,
    pub description: &'static str,
    /// The default version's document, as JSON text.
    pub document: &'static str,
    /// ISO 8601, UTC (`YYYY-MM-DDTHH:MM:SSZ`).
    pub create_date: &'static str,
    /// ISO 8601, UTC; the date the current default version was set.
    pub update_date: &'static str,
}

/// The ARN of Ferriam's built-in self-service policy.
pub const FERRIAM_SELF_MANAGE_CREDENTIALS_ARN: &str =
    "arn:aws:iam::aws:policy/FerriamSelfManageCredentials";

// Sources (checked 2026-11): documents, versions and dates from the AWS Managed Policy Reference
// (docs.aws.amazon.com/aws-managed-policy/latest/reference/<Name>.html) cross-checked with
// GetPolicy/GetPolicyVersion output mirrored by z0ph/MAMIP (SummitRoute/aws_managed_policies) and
// iann0036/iam-dataset; PolicyIds from MAMIP's policies-list / published `aws iam list-policies`
// and `get-policy` output.
static POLICIES: [AwsManagedPolicy; 7] = [
    AwsManagedPolicy {
        name: "AdministratorAccess",
        arn: "arn:aws:iam::aws:policy/AdministratorAccess",
        path: "/",
        policy_id: "ANPAIWMBCKSKIEE64ZLYK",
        default_version_id: "v1",
        description: "Provides full access to AWS services and resources.",
        document: include_str!("aws_managed/AdministratorAccess.json"),
        create_date: "2015-02-06T18:39:46Z",
        update_date: "2015-02-06T18:39:46Z",
    },
    AwsManagedPolicy {
        name: "IAMFullAccess",
        arn: "arn:aws:iam::aws:policy/IAMFullAccess",
        path: "/",
        policy_id: "ANPAI7XKCFMBPM3QQRRVQ",
        default_version_id: "v2",
        description: "Provides full access to IAM via the AWS Management Console.",
        document: include_str!("aws_managed/IAMFullAccess.json"),
        create_date: "2015-02-06T18:40:38Z",
        update_date: "2019-06-21T19:40:00Z",
    },
    AwsManagedPolicy {
        name: "IAMReadOnlyAccess",
        arn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
        path: "/",
        policy_id: "ANPAJKSO7NDY4T57MWDSQ",
        default_version_id: "v4",
        description: "Provides read only access to IAM via the AWS Management Console.",
        document: include_str!("aws_managed/IAMReadOnlyAccess.json"),
        create_date: "2015-02-06T18:40:39Z",
        update_date: "2018-01-25T19:11:27Z",
    },
    AwsManagedPolicy {
        name: "IAMUserChangePassword",
        arn: "arn:aws:iam::aws:policy/IAMUserChangePassword",
        path: "/",
        policy_id: "ANPAJ4L4MM2A7QIEB56MS",
        // v3 (2025-05-29) added `user/*/${aws:username}`; v5 (2026-02-12) kept that document.
        default_version_id: "v5",
        description: "Provides the ability for an IAM user to change their own password.",
        document: include_str!("aws_managed/IAMUserChangePassword.json"),
        create_date: "2016-11-15T00:25:16Z",
        update_date: "2026-02-12T17:58:57Z",
    },
    AwsManagedPolicy {
        name: "IAMSelfManageServiceSpecificCredentials",
        arn: "arn:aws:iam::aws:policy/IAMSelfManageServiceSpecificCredentials",
        path: "/",
        policy_id: "ANPAI4VT74EMXK2PMQJM2",
        default_version_id: "v1",
        description: "Allows an IAM user to manage their own Service Specific Credentials.",
        document: include_str!("aws_managed/IAMSelfManageServiceSpecificCredentials.json"),
        create_date: "2016-12-22T17:25:18Z",
        update_date: "2016-12-22T17:25:18Z",
    },
    AwsManagedPolicy {
        name: "PowerUserAccess",
        arn: "arn:aws:iam::aws:policy/PowerUserAccess",
        path: "/",
        policy_id: "ANPAJYRXTHIB4FOVS3ZXS",
        default_version_id: "v12",
        description: "Provides full access to AWS services and resources, but does not allow \
                      management of Users and groups.",
        document: include_str!("aws_managed/PowerUserAccess.json"),
        create_date: "2015-02-06T18:39:47Z",
        // The reference gives "February 12, 2026, 17:59 UTC"; the seconds are not published.
        update_date: "2026-02-12T17:59:00Z",
    },
    // Not an AWS policy: Ferriam's built-in self-service policy, served under the AWS-managed
    // namespace so every account has it. Its document combines the IAM User Guide examples "AWS:
    // Allows IAM users to manage their own password, access keys, and SSH public keys on the
    // Security credentials page" and "AWS: Allows MFA-authenticated IAM users to manage their own
    // MFA device on the Security credentials page", keeping only actions Ferriam implements and
    // leaving out the example's DenyAllExceptListedIfNoMFA statement, so that a user without MFA
    // can still set up their first device; as in the example, deactivating a device needs a
    // session with MFA. The PolicyId is synthetic (ANPA + 17 base32 chars).
    AwsManagedPolicy {
        name: "FerriamSelfManageCredentials",
        arn: FERRIAM_SELF_MANAGE_CREDENTIALS_ARN,
        path: "/",
        policy_id: "ANPAFERRIAMSELFMANAGE",
        default_version_id: "v1",
        description: "Ferriam built-in: allows an IAM user to view the account password policy \
                      and summary and to manage their own password, access keys and virtual MFA \
                      device. Modelled on the IAM User Guide's self-service example policies for \
                      the Security credentials page.",
        document: include_str!("aws_managed/FerriamSelfManageCredentials.json"),
        create_date: "2026-11-22T00:00:00Z",
        update_date: "2026-12-07T00:00:00Z",
    },
];

/// Every built-in managed policy, in a stable order.
pub fn all() -> &'static [AwsManagedPolicy] {
    &POLICIES
}

/// The built-in policy with this ARN. ARNs compare exactly, as IAM compares policy ARNs.
pub fn by_arn(arn: &str) -> Option<&'static AwsManagedPolicy> {
    POLICIES.iter().find(|policy| policy.arn == arn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{validate, PolicyKind};
    use std::collections::HashSet;

    const ARN_PREFIX: &str = "arn:aws:iam::aws:policy/";

    fn is_iso_utc(date: &str) -> bool {
        let bytes = date.as_bytes();
        bytes.len() == 20
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                10 => *b == b'T',
                13 | 16 => *b == b':',
                19 => *b == b'Z',
                _ => b.is_ascii_digit(),
            })
    }

    #[test]
    fn documents_are_json_with_version_2012_10_17() {
        for policy in all() {
            let value: serde_json::Value = serde_json::from_str(policy.document)
                .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", policy.name));
            assert_eq!(value["Version"], "2012-10-17", "{}", policy.name);
            assert!(value["Statement"].is_array(), "{}", policy.name);
        }
    }

    #[test]
    fn documents_pass_managed_policy_validation() {
        for policy in all() {
            let validation = validate(policy.document, PolicyKind::Managed);
            assert_eq!(validation.error, None, "{}", policy.name);
        }
    }

    #[test]
    fn arns_are_aws_managed_and_end_with_path_and_name() {
        for policy in all() {
            assert!(policy.arn.starts_with(ARN_PREFIX), "{}", policy.arn);
            assert!(
                policy.arn.ends_with(&format!("/{}", policy.name)),
                "{}",
                policy.arn
            );
            assert_eq!(
                policy.arn,
                format!("arn:aws:iam::aws:policy{}{}", policy.path, policy.name)
            );
            assert!(policy.path.starts_with('/') && policy.path.ends_with('/'));
        }
    }

    #[test]
    fn names_arns_and_ids_are_unique() {
        let names: HashSet<_> = all().iter().map(|p| p.name.to_ascii_lowercase()).collect();
        let arns: HashSet<_> = all().iter().map(|p| p.arn).collect();
        let ids: HashSet<_> = all().iter().map(|p| p.policy_id).collect();
        assert_eq!(names.len(), all().len());
        assert_eq!(arns.len(), all().len());
        assert_eq!(ids.len(), all().len());
    }

    #[test]
    fn metadata_has_aws_shapes() {
        for policy in all() {
            // ANPA + 17 characters of IAM's base32 alphabet.
            assert_eq!(policy.policy_id.len(), 21, "{}", policy.name);
            assert!(policy.policy_id.starts_with("ANPA"), "{}", policy.name);
            assert!(
                policy
                    .policy_id
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)),
                "{}",
                policy.name
            );
            let version = policy.default_version_id.strip_prefix('v').unwrap_or("");
            assert!(
                !version.is_empty()
                    && !version.starts_with('0')
                    && version.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                policy.name
            );
            assert!(is_iso_utc(policy.create_date), "{}", policy.name);
            assert!(is_iso_utc(policy.update_date), "{}", policy.name);
            assert!(policy.update_date >= policy.create_date, "{}", policy.name);
            assert!(!policy.description.is_empty() && policy.description.len() <= 1000);
        }
    }

    #[test]
    fn by_arn_finds_each_policy_and_nothing_else() {
        for policy in all() {
            assert_eq!(by_arn(policy.arn), Some(policy));
        }
        assert_eq!(by_arn("arn:aws:iam::aws:policy/ReadOnlyAccess"), None);
        assert_eq!(by_arn("arn:aws:iam::aws:policy/administratoraccess"), None);
        assert_eq!(
            by_arn("arn:aws:iam::123456789012:policy/AdministratorAccess"),
            None
        );
        assert!(by_arn(FERRIAM_SELF_MANAGE_CREDENTIALS_ARN).is_some());
    }

    #[test]
    fn self_service_policy_scopes_everything_but_account_reads_to_the_caller() {
        let policy = by_arn(FERRIAM_SELF_MANAGE_CREDENTIALS_ARN).unwrap();
        let value: serde_json::Value = serde_json::from_str(policy.document).unwrap();
        for statement in value["Statement"].as_array().unwrap() {
            assert_eq!(statement["Effect"], "Allow");
            if statement["Sid"] == "AllowViewAccountInfo" {
                continue;
            }
            // Each resource is the caller's own user (or MFA device), at any path.
            let resources: Vec<&str> = match &statement["Resource"] {
                serde_json::Value::String(one) => vec![one.as_str()],
                many => many
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap())
                    .collect(),
            };
            for resource in resources {
                assert!(resource.ends_with("/${aws:username}"), "{resource}");
            }
        }
    }
}
