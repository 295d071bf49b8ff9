//! AWS's global condition context keys (`aws:...`), and which are multivalued.

/// Service condition keys the service puts in a request's context.
pub const IAM_PERMISSIONS_BOUNDARY: &str = "iam:PermissionsBoundary";
pub const IAM_POLICY_ARN: &str = "iam:PolicyARN";
/// `iam:PassRole`'s: the service the role is passed to, and the resource it is attached to.
pub const IAM_PASSED_TO_SERVICE: &str = "iam:PassedToService";
pub const IAM_ASSOCIATED_RESOURCE_ARN: &str = "iam:AssociatedResourceArn";
pub const STS_ROLE_SESSION_NAME: &str = "sts:RoleSessionName";
pub const STS_EXTERNAL_ID: &str = "sts:ExternalId";
/// The keys of the session tags a request makes transitive.
pub const STS_TRANSITIVE_TAG_KEYS: &str = "sts:TransitiveTagKeys";
/// The source identity a request sets on the session it asks for.
pub const STS_SOURCE_IDENTITY: &str = "sts:SourceIdentity";
/// The identity provider a federated session came from (its ARN, for IAM OIDC providers).
pub const AWS_FEDERATED_PROVIDER: &str = "aws:FederatedProvider";
/// The prefixes of the resource-tag keys (`aws:ResourceTag/team`, and IAM's own spelling).
pub const RESOURCE_TAG_PREFIXES: [&str; 2] = ["aws:ResourceTag/", "iam:ResourceTag/"];

/// Single-valued global keys, lowercase.
const SINGLE_VALUED: [&str; 39] = [
    "aws:assumedroot",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:chatbotsourcearn",
    "aws:currenttime",
    "aws:ec2instancesourceprivateipv4",
    "aws:ec2instancesourcevpc",
    "aws:epochtime",
    "aws:federatedprovider",
    "aws:multifactorauthage",
    "aws:multifactorauthpresent",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalisawsservice",
    "aws:principalorgid",
    "aws:principalservicename",
    "aws:principaltype",
    "aws:referer",
    "aws:requestedregion",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "aws:securetransport",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceidentity",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpcarn",
    "aws:sourcevpce",
    "aws:tokenissuetime",
    "aws:useragent",
    "aws:userid",
    "aws:username",
    "aws:viaawsservice",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpcsourceip",
];

/// Multivalued global keys, lowercase.
const MULTI_VALUED: [&str; 7] = [
    "aws:calledvia",
    "aws:principalorgpaths",
    "aws:principalservicenameslist",
    "aws:resourceorgpaths",
    "aws:sourceorgpaths",
    "aws:tagkeys",
    "aws:vpceorgpaths",
];

/// Tag keys: `aws:PrincipalTag/<key>` etc. are single-valued.
const TAG_PREFIXES: [&str; 3] = ["aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"];

/// Global keys AWS sets on some requests that no request to Ferriam carries: they describe
/// organizations, VPCs, AWS services acting for a principal, or federation not offered here.
/// A condition on one of them is reported, since it can never match (or, with `IfExists`,
/// always does). Lowercase.
const NEVER_PRESENT: [&str; 28] = [
    "aws:assumedroot",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:chatbotsourcearn",
    "aws:ec2instancesourceprivateipv4",
    "aws:ec2instancesourcevpc",
    "aws:federatedprovider",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:referer",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceidentity",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpcarn",
    "aws:sourcevpce",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
    "aws:vpcsourceip",
];

/// Whether no request to Ferriam ever carries `key` (a global key from [`NEVER_PRESENT`]).
pub fn never_present(key: &str) -> bool {
    NEVER_PRESENT.contains(&key.to_ascii_lowercase().as_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalKey {
    SingleValued,
    MultiValued,
    /// Starts with `aws:` but is not a global key AWS documents.
    Unknown,
    /// A service key (`s3:prefix`, `iam:PassedToService` ...), not checked here.
    NotGlobal,
}

pub fn classify(key: &str) -> GlobalKey {
    let lower = key.to_ascii_lowercase();
    if !lower.starts_with("aws:") {
        return GlobalKey::NotGlobal;
    }
    if MULTI_VALUED.contains(&lower.as_str()) {
        return GlobalKey::MultiValued;
    }
    let is_tag = TAG_PREFIXES
        .iter()
        .any(|prefix| lower.len() > prefix.len() && lower.starts_with(prefix));
    if is_tag || SINGLE_VALUED.contains(&lower.as_str()) {
        GlobalKey::SingleValued
    } else {
        GlobalKey::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_keys() {
        assert_eq!(classify("aws:SourceIp"), GlobalKey::SingleValued);
        assert_eq!(classify("AWS:TagKeys"), GlobalKey::MultiValued);
        assert_eq!(classify("aws:PrincipalTag/team"), GlobalKey::SingleValued);
        assert_eq!(classify("aws:PrincipalTag/"), GlobalKey::Unknown);
        assert_eq!(classify("aws:SourceIP4"), GlobalKey::Unknown);
        assert_eq!(classify("s3:prefix"), GlobalKey::NotGlobal);
    }

    #[test]
    fn keys_no_request_here_carries_are_known_global_keys() {
        for key in NEVER_PRESENT {
            assert_ne!(classify(key), GlobalKey::Unknown, "{key}");
        }
        assert!(never_present("aws:SourceVpc"));
        assert!(!never_present("aws:SourceIp"));
        assert!(!never_present("aws:TokenIssueTime"));
    }
}
