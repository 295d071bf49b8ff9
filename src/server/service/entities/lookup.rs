//! Finding the entity an operation names, with AWS's NoSuchEntity messages when it is not there.
//!
//! SECURITY: an operation on a named user, group or role first looks it up as a `Named`, then
//! authorizes on it (`Operation::authorize_named`), and only then learns whether it exists. A
//! caller that may not act on the name gets the same AccessDenied whether or not there is such
//! an entity: the same sentence (`on resource: user NAME`, never the path), the same status,
//! and the same work (one lookup, one evaluation) on both sides.

use sqlx::{Any, Executor};

use crate::domain::arn::is_aws_managed_policy_arn;
use crate::server::store::groups::GroupRow;
use crate::server::store::policies::PolicyRow;
use crate::server::store::roles::RoleRow;
use crate::server::store::users::UserRow;
use crate::server::store::{groups, policies, roles, users};

use crate::domain::EntityKind;
use crate::server::service::{policies::aws_managed, Caller, ServiceError};

/// An entity an operation names, looked up but not yet handed out: it is reached only through
/// an authorization of its ARN (`Operation::authorize_named`).
pub struct Named<T> {
    /// The entity's ARN when it exists (path-scoped policies see its real path); when it does
    /// not, the path-less ARN of the name asked for.
    arn: String,
    /// How the AccessDenied sentence names it: `user NAME`, with the name as asked for (not
    /// as stored, whose case would tell that it exists).
    shown: String,
    /// The name as asked for, and the found entity's name (else the one asked for).
    asked: String,
    name: String,
    found: Option<T>,
    /// AWS's NoSuchEntity message, told only to a caller allowed to act on the name.
    missing: String,
}

impl<T> Named<T> {
    /// `found` (or not) under the name `asked` for; `located` gives a found entity's path and
    /// name.
    pub fn new(
        kind: EntityKind,
        caller: &Caller,
        asked: &str,
        found: Option<T>,
        located: impl FnOnce(&T) -> (&str, &str),
    ) -> Self {
        let account = caller.account_id();
        Self::resource(
            |path, name| kind.arn(account, path, name),
            format!("{} {asked}", kind.lower()),
            format!("The {} with name {asked} cannot be found.", kind.lower()),
            asked,
            found,
            located,
        )
    }

    /// A resource named by path and name like an entity (an instance profile): `arn` builds
    /// its ARN from a path and a name; `shown` names it in the AccessDenied sentence and
    /// `missing` is AWS's NoSuchEntity message.
    pub fn resource(
        arn: impl Fn(&str, &str) -> String,
        shown: String,
        missing: String,
        asked: &str,
        found: Option<T>,
        located: impl FnOnce(&T) -> (&str, &str),
    ) -> Self {
        let (arn, name) = match &found {
            Some(entity) => {
                let (path, name) = located(entity);
                (arn(path, name), name.to_string())
            }
            None => (arn("/", asked), asked.to_string()),
        };
        Self {
            arn,
            shown,
            asked: asked.to_string(),
            name,
            found,
            missing,
        }
    }

    /// The caller itself (no name given, `name` its own): it exists, and its ARN names it.
    pub fn this(arn: String, name: &str, found: T) -> Self {
        Self {
            shown: arn.clone(),
            arn,
            asked: name.to_string(),
            name: name.to_string(),
            found: Some(found),
            missing: String::new(),
        }
    }

    /// The ARN to authorize on.
    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// How the AccessDenied sentence names it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The entity, or AWS's NoSuchEntity. Only `Operation::authorize_named` calls this (after
    /// the authorization), and operations that authorized on an ARN that covers this one.
    pub fn found(self) -> Result<T, ServiceError> {
        self.found.ok_or(ServiceError::NoSuchEntity(self.missing))
    }

    /// The same entity, to be authorized on another resource named after it (an MFA device
    /// named after its user): `resource(name)` of its name as found for the ARN, of the name
    /// as asked for in the sentence.
    pub fn named_after(self, resource: impl Fn(&str) -> String) -> Self {
        Self {
            arn: resource(&self.name),
            shown: resource(&self.asked),
            ..self
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Named<U> {
        Named {
            arn: self.arn,
            shown: self.shown,
            asked: self.asked,
            name: self.name,
            found: self.found.map(f),
            missing: self.missing,
        }
    }
}

/// The user named `name`, found or not.
pub async fn named_user<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    name: &str,
) -> Result<Named<UserRow>, ServiceError> {
    let found = users::TABLE
        .find_by_name(db, caller.account_id().as_str(), name)
        .await?;
    Ok(Named::new(EntityKind::User, caller, name, found, |row| {
        (&row.path, &row.name)
    }))
}

/// The group named `name`, found or not.
pub async fn named_group<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    name: &str,
) -> Result<Named<GroupRow>, ServiceError> {
    let found = groups::TABLE
        .find_by_name(db, caller.account_id().as_str(), name)
        .await?;
    Ok(Named::new(EntityKind::Group, caller, name, found, |row| {
        (&row.path, &row.name)
    }))
}

/// The role named `name`, found or not.
pub async fn named_role<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    name: &str,
) -> Result<Named<RoleRow>, ServiceError> {
    let found = roles::TABLE
        .find_by_name(db, caller.account_id().as_str(), name)
        .await?;
    Ok(Named::new(EntityKind::Role, caller, name, found, |row| {
        (&row.path, &row.name)
    }))
}

pub async fn user<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    name: &str,
) -> Result<UserRow, ServiceError> {
    users::TABLE
        .find_by_name(db, caller.account_id().as_str(), name)
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
    groups::TABLE
        .find_by_name(db, caller.account_id().as_str(), name)
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
    let is_policy_arn = check_arn(arn).is_ok()
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

/// AWS's check that a parameter is an ARN at all.
pub fn check_arn(arn: &str) -> Result<(), ServiceError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let looks_like_arn = parts.len() == 6
        && parts[0] == "arn"
        && !parts[2].is_empty()
        && (20..=2048).contains(&arn.len());
    if looks_like_arn {
        Ok(())
    } else {
        Err(ServiceError::Validation(crate::domain::Invalid::new(
            "PolicyArn",
            format!("ARN {arn} is not valid."),
        )))
    }
}
