//! Finding the entity an operation names, with AWS's NoSuchEntity messages when it is not there.

use sqlx::{Any, Executor};

use crate::domain::arn::is_aws_managed_policy_arn;
use crate::server::store::groups::GroupRow;
use crate::server::store::policies::PolicyRow;
use crate::server::store::users::UserRow;
use crate::server::store::{groups, policies, users};

use super::{aws_managed, Caller, ServiceError};

pub async fn user<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    name: &str,
) -> Result<UserRow, ServiceError> {
    users::find_by_name(db, caller.account_id().as_str(), name)
        .await?
        .ok_or_else(|| {
            ServiceError::NoSuchEntity(format!("The user with name {name} cannot be found."))
        })
}

pub async fn group<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    name: &str,
) -> Result<GroupRow, ServiceError> {
    groups::find_by_name(db, caller.account_id().as_str(), name)
        .await?
        .ok_or_else(|| {
            ServiceError::NoSuchEntity(format!("The group with name {name} cannot be found."))
        })
}

/// A managed policy that can be attached or used as a boundary: AWS managed, or customer
/// managed in the caller's account.
#[derive(Clone, Debug)]
pub struct PolicyRef {
    pub arn: String,
    pub name: String,
    /// `None` for AWS managed policies.
    pub row: Option<PolicyRow>,
}

pub async fn attachable_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    arn: &str,
) -> Result<PolicyRef, ServiceError> {
    let not_found =
        || ServiceError::NoSuchEntity(format!("Policy {arn} does not exist or is not attachable."));
    if is_aws_managed_policy_arn(arn) {
        let builtin = aws_managed::by_arn(arn).ok_or_else(not_found)?;
        return Ok(PolicyRef {
            arn: builtin.arn.to_string(),
            name: builtin.name.to_string(),
            row: None,
        });
    }
    let row = policies::find_by_arn(db, arn)
        .await?
        .filter(|row| row.account_id == caller.account_id().as_str())
        .ok_or_else(not_found)?;
    Ok(PolicyRef {
        arn: row.arn.clone(),
        name: row.name.clone(),
        row: Some(row),
    })
}

/// A permissions boundary: a managed policy, named in AWS's messages as the `Scope ARN`.
pub async fn boundary_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    arn: &str,
) -> Result<String, ServiceError> {
    // AWS answers InvalidInput for any ARN that is not a policy's (unlike PolicyArn's check).
    let is_policy_arn = super::attachments::check_arn(arn).is_ok()
        && arn
            .split(':')
            .nth(5)
            .is_some_and(|r| r.starts_with("policy/"));
    if !is_policy_arn {
        return Err(ServiceError::InvalidInput(format!(
            "ARN {arn} is not valid."
        )));
    }
    attachable_policy(db, caller, arn)
        .await
        .map(|policy| policy.arn)
        .map_err(|error| match error {
            ServiceError::NoSuchEntity(_) => ServiceError::NoSuchEntity(format!(
                "Scope ARN: {arn} does not exist or is not attachable."
            )),
            other => other,
        })
}
