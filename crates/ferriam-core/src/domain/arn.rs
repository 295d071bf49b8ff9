//! ARNs of IAM entities, built the way AWS builds them: the path is part of the resource. An
//! empty name gives the ARN of the path itself (`arn:aws:iam::123456789012:user/team/`), which
//! the list operations are authorized on. The account is an `AccountId` or its stored text.

use std::fmt::Display;

pub fn user_arn(account: impl Display, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:user{path}{name}")
}

pub fn group_arn(account: impl Display, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:group{path}{name}")
}

pub fn role_arn(account: impl Display, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role{path}{name}")
}

pub fn policy_arn(account: impl Display, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:policy{path}{name}")
}

pub fn instance_profile_arn(account: impl Display, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:instance-profile{path}{name}")
}

/// A virtual MFA device's ARN, its serial number.
pub fn mfa_arn(account: impl Display, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:mfa{path}{name}")
}

/// The account's root user.
pub fn root_arn(account: impl Display) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// True for ARNs of AWS managed policies (`arn:aws:iam::aws:policy/...`).
pub fn is_aws_managed_policy_arn(arn: &str) -> bool {
    arn.starts_with("arn:aws:iam::aws:policy/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AccountId;

    #[test]
    fn arns_include_the_path() {
        let account = AccountId::parse("a", "123456789012").unwrap();
        assert_eq!(
            user_arn(&account, "/", "alice"),
            "arn:aws:iam::123456789012:user/alice"
        );
        assert_eq!(
            user_arn(&account, "/eng/", "bob"),
            "arn:aws:iam::123456789012:user/eng/bob"
        );
        assert_eq!(
            group_arn(&account, "/", "admins"),
            "arn:aws:iam::123456789012:group/admins"
        );
        assert_eq!(
            role_arn(&account, "/svc/", "ci"),
            "arn:aws:iam::123456789012:role/svc/ci"
        );
        assert_eq!(
            policy_arn(&account, "/", "p"),
            "arn:aws:iam::123456789012:policy/p"
        );
        assert!(is_aws_managed_policy_arn(
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ));
        assert!(!is_aws_managed_policy_arn(
            "arn:aws:iam::123456789012:policy/p"
        ));
    }
}
