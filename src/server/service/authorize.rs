//! Authorization of one action on one resource by the calling principal. Root may do
//! everything in its own account; IAM principals will be evaluated by the policy engine.

use crate::domain::{Principal, PrincipalKind};

use super::ServiceError;

/// A principal whose permission for `action` on the resources of its account was checked.
/// Service functions take it, so the type system carries the check (as lldap does).
pub struct Authorized<'a> {
    pub principal: &'a Principal,
}

pub fn authorize<'a>(
    principal: &'a Principal,
    action: &str,
    resource_arn: &str,
) -> Result<Authorized<'a>, ServiceError> {
    // SECURITY: a principal only ever acts on resources in its own account.
    let own_account = resource_arn
        .split(':')
        .nth(4)
        .is_some_and(|account| account == principal.account_id.as_str());
    if !own_account {
        return Err(ServiceError::AccessDenied(format!(
            "User: {} is not authorized to perform: {action} on resource: {resource_arn}",
            principal.arn()
        )));
    }
    match principal.kind {
        PrincipalKind::Root => Ok(Authorized { principal }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AccountId;

    #[test]
    fn root_acts_only_in_its_own_account() {
        let root = Principal::root(AccountId::parse("id", "111111111111").unwrap());
        assert!(authorize(
            &root,
            "iam:EnableMFADevice",
            "arn:aws:iam::111111111111:mfa/root-account-mfa-device"
        )
        .is_ok());
        let denied = authorize(
            &root,
            "iam:EnableMFADevice",
            "arn:aws:iam::222222222222:mfa/root-account-mfa-device",
        );
        match denied {
            Err(ServiceError::AccessDenied(message)) => assert_eq!(
                message,
                "User: arn:aws:iam::111111111111:root is not authorized to perform: iam:EnableMFADevice on resource: arn:aws:iam::222222222222:mfa/root-account-mfa-device"
            ),
            _ => panic!("expected AccessDenied"),
        }
    }
}
